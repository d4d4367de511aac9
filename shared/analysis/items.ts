/**
 * What the analysis counts: every live expense of a folded state (deleted ones are left out) and
 * every recurring occurrence the fold derived, each with its data and its exact shares.
 */
import { err, ok, type Result } from '../errors';
import { isCalendarDate } from '../ledger/calendar-date';
import type { ExpenseData } from '../ledger/events';
import { liveExpenseFacts } from '../ledger/fold-handover';
import { type ExpenseFacts, expenseFacts } from '../ledger/fold-shares';
import type { GroupState } from '../ledger/types';
import type { CurrencyCode } from '../money/types';

/** Which expenses to count: a date range (inclusive, YYYY-MM-DD) and one currency; absent = all. */
export interface AnalysisFilter {
  readonly from?: string;
  readonly to?: string;
  readonly currency?: CurrencyCode;
}

export type FilterErrorCode = 'invalid_date' | 'invalid_range';

/** Checks a filter: dates must be real calendar dates and `from` not after `to`. */
export function checkFilter(filter: AnalysisFilter): Result<AnalysisFilter, FilterErrorCode> {
  for (const key of ['from', 'to'] as const) {
    const d = filter[key];
    if (d !== undefined && !isCalendarDate(d))
      return err('invalid_date', `“${d}” is not a date (YYYY-MM-DD).`, { [key]: d });
  }
  if (filter.from !== undefined && filter.to !== undefined && filter.from > filter.to)
    return err('invalid_range', 'The start date is after the end date.', {
      from: filter.from,
      to: filter.to,
    });
  return ok(filter);
}

/** True when `data` passes the filter. YYYY-MM-DD strings compare like the dates they name. */
export function passes(data: ExpenseData, filter: AnalysisFilter): boolean {
  if (filter.currency !== undefined && data.currency !== filter.currency) return false;
  if (filter.from !== undefined && data.date < filter.from) return false;
  if (filter.to !== undefined && data.date > filter.to) return false;
  return true;
}

/**
 * Calls `visit` with the data and facts of everything that counts as an expense in `state`, in
 * state order: live expenses, then recurring occurrences.
 */
export function forEachCounted(
  state: GroupState,
  visit: (data: ExpenseData, facts: ExpenseFacts) => void,
): void {
  // The fold hands over the facts in exactly this order; zipping saves a lookup per expense.
  // Should the counts ever differ, each expense's own facts are looked up instead.
  const occurrences = state.occurrences ?? [];
  let live = 0;
  for (const x of state.expenses) if (!x.deleted) live++;
  const handed = liveExpenseFacts(state);
  const facts = handed.length === live + occurrences.length ? handed : undefined;
  let i = 0;
  for (const x of state.expenses) {
    if (x.deleted) continue;
    visit(x.data, facts ? facts[i++]! : expenseFacts(x.data));
  }
  for (const o of occurrences) visit(o.data, facts ? facts[i++]! : expenseFacts(o.data));
}
