/**
 * The expense list with recurring occurrences in it: each occurrence is a row at its date, next to
 * the expenses, marked with the rule it comes from.
 */
import type { Schedule } from '../../../shared/ledger/events';
import type { ExpenseState, OccurrenceState, RecurringRuleState } from '../../../shared/ledger/types';
import { dataFilter, type ExpenseFilter } from './expenseFilter';

export type ListRow =
  | { readonly kind: 'expense'; readonly expense: ExpenseState }
  | {
      readonly kind: 'occurrence';
      readonly occurrence: OccurrenceState;
      readonly schedule: Schedule | undefined;
    };

/** The schedule in force on `date` in `rule` (its last version from on or before that date). */
export function scheduleOn(rule: RecurringRuleState | undefined, date: string): Schedule | undefined {
  let found: Schedule | undefined;
  for (const v of rule?.versions ?? []) if (v.effectiveFrom <= date) found = v.schedule;
  return found;
}

/**
 * A rule's next occurrence, not due yet (the fold derives occurrences up to today only), as the
 * editor shows it: the version in force on that date. Undefined unless `date` is the rule's next.
 * What "Edit rule" opens (components/DepartedRuleWarnings.tsx).
 */
export function upcomingOccurrence(
  rule: RecurringRuleState | undefined,
  date: string,
): OccurrenceState | undefined {
  if (!rule || rule.stopped || rule.next !== date) return undefined;
  const version = [...rule.versions].reverse().find((v) => v.effectiveFrom <= date);
  if (!version?.template) return undefined;
  return { id: `${rule.id}|${date}`, rule: rule.id, date, data: { ...version.template, date } };
}

/**
 * `expenses` (already filtered and sorted newest first, see filterExpenses) merged with the
 * occurrences that pass the filter, newest first; on the same date, occurrences come first.
 */
export function listRows(
  expenses: readonly ExpenseState[],
  occurrences: readonly OccurrenceState[],
  rules: readonly RecurringRuleState[],
  f: ExpenseFilter,
): ListRow[] {
  const matches = dataFilter(f);
  const byId = new Map(rules.map((r) => [r.id, r]));
  const due: ListRow[] = [];
  for (let i = occurrences.length - 1; i >= 0; i--) {
    const o = occurrences[i]!;
    if (matches(o.data))
      due.push({ kind: 'occurrence', occurrence: o, schedule: scheduleOn(byId.get(o.rule), o.date) });
  }
  if (due.length === 0) return expenses.map((expense) => ({ kind: 'expense', expense }));
  // An edit may have moved an occurrence off its rule date: sort by the date shown (stable).
  due.sort((a, b) => (dateOf(a) === dateOf(b) ? 0 : dateOf(a) < dateOf(b) ? 1 : -1));
  const out: ListRow[] = [];
  let j = 0;
  for (const expense of expenses) {
    while (j < due.length && dateOf(due[j]!) >= expense.data.date) out.push(due[j++]!);
    out.push({ kind: 'expense', expense });
  }
  while (j < due.length) out.push(due[j++]!);
  return out;
}

/** The date a row is listed at: an edited occurrence shows the date its edit gave it. */
export function dateOf(row: ListRow): string {
  return row.kind === 'expense' ? row.expense.data.date : row.occurrence.data.date;
}
