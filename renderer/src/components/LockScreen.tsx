/**
 * The lock screen: the only thing mounted while the app is locked (components/LockGate.tsx), so
 * no group name, amount or message is in the page. Passcode, the recovery key, or Touch ID (on a
 * Mac, for a screen lock only); growing waits after wrong tries; the wipe's final warning.
 */
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isWalletError } from '../../../shared/errors';
import { useAppLock, usePrefs } from '../hooks';
import { wipeStage } from '../lib/lockAttempts';

export function LockScreen() {
  const { t } = useTranslation();
  const lock = useAppLock();
  const prefs = usePrefs();
  const id = useId();
  const [mode, setMode] = useState<'passcode' | 'recovery'>('passcode');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const [biometrics, setBiometrics] = useState(false);
  const service = lock?.service;
  const failures = lock?.snap.attempts.failures ?? 0;
  const retryAt = service?.retryAt() ?? 0;
  const waitMs = Math.max(0, retryAt - now);
  const waiting = waitMs > 0;

  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [waiting]);
  useEffect(() => {
    let live = true;
    void service?.biometricsAvailable().then((ok) => live && setBiometrics(ok));
    return () => {
      live = false;
    };
  }, [service]);

  if (!service) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!service || busy || waiting || !value) return;
    setBusy(true);
    setError(null);
    try {
      if (mode === 'passcode') await service.unlockWithPasscode(value);
      else await service.unlockWithRecoveryKey(value);
    } catch (err) {
      setValue('');
      // A failure just recorded may start a wait: look at the clock again.
      setNow(Date.now());
      if (!isWalletError(err)) setError(String(err));
      else if (err.code === 'wrong_passcode') setError(t('lock.wrongPasscode'));
      else if (err.code === 'wrong_recovery_key') setError(t('lock.wrongRecoveryKey'));
      else if (err.code === 'recovery_key_invalid') setError(t('lock.recoveryKeyInvalid'));
      else if (err.code !== 'lock_wait') setError(err.message);
    } finally {
      setBusy(false);
    }
  }

  async function touchId() {
    if (!service) return;
    setError(null);
    const ok = await service.confirmWithBiometrics(t('lock.touchIdReason'), true);
    if (!ok) setError(t('lock.touchIdFailed'));
  }

  const stage = wipeStage(failures, prefs.wipeAfter);
  return (
    <main className="main narrow lock-screen" data-testid="lock-screen" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('lock.title')}</h1>
      <form className="card" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-value`}>
            {mode === 'passcode' ? t('lock.passcode') : t('lock.recoveryKey')}
          </label>
          <input
            id={`${id}-value`}
            type={mode === 'passcode' ? 'password' : 'text'}
            autoComplete="off"
            spellCheck={false}
            // biome-ignore lint/a11y/noAutofocus: the lock screen has one job; the field is it.
            autoFocus
            data-testid={mode === 'passcode' ? 'lock-passcode' : 'lock-recovery-key'}
            value={value}
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              setValue(e.target.value);
              setError(null);
            }}
          />
        </div>
        {error && (
          <p className="error" role="alert" data-testid="lock-error">
            {error}
          </p>
        )}
        {waiting && (
          <p className="notice" role="status" data-testid="lock-wait">
            {t('lock.wait', { seconds: Math.ceil(waitMs / 1000) })}
          </p>
        )}
        {stage === 'warn' && (
          <p className="notice danger" role="alert" data-testid="lock-wipe-warning">
            {t('lock.wipeWarning')}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy || waiting} data-testid="lock-submit">
            {busy ? t('lock.unlocking') : t('lock.unlock')}
          </button>
          {biometrics && mode === 'passcode' && (
            <button type="button" onClick={touchId} data-testid="lock-touch-id">
              {t('lock.touchId')}
            </button>
          )}
        </div>
      </form>
      <button
        type="button"
        className="link"
        data-testid="lock-switch-mode"
        onClick={() => {
          setMode(mode === 'passcode' ? 'recovery' : 'passcode');
          setValue('');
          setError(null);
        }}
      >
        {mode === 'passcode' ? t('lock.useRecoveryKey') : t('lock.usePasscode')}
      </button>
      {mode === 'recovery' && <p className="muted small">{t('lock.recoveryHint')}</p>}
    </main>
  );
}
