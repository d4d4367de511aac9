import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useWallet } from '../hooks';
import { navigate } from '../hooks/useRoute';
import { linkThisDevice } from '../services/deviceLinking';
import { useLinkErrorText } from './DevicesCard';

/**
 * Welcome screen: "This is a new device: link it" (docs/protocol.md §16). Pasting the link from
 * the other device (the QR code carries the same text) runs the new device's side of the
 * ceremony; once the other device confirms, the wallet is ready with the person's groups.
 */
export function LinkThisDevice({ initialLink = '' }: { initialLink?: string }) {
  const { t } = useTranslation();
  const wallet = useWallet();
  const id = useId();
  const errorText = useLinkErrorText();
  const [link, setLink] = useState(initialLink);
  const [name, setName] = useState(() => t('devices.welcomeNameDefault'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const waiting = useRef<AbortController | null>(null);
  useEffect(() => () => waiting.current?.abort(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const controller = new AbortController();
    waiting.current = controller;
    setBusy(true);
    setError(null);
    try {
      await linkThisDevice(wallet, link, name, controller.signal);
      // Opened from a device link (#/link?…): the groups, not "this device is already set up".
      navigate('#/');
    } catch (err) {
      // Cancelled by the person: back to the form, nothing to explain.
      if (!controller.signal.aborted) setError(errorText(err));
    } finally {
      if (waiting.current === controller) waiting.current = null;
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
        <div className="row" role="status">
          <p className="muted small">{t('devices.welcomeWaiting')}</p>
          <button type="button" onClick={() => waiting.current?.abort()} data-testid="welcome-link-cancel">
            {t('common.cancel')}
          </button>
        </div>
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
