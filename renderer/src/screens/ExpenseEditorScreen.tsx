import { type FormEvent, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../components/DateField';
import { CategorySuggestion, useExpenseSuggestion } from '../components/CategorySuggestion';
import { CurrencySelect } from '../components/CurrencySelect';
import { type OccurrenceScope, OccurrenceScopeChoice } from '../components/OccurrenceScope';
import { RepeatControl } from '../components/RepeatControl';
import { SplitEditor } from '../components/SplitEditor';
import { useSpendGuard } from '../components/SpendGuard';
import { BUILTIN_CATEGORIES, categoryLabel } from '../components/labels';
import { useApp, useFormat } from '../hooks';
import type { GroupHandle } from '../hooks/services';
import { navigate } from '../hooks/useRoute';
import {
  emptyExpenseForm,
  type ExpenseForm,
  expenseFormFrom,
  type FieldError,
  type FormErrors,
  previewShares,
  splitProgress,
  readExpenseForm,
} from '../lib/expenseForm';
import { categoriesOf } from '../lib/expenseFilter';
import { todayIso } from '../lib/format';
import { namedInExpense, selectableMemberIds } from '../lib/membership';
import { scheduleOn, upcomingOccurrence } from '../lib/recurringRows';
import {
  NO_REPEAT,
  type RepeatErrors,
  type RepeatForm,
  readRepeatForm,
  repeatFormOf,
  templateOf,
} from '../lib/repeatForm';
import { hrefFor } from '../lib/route';
import { createRecurring, saveOccurrence } from '../services/recurringActions';

const NEW_CATEGORY = '\u0000new';
type SimpleField = 'description' | 'category' | 'amount' | 'date' | 'note';

export function ExpenseEditorScreen({
  group,
  expenseId,
  occurrence,
}: {
  group: GroupHandle;
  expenseId?: string;
  /** One occurrence of a recurring expense (its rule and date in the rule). */
  occurrence?: { readonly rule: string; readonly date: string };
}) {
  const { t, i18n } = useTranslation();
  const app = useApp();
  const state = group.snap.state!;
  const fmt = useFormat(state);
  const existing = expenseId ? state.expenses.find((e) => e.id === expenseId) : undefined;
  const occ = occurrence
    ? (state.occurrences?.find((o) => o.rule === occurrence.rule && o.date === occurrence.date) ??
      upcomingOccurrence(
        state.recurring?.find((r) => r.id === occurrence.rule),
        occurrence.date,
      ))
    : undefined;
  // Members who left cannot be named anew; an edit may keep those the expense already names.
  const editedData = (existing ?? occ)?.data;
  const members = useMemo(
    () => selectableMemberIds(state, editedData ? namedInExpense(editedData) : []),
    [state, editedData],
  );
  // The version this edit is made on: fixed when the form opens, so a concurrent edit becomes a visible conflict.
  const [base] = useState(existing?.head);
  const [form, setForm] = useState<ExpenseForm>(() =>
    existing || occ
      ? expenseFormFrom((existing ?? occ)!.data, members)
      : emptyExpenseForm(members, app.me!.id, state.currency, todayIso()),
  );
  const [errors, setErrors] = useState<FormErrors>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const guardSpend = useSpendGuard();
  const [customCategory, setCustomCategory] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // A new expense may repeat: it is then written as a recurring rule (docs/protocol.md §12).
  const [repeat, setRepeat] = useState<RepeatForm>(NO_REPEAT);
  const [repeatErrors, setRepeatErrors] = useState<RepeatErrors>({});
  const [scope, setScope] = useState<OccurrenceScope>('one');
  // Changing an occurrence "and the following ones" keeps the rule's schedule unless its repeat
  // fields are changed; then the new schedule starts at the occurrence's date.
  const [repeatTouched, setRepeatTouched] = useState(false);
  const ruleSchedule = occ
    ? scheduleOn(
        state.recurring?.find((r) => r.id === occ.rule),
        occ.date,
      )
    : undefined;
  const id = useId();
  const locale = i18n.language;
  const back = hrefFor({ name: 'group', groupId: state.groupId, tab: 'expenses' });

  const categories = useMemo(() => {
    const used = categoriesOf(state.expenses).filter(
      (c) => !(BUILTIN_CATEGORIES as readonly string[]).includes(c),
    );
    const all = [...BUILTIN_CATEGORIES, ...used];
    return form.category && !all.includes(form.category) ? [...all, form.category] : all;
  }, [state.expenses, form.category]);
  const preview = useMemo(() => previewShares(form, members, locale), [form, members, locale]);
  const progress = useMemo(() => splitProgress(form, members, locale), [form, members, locale]);
  const suggestion = useExpenseSuggestion({
    state,
    me: app.me?.id ?? null,
    form,
    set: (patch) => setForm((f) => ({ ...f, ...patch })),
    enabled: !expenseId && !occurrence,
  });

  if (expenseId && (!existing || existing.deleted)) {
    return (
      <div className="empty" data-testid="expense-missing">
        <p>{existing?.deleted ? t('editor.deletedAlready') : t('editor.notFound')}</p>
        <a href={back}>{t('editor.back')}</a>
      </div>
    );
  }

  if (occurrence && !occ) {
    return (
      <div className="empty" data-testid="occurrence-missing">
        <p>{t('repeat.notFound')}</p>
        <a href={back}>{t('editor.back')}</a>
      </div>
    );
  }

  const set = (patch: Partial<ExpenseForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setSaveError(null);
  };
  const err = (e: FieldError | undefined) =>
    e ? t(`editor.errors.${e.code}`, { defaultValue: t('editor.errors.invalid'), ...e.values }) : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = readExpenseForm(form, members, locale);
    const rr =
      existing || (occ && scope === 'one')
        ? ({ ok: true, schedule: null } as const)
        : occ && !repeatTouched
          ? ({ ok: true, schedule: ruleSchedule ?? null } as const)
          : readRepeatForm(repeat, occ ? occ.date : form.date);
    setRepeatErrors(rr.ok ? {} : rr.errors);
    if (!r.ok) {
      setErrors(r.errors);
      return;
    }
    setErrors({});
    if (!rr.ok) return;
    // Above this device's spending limit: the passcode again (components/SpendGuard.tsx).
    if (!(await guardSpend(r.data.currency, r.data.amount, 'record'))) return;
    setBusy(true);
    try {
      if (existing && base) await group.session.editExpense(existing.id, base, r.data);
      else if (occ) await saveOccurrence(group.session, occ, scope, r.data, rr.schedule);
      else if (rr.schedule) await createRecurring(group.session, rr.schedule, templateOf(r.data));
      else await group.session.addExpense(r.data);
      navigate(back);
    } catch (error) {
      setSaveError(error instanceof Error ? error.message : String(error));
      setBusy(false);
    }
  }

  async function remove() {
    if (!existing || !base) return;
    setBusy(true);
    try {
      await group.session.deleteExpense(existing.id, base);
      navigate(back);
    } catch (error) {
      setSaveError(error instanceof Error ? error.message : String(error));
      setBusy(false);
    }
  }

  const fieldProps = (name: SimpleField) => ({
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `${id}-${name}-err` : undefined,
  });
  const fieldError = (name: SimpleField) =>
    errors[name] && (
      <p id={`${id}-${name}-err`} className="error" data-testid={`error-${name}`}>
        {err(errors[name])}
      </p>
    );
  const multiPayer = form.payers.length > 1;
  const unusedPayer = members.find((m) => !form.payers.some((p) => p.member === m));

  return (
    <section className="narrow wide-form" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>
        {existing ? t('editor.editTitle') : occ ? t('repeat.editTitle') : t('editor.newTitle')}
      </h1>
      <form className="card" onSubmit={submit} noValidate data-testid="expense-form">
        <div className="field">
          <label htmlFor={`${id}-desc`}>{t('editor.description')}</label>
          <input
            id={`${id}-desc`}
            data-testid="expense-description-input"
            value={form.description}
            maxLength={200}
            onChange={(e) => set({ description: e.target.value })}
            onKeyDown={suggestion.onKeyDown}
            {...fieldProps('description')}
          />
          {fieldError('description')}
          {!existing && <CategorySuggestion control={suggestion} name={fmt.name} />}
        </div>
        <div className="grid-2">
          <div className="field">
            <label htmlFor={`${id}-amount`}>{t('editor.amount')}</label>
            <input
              id={`${id}-amount`}
              className="amount"
              inputMode="decimal"
              autoComplete="off"
              data-testid="expense-amount-input"
              value={form.amount}
              onChange={(e) => set({ amount: e.target.value })}
              {...fieldProps('amount')}
            />
            {fieldError('amount')}
          </div>
          <CurrencySelect
            label={t('editor.currency')}
            value={form.currency}
            onChange={(currency) => set({ currency })}
            testId="expense-currency"
          />
          <div className="field">
            <label htmlFor={`${id}-date`}>{t('editor.date')}</label>
            <DateField
              id={`${id}-date`}
              testId="expense-date"
              value={form.date}
              // "This and the following": the dates keep the rule's schedule.
              disabled={occ !== undefined && scope === 'following'}
              onChange={(date) => set({ date })}
              {...fieldProps('date')}
            />
            {fieldError('date')}
          </div>
          <div className="field">
            <label htmlFor={`${id}-cat`}>{t('editor.category')}</label>
            {customCategory ? (
              <input
                id={`${id}-cat`}
                data-testid="expense-category-custom"
                value={form.category}
                maxLength={40}
                onChange={(e) => set({ category: e.target.value })}
                {...fieldProps('category')}
              />
            ) : (
              <select
                id={`${id}-cat`}
                data-testid="expense-category"
                value={form.category}
                onChange={(e) => {
                  if (e.target.value === NEW_CATEGORY) {
                    setCustomCategory(true);
                    set({ category: '' });
                  } else set({ category: e.target.value });
                }}
              >
                {categories.map((c) => (
                  <option key={c} value={c}>
                    {categoryLabel(t, c)}
                  </option>
                ))}
                <option value={NEW_CATEGORY}>{t('editor.newCategory')}</option>
              </select>
            )}
            {fieldError('category')}
          </div>
        </div>

        <fieldset data-testid="payers">
          <legend>{t('editor.paidBy')}</legend>
          {form.payers.map((p, i) => {
            const rowErr = errors.payerRows?.[i];
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional; a member can be changed in place
              <div className="row nowrap payer-row" key={i} data-testid="payer-row">
                <label htmlFor={`${id}-payer-${i}`} className="visually-hidden">
                  {t('editor.payer', { n: i + 1 })}
                </label>
                <select
                  id={`${id}-payer-${i}`}
                  data-testid="payer-member"
                  value={p.member}
                  onChange={(e) =>
                    set({
                      payers: form.payers.map((q, j) => (j === i ? { ...q, member: e.target.value } : q)),
                    })
                  }
                >
                  {members.map((m) => (
                    <option
                      key={m}
                      value={m}
                      disabled={m !== p.member && form.payers.some((q) => q.member === m)}
                    >
                      {fmt.name(m)}
                    </option>
                  ))}
                </select>
                {multiPayer && (
                  <>
                    <label htmlFor={`${id}-payer-amt-${i}`} className="visually-hidden">
                      {t('editor.payerAmount', { name: fmt.name(p.member) })}
                    </label>
                    <input
                      id={`${id}-payer-amt-${i}`}
                      className="amount short"
                      inputMode="decimal"
                      data-testid="payer-amount"
                      value={p.amount}
                      aria-invalid={rowErr ? true : undefined}
                      onChange={(e) =>
                        set({
                          payers: form.payers.map((q, j) => (j === i ? { ...q, amount: e.target.value } : q)),
                        })
                      }
                    />
                    <button
                      type="button"
                      className="icon"
                      aria-label={t('editor.removePayer', { name: fmt.name(p.member) })}
                      onClick={() => set({ payers: form.payers.filter((_, j) => j !== i) })}
                    >
                      ✕
                    </button>
                  </>
                )}
                {rowErr && <span className="error">{err(rowErr)}</span>}
              </div>
            );
          })}
          {unusedPayer && (
            <button
              type="button"
              className="link"
              data-testid="add-payer"
              onClick={() => set({ payers: [...form.payers, { member: unusedPayer, amount: '' }] })}
            >
              {t('editor.addPayer')}
            </button>
          )}
          {errors.payers && (
            <p className="error" data-testid="error-payers">
              {err(errors.payers)}
            </p>
          )}
        </fieldset>

        <SplitEditor
          form={form}
          set={set}
          members={members}
          idPrefix={id}
          nameOf={fmt.name}
          money={(v) => fmt.money(v, form.currency)}
          preview={preview}
          progress={progress}
          rowError={(m) => err(errors.splitRows?.[m])}
          splitError={errors.split ? err(errors.split) : null}
        />

        {occ && (
          <OccurrenceScopeChoice
            value={scope}
            onChange={(s) => {
              setScope(s);
              if (s === 'following' && !repeatTouched) setRepeat(repeatFormOf(ruleSchedule));
            }}
            idPrefix={id}
          />
        )}
        {!existing && (!occ || scope === 'following') && (
          <RepeatControl
            value={repeat}
            onChange={(patch) => {
              setRepeat((x) => ({ ...x, ...patch }));
              setRepeatTouched(true);
              setSaveError(null);
            }}
            errors={repeatErrors}
            startDate={occ ? occ.date : form.date}
            idPrefix={id}
          />
        )}

        <div className="field">
          <label htmlFor={`${id}-note`}>{t('editor.note')}</label>
          <textarea
            id={`${id}-note`}
            data-testid="expense-note"
            value={form.note}
            maxLength={2000}
            onChange={(e) => set({ note: e.target.value })}
          />
        </div>
        {saveError && (
          <p className="notice danger" role="alert" data-testid="save-error">
            {saveError}
          </p>
        )}
        {Object.keys(errors).length > 0 && (
          <p className="error" role="alert" data-testid="form-invalid">
            {t('editor.fixErrors')}
          </p>
        )}
        <div className="row between">
          <div>
            {existing &&
              (confirmDelete ? (
                <span className="row">
                  <span>{t('editor.confirmDelete', { description: existing.data.description })}</span>
                  <button
                    type="button"
                    className="danger"
                    onClick={remove}
                    disabled={busy}
                    data-testid="confirm-delete-expense"
                  >
                    {t('editor.deleteConfirm')}
                  </button>
                  <button type="button" onClick={() => setConfirmDelete(false)}>
                    {t('common.cancel')}
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  className="danger"
                  onClick={() => setConfirmDelete(true)}
                  disabled={busy}
                  data-testid="delete-expense"
                >
                  {t('editor.delete')}
                </button>
              ))}
          </div>
          <div className="row">
            <a className="button" href={back}>
              {t('common.cancel')}
            </a>
            <button type="submit" className="primary" disabled={busy} data-testid="save-expense">
              {t('editor.save')}
            </button>
          </div>
        </div>
      </form>
    </section>
  );
}
