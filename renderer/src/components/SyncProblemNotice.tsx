import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useWallet } from '../hooks';
import type { GroupHandle } from '../hooks/services';
import { navigate } from '../hooks/useRoute';
import { formatClock } from '../lib/format';
import { hrefFor } from '../lib/route';
import { describeProblem } from '../lib/syncProblem';

/**
 * The group's sync problem in full: what happened, what to do, and the action that helps
 * (remove this device's copy after a confirmation; restore a backup). Nothing when all is well.
 */
export function SyncProblemNotice({
  group,
  restoreHere = false,
}: {
  group: GroupHandle;
  restoreHere?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const wallet = useWallet();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = group.snap.sync.problem;
  if (!problem) return null;
  const text = describeProblem(problem, {
    clock: (ms) => formatClock(ms, i18n.language),
    relay: group.snap.relayUrl ?? '',
  });

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await wallet.removeGroup(group.session.groupId);
      navigate('#/');
    } catch (err) {
      setError(t('sync.remove.failed', { message: err instanceof Error ? err.message : String(err) }));
      setBusy(false);
    }
  }

  return (
    <div
      className={`notice ${text.retrying ? '' : 'danger'}`}
      role="status"
      data-testid="sync-problem"
      data-code={text.code}
    >
      <p>
        <strong data-testid="sync-problem-title">{t(text.titleKey, text.values)}</strong>
      </p>
      <p className="small">{t(text.hintKey, text.values)}</p>
      {text.actions.includes('restore') && !restoreHere && group.snap.state && (
        <p>
          <a href={hrefFor({ name: 'group', groupId: group.session.groupId, tab: 'export' })}>
            {t('export.restore')}
          </a>
        </p>
      )}
      {text.actions.includes('remove') &&
        (confirming ? (
          <p className="row">
            <span>{t('sync.remove.confirm')}</span>
            <button
              type="button"
              className="danger"
              onClick={() => void remove()}
              disabled={busy}
              data-testid="confirm-remove-group"
            >
              {t('sync.remove.yes')}
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
              {t('sync.remove.cancel')}
            </button>
          </p>
        ) : (
          <p>
            <button type="button" onClick={() => setConfirming(true)} data-testid="remove-group">
              {t('sync.remove.action')}
            </button>
          </p>
        ))}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
