/**
 * Setting a passcode (first run, Settings, after a recovery-key unlock) and the recovery key,
 * shown ONCE, with what losing both means and a confirmation that it was written down.
 */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MIN_PASSCODE_LENGTH } from '../../../shared/crypto/key-wrap';

/** Checks a new passcode and its repetition; an i18n key for the problem, or null. */
export function passcodeProblem(passcode: string, repeat: string): string | null {
  if ([...passcode.normalize('NFKC')].length < MIN_PASSCODE_LENGTH) return 'lock.tooShort';
  if (passcode !== repeat) return 'lock.mismatch';
  return null;
}

export function PasscodeFields({
  passcode,
  repeat,
  onChange,
  error,
}: {
  passcode: string;
  repeat: string;
  onChange(passcode: string, repeat: string): void;
  error: string | null;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-new`}>{t('lock.newPasscode')}</label>
        <input
          id={`${id}-new`}
          type="password"
          autoComplete="new-password"
          data-testid="passcode-new"
          value={passcode}
          aria-describedby={`${id}-hint`}
          aria-invalid={error ? true : undefined}
          onChange={(e) => onChange(e.target.value, repeat)}
        />
        <p id={`${id}-hint`} className="muted small">
          {t('lock.passcodeHint', { min: MIN_PASSCODE_LENGTH })}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-repeat`}>{t('lock.repeatPasscode')}</label>
        <input
          id={`${id}-repeat`}
          type="password"
          autoComplete="new-password"
          data-testid="passcode-repeat"
          value={repeat}
          aria-invalid={error ? true : undefined}
          onChange={(e) => onChange(passcode, e.target.value)}
        />
      </div>
      {error && (
        <p className="error" role="alert" data-testid="passcode-error">
          {error}
        </p>
      )}
    </>
  );
}

/** The recovery key, shown once: continuing needs "I wrote it down". */
export function RecoveryKeyNotice({ recoveryKey, onDone }: { recoveryKey: string; onDone(): void }) {
  const { t } = useTranslation();
  const id = useId();
  const [written, setWritten] = useState(false);
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="recovery-key-notice">
      <h2 id={`${id}-title`}>{t('lock.recoveryTitle')}</h2>
      <p>{t('lock.recoveryIntro')}</p>
      <p className="mono recovery-key" data-testid="recovery-key">
        {recoveryKey}
      </p>
      <p className="notice danger" role="note">
        {t('lock.recoveryWarning')}
      </p>
      <div className="field inline">
        <input
          type="checkbox"
          id={`${id}-written`}
          data-testid="recovery-written"
          checked={written}
          onChange={(e) => setWritten(e.target.checked)}
        />
        <label htmlFor={`${id}-written`}>{t('lock.recoveryWritten')}</label>
      </div>
      <button
        type="button"
        className="primary"
        disabled={!written}
        onClick={onDone}
        data-testid="recovery-done"
      >
        {t('lock.recoveryDone')}
      </button>
    </section>
  );
}

/**
 * A passcode form that sets the passcode with `save` (resolving the recovery key) and then shows
 * the key once; `onDone` runs after "I wrote it down".
 */
export function PasscodeSetup({
  save,
  onDone,
  onCancel,
  submitLabel,
}: {
  save(passcode: string): Promise<string>;
  onDone(): void;
  onCancel?: () => void;
  submitLabel?: string;
}) {
  const { t } = useTranslation();
  const [passcode, setPasscode] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [recovery, setRecovery] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problem = passcodeProblem(passcode, repeat);
    if (problem) return setError(t(problem, { min: MIN_PASSCODE_LENGTH }));
    setBusy(true);
    try {
      setRecovery(await save(passcode));
      setPasscode('');
      setRepeat('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  if (recovery) return <RecoveryKeyNotice recoveryKey={recovery} onDone={onDone} />;
  return (
    <form onSubmit={submit} noValidate data-testid="passcode-setup">
      <PasscodeFields
        passcode={passcode}
        repeat={repeat}
        error={error}
        onChange={(p, r) => {
          setPasscode(p);
          setRepeat(r);
          setError(null);
        }}
      />
      <div className="row">
        <button type="submit" className="primary" disabled={busy} data-testid="passcode-save">
          {submitLabel ?? t('lock.setPasscode')}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} disabled={busy}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
