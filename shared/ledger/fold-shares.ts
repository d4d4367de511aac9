/**
 * Facts about one version of an expense, computed once per data object: what each member paid
 * and owes, and who it names. The fold needs them to validate an expense and the balances need
 * the shares to add expenses up; all see the same (immutable) ExpenseData objects, so the money
 * module runs once per version, not once per fold or per reader.
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

interface Facts {
  shares?: Result<ExpenseShares>;
  named?: readonly MemberId[];
}

const cache = new WeakMap<ExpenseData, Facts>();

function factsOf(data: ExpenseData): Facts {
  let facts = cache.get(data);
  if (!facts) {
    facts = {};
    cache.set(data, facts);
  }
  return facts;
}

/** The payers and split of `data`, checked by the money module; errors keep the money module's code. */
export function expenseShares(data: ExpenseData): Result<ExpenseShares> {
  const facts = factsOf(data);
  if (facts.shares) return facts.shares;
  const paid = splitPayers(data.amount, data.payers);
  const owed = paid.ok ? splitAmount(data.amount, data.split) : undefined;
  const result: Result<ExpenseShares> = !paid.ok
    ? paid
    : !owed!.ok
      ? owed!
      : { ok: true, value: { paid: paid.value, owed: owed!.value } };
  facts.shares = result;
  return result;
}

/**
 * Every member id `data` names, in this order: payers, then the split's members or keys (for an
 * adjustment split, its members then the adjusted ones). Repeats are kept.
 */
export function namedMembers(data: ExpenseData): readonly MemberId[] {
  const facts = factsOf(data);
  if (facts.named) return facts.named;
  const named = data.payers.map((p) => p.member);
  const split = data.split;
  switch (split.mode) {
    case 'equal':
      named.push(...split.members);
      break;
    case 'exact':
      named.push(...Object.keys(split.amounts));
      break;
    case 'percent':
      named.push(...Object.keys(split.basisPoints));
      break;
    case 'shares':
      named.push(...Object.keys(split.weights));
      break;
    case 'adjustment':
      named.push(...split.members, ...Object.keys(split.adjustments));
      break;
  }
  facts.named = named;
  return named;
}
