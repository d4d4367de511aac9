import { useTranslation } from 'react-i18next';

export type OccurrenceScope = 'one' | 'following';

/** When editing one occurrence of a recurring expense: change only it, or it and the ones after. */
export function OccurrenceScopeChoice({
  value,
  onChange,
  idPrefix,
}: {
  value: OccurrenceScope;
  onChange: (scope: OccurrenceScope) => void;
  idPrefix: string;
}) {
  const { t } = useTranslation();
  return (
    <fieldset data-testid="occurrence-scope">
      <legend>{t('repeat.scope.label')}</legend>
      <div className="row" role="radiogroup" aria-label={t('repeat.scope.label')}>
        {(['one', 'following'] as const).map((s) => (
          <div className="field inline" key={s}>
            <input
              type="radio"
              id={`${idPrefix}-scope-${s}`}
              name={`${idPrefix}-scope`}
              data-testid={`occurrence-scope-${s}`}
              checked={value === s}
              onChange={() => onChange(s)}
            />
            <label htmlFor={`${idPrefix}-scope-${s}`}>{t(`repeat.scope.${s}`)}</label>
          </div>
        ))}
      </div>
      {value === 'following' && <p className="muted small">{t('repeat.scope.followingHelp')}</p>}
    </fieldset>
  );
}
