import { CalendarDays } from 'lucide-react';
import { type InputHTMLAttributes, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { datePattern, isoToTyped, typedToIso } from '../lib/dateEntry';

type Props = {
  readonly id: string;
  /** An ISO date "YYYY-MM-DD", or "" for none. */
  readonly value: string;
  /** The ISO date typed or picked; "" when cleared; what was typed as is while it is not a date (the form reports it). */
  readonly onChange: (value: string) => void;
  readonly testId?: string;
  readonly disabled?: boolean;
} & Pick<InputHTMLAttributes<HTMLInputElement>, 'aria-invalid' | 'aria-describedby'>;

/**
 * A date typed and shown in the app's language (lib/dateEntry.ts) — a native date input would
 * follow the browser's language instead — with a button that opens the system's date picker.
 */
export function DateField({ id, value, onChange, testId, disabled, ...aria }: Props) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language;
  const [text, setText] = useState(() => isoToTyped(value, locale));
  const picker = useRef<HTMLInputElement>(null);

  // A value set from outside (a reset, a picked date, a language change) shows in the locale's way.
  useEffect(() => {
    setText((current) =>
      typedToIso(current, locale) === value || current === value ? current : isoToTyped(value, locale),
    );
  }, [value, locale]);

  function typed(next: string) {
    setText(next);
    if (next.trim() === '') onChange('');
    else onChange(typedToIso(next, locale) ?? next);
  }

  return (
    <span className="date-field">
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={datePattern(locale).placeholder}
        data-testid={testId}
        data-value={value}
        value={text}
        disabled={disabled}
        onChange={(e) => typed(e.target.value)}
        onBlur={() => {
          const iso = typedToIso(text, locale);
          if (iso) setText(isoToTyped(iso, locale));
        }}
        {...aria}
      />
      <button
        type="button"
        className="icon-button"
        aria-label={t('date.pick')}
        disabled={disabled}
        onClick={() => picker.current?.showPicker?.()}
      >
        <CalendarDays size={16} aria-hidden="true" />
      </button>
      <input
        ref={picker}
        type="date"
        className="date-picker-proxy"
        tabIndex={-1}
        aria-hidden="true"
        value={typedToIso(text, locale) ?? ''}
        onChange={(e) => {
          setText(isoToTyped(e.target.value, locale));
          onChange(e.target.value);
        }}
      />
    </span>
  );
}
