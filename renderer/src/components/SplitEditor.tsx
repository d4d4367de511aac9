import { useTranslation } from 'react-i18next';
import type { MemberId, Minor, SplitMode } from '../../../shared/money/types';
import { basisPointsToText, type ExpenseForm, type SplitProgress } from '../lib/expenseForm';

const MODES: readonly SplitMode[] = ['equal', 'exact', 'percent', 'shares', 'adjustment'];

/**
 * How an expense is split: the mode, one row per member (included, amount, percent or weight),
 * each member's share as it would be saved, and what is left to assign while typing.
 */
export function SplitEditor({
  form,
  set,
  members,
  idPrefix,
  nameOf,
  money,
  preview,
  progress,
  rowError,
  splitError,
}: {
  form: ExpenseForm;
  set: (patch: Partial<ExpenseForm>) => void;
  members: readonly MemberId[];
  idPrefix: string;
  nameOf: (member: MemberId) => string;
  money: (minor: number) => string;
  preview: Readonly<Record<MemberId, Minor>> | null;
  progress: SplitProgress | null;
  rowError: (member: MemberId) => string | null;
  splitError: string | null;
}) {
  const { t } = useTranslation();
  return (
    <fieldset data-testid="split">
      <legend>{t('editor.split')}</legend>
      <div className="row" role="radiogroup" aria-label={t('editor.splitMode')}>
        {MODES.map((m) => (
          <div className="field inline" key={m}>
            <input
              type="radio"
              id={`${idPrefix}-mode-${m}`}
              name={`${idPrefix}-mode`}
              value={m}
              data-testid={`split-mode-${m}`}
              checked={form.mode === m}
              onChange={() => set({ mode: m })}
            />
            <label htmlFor={`${idPrefix}-mode-${m}`}>{t(`editor.modes.${m}`)}</label>
          </div>
        ))}
      </div>
      <p className="muted small">{t(`editor.modeHelp.${form.mode}`)}</p>
      <table className="split-table">
        <thead>
          <tr>
            <th scope="col">{t('editor.member')}</th>
            {form.mode !== 'equal' && (
              <th scope="col" className="num">
                {t(`editor.valueHeader.${form.mode}`)}
              </th>
            )}
            <th scope="col" className="num">
              {t('editor.share')}
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <SplitRow
              key={m}
              member={m}
              form={form}
              set={set}
              idPrefix={idPrefix}
              name={nameOf(m)}
              share={preview?.[m]}
              error={rowError(m)}
              money={money}
            />
          ))}
        </tbody>
      </table>
      {progress && (
        <p
          className={progress.left === 0 ? 'muted small' : 'small warn-text'}
          data-testid="split-left"
          data-left={progress.left}
          aria-live="polite"
        >
          {progress.left === 0
            ? t('editor.allAssigned')
            : progress.left > 0
              ? t('editor.leftToAssign', {
                  amount:
                    progress.unit === 'money' ? money(progress.left) : `${basisPointsToText(progress.left)}%`,
                })
              : t('editor.overAssigned', {
                  amount:
                    progress.unit === 'money'
                      ? money(-progress.left)
                      : `${basisPointsToText(-progress.left)}%`,
                })}
        </p>
      )}
      {splitError && (
        <p className="error" data-testid="error-split">
          {splitError}
        </p>
      )}
    </fieldset>
  );
}

function SplitRow({
  member,
  form,
  set,
  idPrefix,
  name,
  share,
  error,
  money,
}: {
  member: MemberId;
  form: ExpenseForm;
  set: (patch: Partial<ExpenseForm>) => void;
  idPrefix: string;
  name: string;
  share: number | undefined;
  error: string | null;
  money: (v: number) => string;
}) {
  const { t } = useTranslation();
  const inputId = `${idPrefix}-split-${member}`;
  const included = form.participants.includes(member);
  const toggle = (on: boolean) =>
    set({
      participants: on ? [...form.participants, member] : form.participants.filter((m) => m !== member),
    });
  const field =
    form.mode === 'exact'
      ? 'exact'
      : form.mode === 'percent'
        ? 'percent'
        : form.mode === 'shares'
          ? 'shares'
          : 'adjustments';
  const checkbox = form.mode === 'equal' || form.mode === 'adjustment';
  return (
    <tr data-testid="split-row" data-member={member}>
      <td>
        {checkbox ? (
          <div className="field inline">
            <input
              type="checkbox"
              id={`${inputId}-in`}
              data-testid="split-include"
              checked={included}
              onChange={(e) => toggle(e.target.checked)}
            />
            <label htmlFor={`${inputId}-in`}>{name}</label>
          </div>
        ) : (
          name
        )}
      </td>
      {form.mode !== 'equal' && (
        <td className="num">
          <label htmlFor={inputId} className="visually-hidden">
            {t(`editor.valueLabel.${form.mode}`, { name })}
          </label>
          <input
            id={inputId}
            className="amount short"
            inputMode="decimal"
            data-testid="split-value"
            value={form[field][member] ?? ''}
            disabled={form.mode === 'adjustment' && !included}
            aria-invalid={error ? true : undefined}
            onChange={(e) => set({ [field]: { ...form[field], [member]: e.target.value } })}
          />
          {error && <div className="error">{error}</div>}
        </td>
      )}
      <td className="num muted" data-testid="split-share">
        {share !== undefined ? money(share) : '—'}
      </td>
    </tr>
  );
}
