/**
 * The per-device spending limit in the UI (lib/spendLimit.ts): `useSpendGuard()` resolves true
 * when an amount may go ahead. Above the limit, recording an expense or a payment asks for the
 * passcode (or Touch ID) again; paying a request asks "are you sure?" first. Without a provider,
 * or without a passcode for a re-check, everything goes ahead (the limit needs a passcode).
 */
import {
  createContext,
  type FormEvent,
  type ReactNode,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
} from 'react';
import { useTranslation } from 'react-i18next';
import { isWalletError } from '../../../shared/errors';
import type { CurrencyCode, Minor } from '../../../shared/money/types';
import { useAppLock, useFormat, usePrefs } from '../hooks';
import { exceedsLimit } from '../lib/spendLimit';

/** 'record': an expense or payment (passcode again); 'pay-request': paying a request (a warning). */
export type SpendKind = 'record' | 'pay-request';
type Guard = (currency: CurrencyCode, amount: Minor, kind: SpendKind) => Promise<boolean>;

const GuardContext = createContext<Guard | null>(null);

export function useSpendGuard(): Guard {
  return useContext(GuardContext) ?? (async () => true);
}

interface Pending {
  readonly currency: CurrencyCode;
  readonly amount: Minor;
  readonly kind: SpendKind;
  resolve(ok: boolean): void;
}

export function SpendGuardProvider({ children }: { children: ReactNode }) {
  const prefs = usePrefs();
  const lock = useAppLock();
  const [pending, setPending] = useState<Pending | null>(null);
  const canCheck = lock?.snap.canLock ?? false;

  const guard: Guard = async (currency, amount, kind) => {
    if (!exceedsLimit(prefs.spendLimits, currency, amount)) return true;
    // A re-check needs a passcode; without one the limit can only warn.
    const effective: SpendKind = canCheck ? kind : 'pay-request';
    return new Promise<boolean>((resolve) => setPending({ currency, amount, kind: effective, resolve }));
  };

  return (
    <GuardContext.Provider value={guard}>
      {children}
      {pending && (
        <SpendDialog
          pending={pending}
          onClose={(ok) => {
            pending.resolve(ok);
            setPending(null);
          }}
        />
      )}
    </GuardContext.Provider>
  );
}

function SpendDialog({ pending, onClose }: { pending: Pending; onClose(ok: boolean): void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const lock = useAppLock();
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [passcode, setPasscode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [biometrics, setBiometrics] = useState(false);
  const amount = fmt.money(pending.amount, pending.currency);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal?.();
    void lock?.service.biometricsAvailable().then(setBiometrics);
  }, [lock?.service]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (pending.kind === 'pay-request') return onClose(true);
    if (!lock || busy) return;
    setBusy(true);
    setError(null);
    try {
      await lock.service.verifyPasscode(passcode);
      onClose(true);
    } catch (err) {
      setPasscode('');
      if (isWalletError(err) && err.code === 'wrong_passcode') setError(t('lock.wrongPasscode'));
      else if (isWalletError(err) && err.code === 'lock_wait') setError(t('limits.wait'));
      else setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  async function touchId() {
    if (await lock?.service.confirmWithBiometrics(t('limits.touchIdReason', { amount }), false))
      onClose(true);
    else setError(t('lock.touchIdFailed'));
  }

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={`${id}-title`}
      data-testid="spend-guard"
      onCancel={(e) => {
        e.preventDefault();
        onClose(false);
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={`${id}-title`}>{t('limits.dialogTitle')}</h2>
        <p>
          {pending.kind === 'record' ? t('limits.needPasscode', { amount }) : t('limits.warn', { amount })}
        </p>
        {pending.kind === 'record' && (
          <div className="field">
            <label htmlFor={`${id}-passcode`}>{t('lock.passcode')}</label>
            <input
              id={`${id}-passcode`}
              type="password"
              autoComplete="off"
              data-testid="spend-guard-passcode"
              value={passcode}
              onChange={(e) => {
                setPasscode(e.target.value);
                setError(null);
              }}
            />
          </div>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy} data-testid="spend-guard-confirm">
            {pending.kind === 'record' ? t('limits.confirm') : t('limits.payAnyway')}
          </button>
          {biometrics && pending.kind === 'record' && (
            <button type="button" onClick={touchId}>
              {t('lock.touchId')}
            </button>
          )}
          <button type="button" onClick={() => onClose(false)} data-testid="spend-guard-cancel">
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
