/**
 * Settings → App lock: set, change or remove the passcode (changing or removing asks for the
 * current one), lock after idle minutes, the optional wipe, and "Lock now".
 */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isWalletError } from '../../../shared/errors';
import { useAppLock, useAtRest, usePrefs, usePrefsStore } from '../hooks';
import { IDLE_MINUTES_CHOICES, WIPE_AFTER_CHOICES } from '../services/prefs';
import { PasscodeSetup } from './PasscodeSetup';

type Step = 'idle' | 'verify-change' | 'verify-remove' | 'set';

export function LockSettings() {
  const { t } = useTranslation();
  const atRest = useAtRest();
  const lock = useAppLock();
  const prefs = usePrefs();
  const store = usePrefsStore();
  const id = useId();
  const [step, setStep] = useState<Step>('idle');
  const [current, setCurrent] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  if (!atRest || !lock) return null;
  const hasPasscode = lock.snap.canLock;

  async function verify(e: FormEvent) {
    e.preventDefault();
    if (!atRest || !lock) return;
    setError(null);
    try {
      await lock.service.verifyPasscode(current);
      setCurrent('');
      if (step === 'verify-remove') {
        await atRest.service.clearPasscode();
        setStep('idle');
        setMessage(t('lock.removed'));
      } else setStep('set');
    } catch (err) {
      setCurrent('');
      if (isWalletError(err) && err.code === 'wrong_passcode') setError(t('lock.wrongPasscode'));
      else if (isWalletError(err) && err.code === 'lock_wait') setError(t('limits.wait'));
      else setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <div className="card" data-testid="lock-settings">
      <h2>{t('lock.settingsTitle')}</h2>
      <p className="muted small">{hasPasscode ? t('lock.statusOn') : t('lock.statusOff')}</p>
      {message && (
        <p className="muted small" role="status">
          {message}
        </p>
      )}
      {step === 'idle' && (
        <div className="row">
          {hasPasscode ? (
            <>
              <button
                type="button"
                className="primary"
                onClick={() => lock.service.lock()}
                data-testid="lock-now"
              >
                {t('lock.lockNow')}
              </button>
              <button type="button" onClick={() => setStep('verify-change')} data-testid="passcode-change">
                {t('lock.changePasscode')}
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => setStep('verify-remove')}
                data-testid="passcode-remove"
              >
                {t('lock.removePasscode')}
              </button>
            </>
          ) : (
            <button
              type="button"
              className="primary"
              onClick={() => setStep('set')}
              data-testid="passcode-set"
            >
              {t('lock.setPasscode')}
            </button>
          )}
        </div>
      )}
      {(step === 'verify-change' || step === 'verify-remove') && (
        <form onSubmit={verify} noValidate>
          <div className="field">
            <label htmlFor={`${id}-current`}>{t('lock.currentPasscode')}</label>
            <input
              id={`${id}-current`}
              type="password"
              autoComplete="current-password"
              data-testid="passcode-current"
              value={current}
              onChange={(e) => {
                setCurrent(e.target.value);
                setError(null);
              }}
            />
          </div>
          {step === 'verify-remove' && <p className="notice">{t('lock.removeWarning')}</p>}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="row">
            <button type="submit" className="primary" data-testid="passcode-current-ok">
              {step === 'verify-remove' ? t('lock.removePasscode') : t('lock.continue')}
            </button>
            <button type="button" onClick={() => setStep('idle')}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {step === 'set' && (
        <PasscodeSetup
          save={(p) => atRest.service.setPasscode(p)}
          onDone={() => {
            setStep('idle');
            setMessage(t('lock.saved'));
          }}
          onCancel={() => setStep('idle')}
        />
      )}
      <div className="field">
        <label htmlFor={`${id}-idle`}>{t('lock.idleLabel')}</label>
        <select
          id={`${id}-idle`}
          data-testid="lock-idle"
          value={prefs.lockIdleMinutes}
          disabled={!hasPasscode}
          onChange={(e) => store.update({ lockIdleMinutes: Number(e.target.value) })}
        >
          {IDLE_MINUTES_CHOICES.map((m) => (
            <option key={m} value={m}>
              {m === 0 ? t('lock.never') : t('lock.minutes', { count: m })}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-wipe`}>{t('lock.wipeLabel')}</label>
        <select
          id={`${id}-wipe`}
          data-testid="lock-wipe"
          value={prefs.wipeAfter}
          disabled={!hasPasscode}
          onChange={(e) => store.update({ wipeAfter: Number(e.target.value) })}
        >
          {WIPE_AFTER_CHOICES.map((n) => (
            <option key={n} value={n}>
              {n === 0 ? t('lock.wipeOff') : t('lock.wipeAfter', { count: n })}
            </option>
          ))}
        </select>
        <p className="muted small">{t('lock.wipeHint')}</p>
      </div>
    </div>
  );
}
