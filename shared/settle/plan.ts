/**
 * Settlement plans: who pays whom so that every balance becomes zero.
 *
 * Fewest transfers: a zero-sum group of k members can always be settled with k − 1 transfers and
 * never with fewer, so n members need n − g transfers, where g is the largest number of disjoint
 * zero-sum groups their balances can be partitioned into. g is found exactly by a DP over subsets
 * (2^n masks, exact-groups.ts) for up to EXACT_LIMIT members with a non-zero balance; beyond that
 * small zero-sum subsets are taken out first until the rest fits the DP (large-groups.ts), which
 * gives near-minimal plans, and never more transfers than the greedy baseline.
 *
 * Plans depend only on the balances, never on Map insertion order: members are taken in id order.
 */
import { WalletError } from '../errors';
import type { MemberId, Minor } from '../money/types';
import { zeroSumGroups } from './exact-groups';
import { largeZeroSumGroups } from './large-groups';

export interface Transfer {
  readonly from: MemberId;
  readonly to: MemberId;
  readonly amount: Minor;
}

/** Largest number of members with a non-zero balance planned exactly (2^20 subsets ≈ 9 MB, ~10^7 steps). */
export const EXACT_LIMIT = 20;

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Non-zero balances in member id order; throws for amounts that are not safe integers or do not sum to zero. */
function nonZeroBalances(balances: ReadonlyMap<MemberId, Minor>): { ids: MemberId[]; values: number[] } {
  const ids = [...balances.keys()].sort(byId);
  const out: { ids: MemberId[]; values: number[] } = { ids: [], values: [] };
  let sum = 0n;
  for (const id of ids) {
    const v = balances.get(id)!;
    if (!Number.isSafeInteger(v)) {
      throw new WalletError('invalid_amount', 'A balance must be a whole number of minor units.', {
        member: id,
        value: v,
      });
    }
    if (v === 0) continue;
    out.ids.push(id);
    out.values.push(v);
    sum += BigInt(v);
  }
  if (sum !== 0n) {
    throw new WalletError('unbalanced', 'The balances do not add up to zero, so they cannot be settled.', {
      sum: String(sum),
    });
  }
  return out;
}

/**
 * Repeatedly lets the largest debtor pay the largest creditor (ties: smaller member id).
 * Each transfer zeroes at least one of the two, so a zero-sum group of k needs at most k − 1.
 */
function settleGreedily(ids: readonly MemberId[], values: readonly number[], out: Transfer[]): void {
  const left = [...values];
  for (;;) {
    let creditor = -1;
    let debtor = -1;
    for (let i = 0; i < left.length; i++) {
      const v = left[i]!;
      if (v > 0 && (creditor < 0 || v > left[creditor]!)) creditor = i;
      if (v < 0 && (debtor < 0 || v < left[debtor]!)) debtor = i;
    }
    if (creditor < 0 || debtor < 0) return;
    const amount = Math.min(left[creditor]!, -left[debtor]!);
    out.push({ from: ids[debtor]!, to: ids[creditor]!, amount });
    left[creditor]! -= amount;
    left[debtor]! += amount;
  }
}

const byParties = (a: Transfer, b: Transfer): number => byId(a.from, b.from) || byId(a.to, b.to);

/** The baseline plan (largest creditor with largest debtor), for comparison and for large groups. */
export function planSettlementGreedy(balances: ReadonlyMap<MemberId, Minor>): Transfer[] {
  const { ids, values } = nonZeroBalances(balances);
  const out: Transfer[] = [];
  settleGreedily(ids, values, out);
  return out.sort(byParties);
}

/**
 * Pairs a balance with an exact opposite (x owes exactly what y is owed): some optimal partition
 * always has such a pair as a group of its own, and taking them out first shrinks the DP.
 */
function takeOppositePairs(
  ids: MemberId[],
  values: number[],
  out: Transfer[],
): { ids: MemberId[]; values: number[] } {
  const debtorsByAmount = new Map<number, number[]>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0) {
      const list = debtorsByAmount.get(-v);
      if (list) list.push(i);
      else debtorsByAmount.set(-v, [i]);
    }
  }
  const paired = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const debtor = v > 0 ? debtorsByAmount.get(v)?.shift() : undefined;
    if (debtor === undefined) continue;
    out.push({ from: ids[debtor]!, to: ids[i]!, amount: v });
    paired[i] = 1;
    paired[debtor] = 1;
  }
  return {
    ids: ids.filter((_, i) => paired[i] === 0),
    values: values.filter((_, i) => paired[i] === 0),
  };
}

/** Settles each zero-sum group (indices into ids/values) on its own, with at most k − 1 transfers. */
function settleGroups(
  groups: readonly number[][],
  ids: readonly MemberId[],
  values: readonly number[],
  out: Transfer[],
): void {
  for (const group of groups) {
    group.sort((a, b) => a - b);
    settleGreedily(
      group.map((i) => ids[i]!),
      group.map((i) => values[i]!),
      out,
    );
  }
}

/**
 * The plan with the fewest transfers that brings every balance to zero: exact for up to
 * EXACT_LIMIT members with a non-zero balance after taking out exact opposite pairs, near-minimal
 * beyond (large-groups.ts), always at most n − 1 transfers for n members with a non-zero balance.
 * Balances: positive = is owed money. Throws WalletError `unbalanced` if they do not sum to zero.
 */
export function planSettlement(balances: ReadonlyMap<MemberId, Minor>): Transfer[] {
  const all = nonZeroBalances(balances);
  const out: Transfer[] = [];
  const { ids, values } = takeOppositePairs(all.ids, all.values, out);
  if (ids.length > EXACT_LIMIT) {
    const planned: Transfer[] = [];
    settleGroups(largeZeroSumGroups(values, EXACT_LIMIT), ids, values, planned);
    // The greedy plan costs O(n²) and can stumble on a shorter plan by luck when the search ran
    // out of budget with many members left: keep whichever is shorter (ours on a tie), so a large
    // group never gets a longer plan than the baseline.
    const greedy: Transfer[] = [];
    settleGreedily(ids, values, greedy);
    out.push(...(greedy.length < planned.length ? greedy : planned));
  } else if (ids.length > 0) {
    settleGroups(zeroSumGroups(values), ids, values, out);
  }
  return out.sort(byParties);
}
