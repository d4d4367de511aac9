/**
 * What each member paid and owes for one version of an expense, computed once per data object.
 * The fold needs it to validate an expense and the balances need it to add expenses up; both see
 * the same (immutable) ExpenseData objects, so the money module runs once per version, not twice.
 */
import type { Result } from '../errors';
import { splitAmount, splitPayers } from '../money/split';
import type { MemberId, Minor } from '../money/types';
import type { ExpenseData } from './events';

export interface ExpenseShares {
  /** What each payer paid, keyed by member in ascending id order. */
  readonly paid: Readonly<Record<MemberId, Minor>>;
  /** Each participant's share of the total, keyed by member in ascending id order. */
  readonly owed: Readonly<Record<MemberId, Minor>>;
}

const cache = new WeakMap<ExpenseData, Result<ExpenseShares>>();

/** The payers and split of `data`, checked by the money module; errors keep the money module's code. */
export function expenseShares(data: ExpenseData): Result<ExpenseShares> {
  const hit = cache.get(data);
  if (hit) return hit;
  const paid = splitPayers(data.amount, data.payers);
  const owed = paid.ok ? splitAmount(data.amount, data.split) : undefined;
  const result: Result<ExpenseShares> = !paid.ok
    ? paid
    : !owed!.ok
      ? owed!
      : { ok: true, value: { paid: paid.value, owed: owed!.value } };
  cache.set(data, result);
  return result;
}
