import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useWallet } from '../hooks';
import { linkThisDevice } from '../services/deviceLinking';
import { useLinkErrorText } from './DevicesCard';

/**
 * Welcome screen: "This is a new device: link it" (docs/protocol.md §16). Pasting the link from
 * the other device (the QR code carries the same text) runs the new device's side of the
 * ceremony; once the other device confirms, the wallet is ready with the person's groups.
 */
export function LinkThisDevice() {
  const { t } = useTranslation();
  const wallet = useWallet();
  const id = useId();
  const errorText = useLinkErrorText();
  const [link, setLink] = useState('');
  const [name, setName] = useState(() => t('devices.welcomeNameDefault'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await linkThisDevice(wallet, link, name);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} noValidate data-testid="welcome-link">
      <h2>{t('devices.welcomeTitle')}</h2>
      <p className="muted small">{t('devices.welcomeIntro')}</p>
      <div className="field">
        <label htmlFor={`${id}-link`}>{t('devices.welcomeLink')}</label>
        <input
          id={`${id}-link`}
          value={link}
          onChange={(e) => setLink(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          data-testid="welcome-link-text"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('devices.welcomeName')}</label>
        <input
          id={`${id}-name`}
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.target.value)}
          data-testid="welcome-link-name"
        />
      </div>
      {busy && (
        <p className="muted small" role="status">
          {t('devices.welcomeWaiting')}
        </p>
      )}
      {error && (
        <p className="error" role="alert" data-testid="welcome-link-error">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy || link.trim() === ''} data-testid="welcome-link-submit">
        {t('devices.welcomeSubmit')}
      </button>
    </form>
  );
}
