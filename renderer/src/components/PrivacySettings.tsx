/**
 * Settings → Privacy and limits: privacy mode (amounts hidden until clicked), the per-currency
 * spending limit (lib/spendLimit.ts), and which notifications to show (lib/notices.ts).
 */
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fromDecimalString } from '../../../shared/money/format';
import { useAppLock, useFormat, usePrefs, usePrefsStore } from '../hooks';
import { NOTICE_SETTING_KINDS } from '../lib/notices';
import { withLimit } from '../lib/spendLimit';
import { CurrencySelect } from './CurrencySelect';

export function PrivacySettings() {
  const { t } = useTranslation();
  const prefs = usePrefs();
  const store = usePrefsStore();
  const lock = useAppLock();
  const fmt = useFormat();
  const id = useId();
  const [currency, setCurrency] = useState(prefs.defaultCurrency);
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | null>(null);
  const limits = Object.entries(prefs.spendLimits);

  function addLimit(e: FormEvent) {
    e.preventDefault();
    const parsed = fromDecimalString(amount.trim(), currency);
    if (!parsed.ok || parsed.value < 0) return setError(t('limits.invalid'));
    store.update({ spendLimits: withLimit(prefs.spendLimits, currency, parsed.value) });
    setAmount('');
    setError(null);
  }

  return (
    <>
      <div className="card" data-testid="privacy-settings">
        <h2>{t('privacy.title')}</h2>
        <div className="field inline">
          <input
            type="checkbox"
            id={`${id}-privacy`}
            data-testid="privacy-mode"
            checked={prefs.privacyMode}
            onChange={(e) => store.update({ privacyMode: e.target.checked })}
          />
          <label htmlFor={`${id}-privacy`}>{t('privacy.mode')}</label>
        </div>
        <p className="muted small">{t('privacy.hint')}</p>

        <h3>{t('limits.title')}</h3>
        <p className="muted small">{lock?.snap.canLock ? t('limits.hint') : t('limits.hintNoPasscode')}</p>
        {limits.length > 0 && (
          <ul className="plain-list" data-testid="limits-list">
            {limits.map(([c, limit]) => (
              <li key={c} className="row between">
                <span>{t('limits.item', { amount: fmt.money(limit, c) })}</span>
                <button
                  type="button"
                  onClick={() => store.update({ spendLimits: withLimit(prefs.spendLimits, c, null) })}
                >
                  {t('limits.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
        <form className="row" onSubmit={addLimit} noValidate>
          <CurrencySelect
            label={t('limits.currency')}
            value={currency}
            onChange={setCurrency}
            testId="limit-currency"
          />
          <div className="field">
            <label htmlFor={`${id}-limit`}>{t('limits.amount')}</label>
            <input
              id={`${id}-limit`}
              inputMode="decimal"
              data-testid="limit-amount"
              value={amount}
              aria-invalid={error ? true : undefined}
              onChange={(e) => {
                setAmount(e.target.value);
                setError(null);
              }}
            />
          </div>
          <button type="submit" data-testid="limit-save">
            {t('limits.set')}
          </button>
        </form>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>

      <fieldset className="card" data-testid="notice-settings">
        <legend>{t('notices.settingsTitle')}</legend>
        {NOTICE_SETTING_KINDS.map((kind) => (
          <div className="field inline" key={kind}>
            <input
              type="checkbox"
              id={`${id}-notice-${kind}`}
              data-testid={`notice-${kind}`}
              checked={prefs.notices[kind]}
              onChange={(e) => store.update({ notices: { ...prefs.notices, [kind]: e.target.checked } })}
            />
            <label htmlFor={`${id}-notice-${kind}`}>{t(`notices.kind.${kind}`)}</label>
          </div>
        ))}
        <div className="field inline">
          <input
            type="checkbox"
            id={`${id}-notice-details`}
            data-testid="notice-details-locked"
            checked={prefs.noticeDetailsWhenLocked}
            onChange={(e) => store.update({ noticeDetailsWhenLocked: e.target.checked })}
          />
          <label htmlFor={`${id}-notice-details`}>{t('notices.detailsWhenLocked')}</label>
        </div>
      </fieldset>
    </>
  );
}
