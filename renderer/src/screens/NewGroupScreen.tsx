import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CurrencySelect } from '../components/CurrencySelect';
import { useApp, usePrefs, useWallet } from '../hooks';
import { navigate } from '../hooks/useRoute';
import { isValidRelayUrl } from '../lib/invite';
import { hrefFor } from '../lib/route';

export function NewGroupScreen() {
  const { t } = useTranslation();
  const wallet = useWallet();
  const app = useApp();
  const prefs = usePrefs();
  const [name, setName] = useState('');
  const [currency, setCurrency] = useState(prefs.defaultCurrency);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const relayOk = isValidRelayUrl(app.relayUrl);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError(t('newGroup.nameRequired'));
    if (trimmed.length > 80) return setError(t('newGroup.nameTooLong'));
    if (!relayOk) return setError(t('newGroup.relayMissing'));
    setBusy(true);
    try {
      const groupId = await wallet.createGroup(trimmed, currency);
      navigate(hrefFor({ name: 'group', groupId, tab: 'invite' }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <section className="narrow" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('newGroup.title')}</h1>
      <form className="card" onSubmit={submit} noValidate data-testid="new-group-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('newGroup.name')}</label>
          <input
            id={`${id}-name`}
            data-testid="new-group-name"
            value={name}
            maxLength={80}
            placeholder={t('newGroup.namePlaceholder')}
            aria-invalid={error ? true : undefined}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
          />
        </div>
        <CurrencySelect
          label={t('newGroup.currency')}
          value={currency}
          onChange={setCurrency}
          testId="new-group-currency"
        />
        <p className="muted small">
          {relayOk ? t('newGroup.relayInfo', { relay: app.relayUrl }) : t('newGroup.relayMissing')}
        </p>
        {error && (
          <p className="error" role="alert" data-testid="new-group-error">
            {error}
          </p>
        )}
        <div className="row end">
          <a className="button" href="#/">
            {t('common.cancel')}
          </a>
          <button type="submit" className="primary" disabled={busy} data-testid="new-group-submit">
            {t('newGroup.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
