import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { listCurrencies } from '../../../shared/money/currencies';

/** Currencies people use most first, then every ISO 4217 code. */
const COMMON = ['CNY', 'USD', 'EUR', 'GBP', 'JPY', 'HKD', 'TWD', 'SGD', 'AUD', 'CAD', 'CHF', 'KRW'];

// One DisplayNames per locale: building one costs far more than a lookup, and there are ~150 codes.
const displayNames = new Map<string, Intl.DisplayNames | null>();

function currencyName(code: string, locale: string): string {
  let names = displayNames.get(locale);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([locale], { type: 'currency' });
    } catch {
      names = null;
    }
    displayNames.set(locale, names);
  }
  try {
    return names?.of(code) ?? code;
  } catch {
    return code;
  }
}

export function CurrencySelect({
  label,
  value,
  onChange,
  testId,
  hideLabel = false,
}: {
  label: string;
  value: string;
  onChange: (code: string) => void;
  testId?: string;
  hideLabel?: boolean;
}) {
  const { i18n } = useTranslation();
  const id = useId();
  const options = useMemo(() => {
    const all = listCurrencies().map((c) => c.code);
    const rest = all.filter((c) => !COMMON.includes(c));
    return [...COMMON.filter((c) => all.includes(c)), ...rest].map((code) => ({
      code,
      name: currencyName(code, i18n.language),
    }));
  }, [i18n.language]);
  return (
    <div className={hideLabel ? undefined : 'field'}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <select id={id} value={value} data-testid={testId} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.code} value={o.code}>
            {o.code} — {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}
