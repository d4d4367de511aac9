/**
 * Facts about one version of an expense, computed once per data object: what each member paid
 * and owes, and who it names. The fold needs them to validate an expense and the balances need
 * the shares to add expenses up; all see the same (immutable) ExpenseData objects, so the money
 * module runs once per version, not once per fold or per reader.
 *
 * Everything the fold and the balances read is computed together on the first request and kept
 * in one object, so a reader pays a single WeakMap lookup per data object: on a warm 100k-entry
 * fold, lookups rather than arithmetic are the cost. On a cold fold the splits are the cost, so
 * they take the money module's plain-number fast path, and the shares as records (which only
 * statements and tests ask for) are built from its arrays on first request.
 */
import type { Result } from '../errors';
import { sharesRecord, splitAmount, splitPayers } from '../money/split';
import { type SplitParts, splitAmountFast, splitPayersFast } from '../money/split-fast';
import type { CurrencyCode, MemberId, Minor } from '../money/types';
import type { ExpenseData } from './events';
import type { MemberSetId } from './fold-member-sets';

export interface ExpenseShares {
  /** What each payer paid, keyed by member in ascending id order. */
  readonly paid: Readonly<Record<MemberId, Minor>>;
  /** Each participant's share of the total, keyed by member in ascending id order. */
  readonly owed: Readonly<Record<MemberId, Minor>>;
}

export interface ExpenseFacts {
  /** The data's currency, so a sum over expenses needs nothing but their facts. */
  readonly currency: CurrencyCode;
  /** The payers and split of the data, checked by the money module (errors keep its code). */
  readonly shares: Result<ExpenseShares>;
  /** `shares.ok`, read without building the shares. */
  readonly ok: boolean;
  /**
   * The shares as parallel arrays, for summing many expenses without walking object keys:
   * every payer and participant once, in ascending id order, with what they paid and owe (0 where
   * they are only one of the two). Empty when the shares are an error.
   */
  readonly members: readonly MemberId[];
  readonly paid: readonly Minor[];
  readonly owed: readonly Minor[];
  /** Every member the data names, each once, in the order of `namedMembers` (first mention). */
  readonly named: readonly MemberId[];
  /**
   * The last member set (fold-member-sets) found to hold every one of `named`: the fold's
   * memory of that check, so refolding the same history does not repeat it. Starts at -1 (none).
   */
  namedAreMembersOf: MemberSetId;
}

const NONE: readonly never[] = [];

class Facts implements ExpenseFacts {
  namedAreMembersOf: MemberSetId = -1;
  readonly ok: boolean;
  readonly members: readonly MemberId[] = NONE;
  readonly paid: readonly Minor[] = NONE;
  readonly owed: readonly Minor[] = NONE;
  readonly named: readonly MemberId[];
  /** The split's ids, kept until `shares` is first read: all else it needs is in the arrays. */
  private splitIds: readonly MemberId[] | undefined;

  /**
   * `parts` are the valid payers and split; `result` is given for an error, or when the general
   * path already built the records.
   */
  constructor(
    readonly currency: CurrencyCode,
    named: readonly MemberId[],
    private result: Result<ExpenseShares> | undefined,
    parts?: { readonly payers: SplitParts; readonly split: SplitParts },
  ) {
    this.ok = parts !== undefined;
    this.named = distinct(named);
    if (parts) [this.members, this.paid, this.owed] = merge(parts.payers, parts.split);
    if (!result) this.splitIds = parts?.split.ids;
  }

  get shares(): Result<ExpenseShares> {
    if (this.result === undefined) {
      // The payers are the members with a non-zero `paid` (no payer pays 0); the split's ids are
      // an ascending subset of the ascending `members`.
      const splitIds = this.splitIds!;
      const payerIds: MemberId[] = [];
      const payerAmounts: Minor[] = [];
      const owedAmounts: Minor[] = [];
      for (let i = 0, k = 0; i < this.members.length; i++) {
        if (this.paid[i] !== 0) {
          payerIds.push(this.members[i]!);
          payerAmounts.push(this.paid[i]!);
        }
        if (splitIds[k] === this.members[i]) {
          owedAmounts.push(this.owed[i]!);
          k++;
        }
      }
      const paid = sharesRecord(payerIds, payerAmounts);
      this.result = { ok: true, value: { paid, owed: sharesRecord(splitIds, owedAmounts) } };
      this.splitIds = undefined;
    }
    return this.result;
  }
}

/** Each id once, in first-mention order; a Set only for long lists (crafted ones name thousands). */
function distinct(ids: readonly MemberId[]): MemberId[] {
  if (ids.length > 16) return [...new Set(ids)];
  const out: MemberId[] = [];
  for (const id of ids) if (!out.includes(id)) out.push(id);
  return out;
}

const cache = new WeakMap<ExpenseData, ExpenseFacts>();

/** Facts of `data`, computed on the first call and shared by every later one. */
export function expenseFacts(data: ExpenseData): ExpenseFacts {
  let facts = cache.get(data);
  if (facts === undefined) {
    facts = factsOf(data);
    cache.set(data, facts);
  }
  return facts;
}

/** The payers and split of `data`, checked by the money module; errors keep the money module's code. */
export function expenseShares(data: ExpenseData): Result<ExpenseShares> {
  return expenseFacts(data).shares;
}

function factsOf(data: ExpenseData): ExpenseFacts {
  const named = namedMembers(data);
  const payers = splitPayersFast(data.amount, data.payers);
  const split = payers && splitAmountFast(data.amount, data.split);
  if (payers && split) return new Facts(data.currency, named, undefined, { payers, split });
  // Invalid or unusual data: the general functions decide, and explain.
  const paid = splitPayers(data.amount, data.payers);
  if (!paid.ok) return new Facts(data.currency, named, paid);
  const owed = splitAmount(data.amount, data.split);
  if (!owed.ok) return new Facts(data.currency, named, owed);
  const result = { ok: true as const, value: { paid: paid.value, owed: owed.value } };
  return new Facts(data.currency, named, result, { payers: partsOf(paid.value), split: partsOf(owed.value) });
}

/** A record's entries in ascending id order (integer-like keys would come first in key order). */
function partsOf(record: Readonly<Record<MemberId, Minor>>): SplitParts {
  const ids = Object.keys(record).sort(byId);
  return { ids, amounts: ids.map((id) => record[id]!) };
}

/** One ascending member list from two, with each member's amount from either (0 if absent). */
function merge(a: SplitParts, b: SplitParts): [MemberId[], Minor[], Minor[]] {
  const members: MemberId[] = [];
  const fromA: Minor[] = [];
  const fromB: Minor[] = [];
  let i = 0;
  let j = 0;
  while (i < a.ids.length || j < b.ids.length) {
    const c = i === a.ids.length ? 1 : j === b.ids.length ? -1 : byId(a.ids[i]!, b.ids[j]!);
    members.push(c <= 0 ? a.ids[i]! : b.ids[j]!);
    fromA.push(c <= 0 ? a.amounts[i++]! : 0);
    fromB.push(c >= 0 ? b.amounts[j++]! : 0);
  }
  return [members, fromA, fromB];
}

/** Code-unit order, as the money module sorts ids. */
const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Every member id `data` names, in this order: payers, then the split's members or keys (for an
 * adjustment split, its members then the adjusted ones). Repeats are kept.
 */
export function namedMembers(data: ExpenseData): readonly MemberId[] {
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
  return named;
}
