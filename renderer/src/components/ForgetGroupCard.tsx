import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupState } from '../../../shared/ledger/types';
import { useFormat, useWallet } from '../hooks';
import { navigate } from '../hooks/useRoute';
import { memberNets } from '../lib/balances';

/**
 * "Forget this group on this device": deletes its entries, keys and cached views here after a
 * confirmation that offers a backup first and shows what this person still owes or is owed. The
 * group itself lives on in the other members' devices and the relay; an invite link brings it back.
 * Also the way out of a group that never arrives (a bad invite), which has no state yet.
 */
export function ForgetGroupCard({
  groupId,
  state,
  onBackup,
}: {
  groupId: string;
  state: GroupState | null;
  /** Offers a backup first (the export tab's); absent when there is nothing to back up. */
  onBackup?: () => void;
}) {
  const { t } = useTranslation();
  const wallet = useWallet();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mine = useMemo(
    () => (state ? (memberNets(state).find((m) => m.member === wallet.memberId)?.nets ?? []) : []),
    [state, wallet.memberId],
  );

  async function forget() {
    setBusy(true);
    setError(null);
    try {
      await wallet.removeGroup(groupId);
      navigate('#/');
    } catch (err) {
      setError(t('forget.failed', { message: err instanceof Error ? err.message : String(err) }));
      setBusy(false);
    }
  }

  return (
    <div className="card" data-testid="forget-group">
      <h2>{t('forget.title')}</h2>
      <p className="muted">{t('forget.explain')}</p>
      {!confirming ? (
        <button
          type="button"
          className="danger"
          onClick={() => setConfirming(true)}
          data-testid="forget-start"
        >
          {t('forget.start')}
        </button>
      ) : (
        <div className="notice danger stack" role="alertdialog" aria-labelledby={`forget-${groupId}`}>
          <p id={`forget-${groupId}`}>
            <strong>{t('forget.confirmTitle', { name: state?.name ?? '' })}</strong>
          </p>
          {mine.length > 0 && <ForgetBalance nets={mine} state={state!} />}
          <p className="small">{t('forget.confirmExplain')}</p>
          <div className="row">
            {onBackup && (
              <button type="button" onClick={onBackup} disabled={busy} data-testid="forget-backup">
                {t('forget.backupFirst')}
              </button>
            )}
            <button
              type="button"
              className="danger"
              onClick={forget}
              disabled={busy}
              data-testid="forget-confirm"
            >
              {t('forget.confirm')}
            </button>
            <button
              type="button"
              onClick={() => setConfirming(false)}
              disabled={busy}
              data-testid="forget-cancel"
            >
              {t('forget.cancel')}
            </button>
          </div>
          {error && (
            <p className="error" role="status">
              {error}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

function ForgetBalance({ nets, state }: { nets: { currency: string; amount: number }[]; state: GroupState }) {
  const { t } = useTranslation();
  const fmt = useFormat(state);
  return (
    <p data-testid="forget-balance">
      {nets
        .map((n) =>
          n.amount > 0
            ? t('forget.youAreOwed', { amount: fmt.money(n.amount, n.currency) })
            : t('forget.youOwe', { amount: fmt.money(-n.amount, n.currency) }),
        )
        .join(' · ')}{' '}
      {t('forget.settleFirst')}
    </p>
  );
}
