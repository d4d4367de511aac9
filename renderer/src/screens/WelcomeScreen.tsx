import { type FormEvent, useId, useState } from 'react';
import { Scale, ShieldCheck, WifiOff } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { MIN_PASSCODE_LENGTH } from '../../../shared/crypto/key-wrap';
import { LanguagePicker } from '../components/LanguagePicker';
import { LinkThisDevice } from '../components/LinkThisDevice';
import { PasscodeFields, passcodeProblem, RecoveryKeyNotice } from '../components/PasscodeSetup';
import { useAtRest, useWallet } from '../hooks';
import { navigate } from '../hooks/useRoute';
import { hrefFor, type Route } from '../lib/route';

/**
 * First run: the only thing we need is a name; the identity key pair is created on the spot.
 * Below the name, a passcode is offered (the app lock; empty = skip). When one is set, the
 * recovery key is shown once and "I wrote it down" comes before the identity is made.
 */
export function WelcomeScreen({ pendingRoute }: { pendingRoute: Route }) {
  const { t } = useTranslation();
  const wallet = useWallet();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const atRest = useAtRest();
  const [passcode, setPasscode] = useState('');
  const [repeat, setRepeat] = useState('');
  const [passcodeError, setPasscodeError] = useState<string | null>(null);
  const [recovery, setRecovery] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError(t('welcome.nameRequired'));
      return;
    }
    if (trimmed.length > 80) {
      setError(t('welcome.nameTooLong'));
      return;
    }
    if (atRest && (passcode || repeat)) {
      const problem = passcodeProblem(passcode, repeat);
      if (problem) return setPasscodeError(t(problem, { min: MIN_PASSCODE_LENGTH }));
      setBusy(true);
      try {
        setRecovery(await atRest.service.setPasscode(passcode));
        setPasscode('');
        setRepeat('');
      } catch (err) {
        setPasscodeError(err instanceof Error ? err.message : String(err));
      } finally {
        setBusy(false);
      }
      return;
    }
    await start(trimmed);
  }

  async function start(trimmed: string) {
    setBusy(true);
    try {
      await wallet.createIdentity(trimmed);
      // Someone who opened an invite link first lands on the join screen with it.
      if (pendingRoute.name === 'join') navigate(hrefFor(pendingRoute));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  if (recovery) {
    return (
      <main className="main narrow welcome" data-testid="welcome">
        <RecoveryKeyNotice recoveryKey={recovery} onDone={() => void start(name.trim())} />
      </main>
    );
  }

  return (
    <main className="main narrow welcome" data-testid="welcome">
      <div className="row end">
        <LanguagePicker />
      </div>
      <div className="welcome-hero">
        <img src="./icon.png" alt="" />
        <h1>{t('welcome.title')}</h1>
        <p className="muted">{t('welcome.intro')}</p>
      </div>
      <ul className="welcome-points">
        <li>
          <WifiOff size={18} aria-hidden="true" />
          <span>{t('welcome.pointOffline')}</span>
        </li>
        <li>
          <ShieldCheck size={18} aria-hidden="true" />
          <span>{t('welcome.pointPrivate')}</span>
        </li>
        <li>
          <Scale size={18} aria-hidden="true" />
          <span>{t('welcome.pointExact')}</span>
        </li>
      </ul>
      <form className="card" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('welcome.nameLabel')}</label>
          <input
            id={`${id}-name`}
            data-testid="welcome-name"
            value={name}
            maxLength={80}
            autoComplete="nickname"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-err` : `${id}-hint`}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
          />
          <p id={`${id}-hint`} className="muted small">
            {t('welcome.nameHint')}
          </p>
          {error && (
            <p id={`${id}-err`} className="error" role="alert">
              {error}
            </p>
          )}
        </div>
        {atRest && (
          <fieldset data-testid="welcome-passcode">
            <legend>{t('lock.welcomeTitle')}</legend>
            <p className="muted small">{t('lock.welcomeIntro')}</p>
            <PasscodeFields
              passcode={passcode}
              repeat={repeat}
              error={passcodeError}
              onChange={(p, r) => {
                setPasscode(p);
                setRepeat(r);
                setPasscodeError(null);
              }}
            />
          </fieldset>
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="welcome-submit">
          {t('welcome.start')}
        </button>
      </form>
      <LinkThisDevice initialLink={pendingRoute.name === 'link-device' ? pendingRoute.link : ''} />
    </main>
  );
}
