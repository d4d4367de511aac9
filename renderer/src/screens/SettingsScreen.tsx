import { type FormEvent, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AtRestStatus } from '../components/AtRestStatus';
import { CurrencySelect } from '../components/CurrencySelect';
import { DevicesCard } from '../components/DevicesCard';
import { LanguagePicker } from '../components/LanguagePicker';
import { LanSyncToggle } from '../components/LanSyncToggle';
import { ReminderSetting } from '../components/ReminderSetting';
import { UpdateSettings } from '../components/UpdateSettings';
import { LockSettings } from '../components/LockSettings';
import { PrivacySettings } from '../components/PrivacySettings';
import { useApp, usePrefs, usePrefsStore, useWallet } from '../hooks';
import { isValidRelayUrl } from '../lib/invite';
import {
  appVersion,
  enableBrowserNotifications,
  isDesktop,
  notificationsAvailable,
} from '../services/platform';

export function SettingsScreen() {
  const { t } = useTranslation();
  const app = useApp();
  const wallet = useWallet();
  const prefs = usePrefs();
  const store = usePrefsStore();
  const id = useId();
  const [name, setName] = useState(app.me?.name ?? '');
  const [nameMsg, setNameMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [relay, setRelay] = useState(prefs.relayUrl);
  const [relayMsg, setRelayMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [version, setVersion] = useState<string | undefined>();
  const [notifications, setNotifications] = useState(
    typeof Notification !== 'undefined' && Notification.permission === 'granted',
  );

  useEffect(() => {
    void appVersion().then(setVersion);
  }, []);

  async function saveName(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 80) {
      setNameMsg({ ok: false, text: t('welcome.nameRequired') });
      return;
    }
    try {
      await wallet.rename(trimmed);
      setNameMsg({ ok: true, text: t('settings.saved') });
    } catch (err) {
      setNameMsg({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  }

  function saveRelay(e: FormEvent) {
    e.preventDefault();
    const value = relay.trim();
    if (value !== '' && !isValidRelayUrl(value)) {
      setRelayMsg({ ok: false, text: t('settings.relayInvalid') });
      return;
    }
    store.update({ relayUrl: value });
    wallet.refreshRelay();
    setRelayMsg({ ok: true, text: t('settings.saved') });
  }

  return (
    <section className="narrow" aria-labelledby={`${id}-title`} data-testid="settings">
      <h1 id={`${id}-title`}>{t('settings.title')}</h1>

      <form className="card" onSubmit={saveName} noValidate>
        <h2>{t('settings.profile')}</h2>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('settings.displayName')}</label>
          <div className="row nowrap">
            <input
              id={`${id}-name`}
              data-testid="settings-name"
              value={name}
              maxLength={80}
              onChange={(e) => {
                setName(e.target.value);
                setNameMsg(null);
              }}
            />
            <button type="submit" data-testid="settings-name-save">
              {t('common.save')}
            </button>
          </div>
          <p className="muted small">{t('settings.displayNameHint')}</p>
          {nameMsg && (
            <p className={nameMsg.ok ? 'muted small' : 'error'} role="status">
              {nameMsg.text}
            </p>
          )}
        </div>
        {app.me && (
          <p className="muted small">
            {t('settings.memberId')} <span className="mono">{app.me.id}</span>
          </p>
        )}
      </form>

      <DevicesCard />

      <form className="card" onSubmit={saveRelay} noValidate>
        <h2>{t('settings.sync')}</h2>
        <div className="field">
          <label htmlFor={`${id}-relay`}>{t('settings.relayUrl')}</label>
          <div className="row nowrap">
            <input
              id={`${id}-relay`}
              type="url"
              data-testid="settings-relay"
              value={relay}
              placeholder={app.relayUrl}
              aria-invalid={relayMsg && !relayMsg.ok ? true : undefined}
              onChange={(e) => {
                setRelay(e.target.value);
                setRelayMsg(null);
              }}
            />
            <button type="submit" data-testid="settings-relay-save">
              {t('common.save')}
            </button>
          </div>
          <p className="muted small">{t('settings.relayHint')}</p>
          {relayMsg && (
            <p
              className={relayMsg.ok ? 'muted small' : 'error'}
              role="status"
              data-testid="settings-relay-msg"
            >
              {relayMsg.text}
            </p>
          )}
        </div>
        <LanSyncToggle />
        <UpdateSettings />
        <ReminderSetting />
      </form>

      <div className="card">
        <h2>{t('settings.appearance')}</h2>
        <LanguagePicker showLabel />
        <CurrencySelect
          label={t('settings.defaultCurrency')}
          value={prefs.defaultCurrency}
          onChange={(c) => store.update({ defaultCurrency: c })}
          testId="settings-currency"
        />
        <fieldset>
          <legend>{t('settings.theme')}</legend>
          <div className="row">
            {(['light', 'dark'] as const).map((theme) => (
              <div className="field inline" key={theme}>
                <input
                  type="radio"
                  id={`${id}-theme-${theme}`}
                  name={`${id}-theme`}
                  data-testid={`theme-${theme}`}
                  checked={prefs.theme === theme}
                  onChange={() => store.update({ theme })}
                />
                <label htmlFor={`${id}-theme-${theme}`}>{t(`settings.themes.${theme}`)}</label>
              </div>
            ))}
          </div>
        </fieldset>
        {!isDesktop() && notificationsAvailable() && (
          <div className="field inline">
            <input
              type="checkbox"
              id={`${id}-notify`}
              checked={notifications}
              disabled={notifications}
              onChange={async () => setNotifications(await enableBrowserNotifications())}
            />
            <label htmlFor={`${id}-notify`}>{t('settings.notifications')}</label>
          </div>
        )}
      </div>

      <div className="card">
        <h2>{t('settings.security')}</h2>
        <AtRestStatus />
        {app.secretProtected ? (
          <p data-testid="secret-status">{t('settings.secretProtected')}</p>
        ) : (
          <p className="notice" data-testid="secret-status">
            {isDesktop() ? t('settings.secretNoKeychain') : t('settings.secretBrowser')}
          </p>
        )}
        {version && <p className="muted small">{t('settings.version', { version })}</p>}
      </div>
      <LockSettings />
      <PrivacySettings />
    </section>
  );
}
