import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isWalletError } from '../../../shared/errors';
import { BackupFileButton } from '../components/BackupFileButton';
import { ForgetGroupCard } from '../components/ForgetGroupCard';
import { errorText } from '../components/labels';
import { SyncProblemNotice } from '../components/SyncProblemNotice';
import { SyncStatus } from '../components/SyncStatus';
import type { GroupHandle } from '../hooks/services';

/** A joined group whose history has not arrived yet: say so, and offer a backup as another way in. */
export function WaitingForHistory({ group }: { group: GroupHandle }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function restore(file: File) {
    setBusy(true);
    setError(null);
    try {
      await group.session.importBackup(await file.text(), (done, total) => setProgress({ done, total }));
    } catch (err) {
      setError(isWalletError(err) ? errorText(t, err.code, err.message) : String(err));
    } finally {
      setBusy(false);
      setProgress(null);
    }
  }

  return (
    <section className="narrow" data-testid="waiting-history">
      <h1>{t('waiting.title')}</h1>
      <div className="card stack">
        <SyncStatus sync={group.snap.sync} scope={t('waiting.title')} relay={group.snap.relayUrl ?? ''} />
        {/* A joiner the relay cannot serve (no such group, wrong key) is not "waiting": say why instead. */}
        {group.snap.sync.problem ? (
          <SyncProblemNotice group={group} restoreHere />
        ) : (
          <p>{t('waiting.explain', { relay: group.snap.relayUrl ?? '' })}</p>
        )}
        {group.snap.error && <p className="notice danger">{group.snap.error}</p>}
        <p className="muted small">{t('waiting.backupHint')}</p>
        {progress && (
          <progress
            max={progress.total || undefined}
            value={progress.total ? progress.done : undefined}
            aria-label={t('export.progress')}
          />
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div>
          <BackupFileButton disabled={busy} onFile={restore} />
        </div>
      </div>
      <ForgetGroupCard groupId={group.session.groupId} state={null} />
    </section>
  );
}
