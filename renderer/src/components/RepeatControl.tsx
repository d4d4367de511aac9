import { useTranslation } from 'react-i18next';
import { DateField } from './DateField';
import type { RepeatErrors, RepeatForm, RepeatFrequency } from '../lib/repeatForm';

const FREQUENCIES: readonly RepeatFrequency[] = ['none', 'weekly', 'monthly', 'yearly'];

/** The "Repeat" part of the expense editor: how often, and until when (docs/renderer.md). */
export function RepeatControl({
  value,
  onChange,
  errors,
  startDate,
  idPrefix,
}: {
  value: RepeatForm;
  onChange: (patch: Partial<RepeatForm>) => void;
  errors: RepeatErrors;
  /** The expense's date: the first occurrence, and the day of the month it repeats on. */
  startDate: string;
  idPrefix: string;
}) {
  const { t } = useTranslation();
  const id = `${idPrefix}-repeat`;
  const day = value.day ?? (Number(startDate.slice(8, 10)) || 1);
  const error = (name: keyof RepeatErrors) =>
    errors[name] && (
      <p id={`${id}-${name}-err`} className="error" data-testid={`repeat-error-${name}`}>
        {t(`repeat.errors.${errors[name]}`)}
      </p>
    );
  return (
    <fieldset data-testid="repeat">
      <legend>{t('repeat.label')}</legend>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={`${id}-freq`}>{t('repeat.frequency')}</label>
          <select
            id={`${id}-freq`}
            data-testid="repeat-freq"
            value={value.freq}
            onChange={(e) => onChange({ freq: e.target.value as RepeatFrequency })}
          >
            {FREQUENCIES.map((f) => (
              <option key={f} value={f}>
                {t(`repeat.freq.${f}`)}
              </option>
            ))}
          </select>
        </div>
        {value.freq !== 'none' && (
          <div className="field">
            <label htmlFor={`${id}-interval`}>{t(`repeat.unit.${value.freq}`)}</label>
            <input
              id={`${id}-interval`}
              className="short"
              inputMode="numeric"
              data-testid="repeat-interval"
              value={value.interval}
              aria-invalid={errors.interval ? true : undefined}
              aria-describedby={errors.interval ? `${id}-interval-err` : undefined}
              onChange={(e) => onChange({ interval: e.target.value })}
            />
            {error('interval')}
          </div>
        )}
      </div>
      {value.freq === 'monthly' && (
        <div className="row" role="radiogroup" aria-label={t('repeat.monthDay')}>
          {(['date', 'last'] as const).map((m) => (
            <div className="field inline" key={m}>
              <input
                type="radio"
                id={`${id}-day-${m}`}
                name={`${id}-day`}
                data-testid={`repeat-day-${m}`}
                checked={value.monthDay === m}
                onChange={() => onChange({ monthDay: m })}
              />
              <label htmlFor={`${id}-day-${m}`}>
                {m === 'date' ? t('repeat.onDay', { day }) : t('repeat.onLastDay')}
              </label>
            </div>
          ))}
        </div>
      )}
      {value.freq === 'monthly' && value.monthDay === 'date' && day > 28 && (
        <p className="muted small">{t('repeat.shortMonths', { day })}</p>
      )}
      {value.freq !== 'none' && (
        <div className="grid-2">
          <div className="field">
            <label htmlFor={`${id}-end`}>{t('repeat.ends')}</label>
            <select
              id={`${id}-end`}
              data-testid="repeat-end"
              value={value.end}
              onChange={(e) => onChange({ end: e.target.value as RepeatForm['end'] })}
            >
              <option value="never">{t('repeat.end.never')}</option>
              <option value="until">{t('repeat.end.until')}</option>
              <option value="count">{t('repeat.end.count')}</option>
            </select>
          </div>
          {value.end === 'until' && (
            <div className="field">
              <label htmlFor={`${id}-until`}>{t('repeat.lastDate')}</label>
              <DateField
                id={`${id}-until`}
                testId="repeat-until"
                value={value.until}
                aria-invalid={errors.until ? true : undefined}
                aria-describedby={errors.until ? `${id}-until-err` : undefined}
                onChange={(until) => onChange({ until })}
              />
              {error('until')}
            </div>
          )}
          {value.end === 'count' && (
            <div className="field">
              <label htmlFor={`${id}-count`}>{t('repeat.times')}</label>
              <input
                id={`${id}-count`}
                className="short"
                inputMode="numeric"
                data-testid="repeat-count"
                value={value.count}
                aria-invalid={errors.count ? true : undefined}
                aria-describedby={errors.count ? `${id}-count-err` : undefined}
                onChange={(e) => onChange({ count: e.target.value })}
              />
              {error('count')}
            </div>
          )}
        </div>
      )}
      {value.freq !== 'none' && <p className="muted small">{t('repeat.help')}</p>}
    </fieldset>
  );
}
