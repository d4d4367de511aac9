/**
 * The common case of splitPayers and splitAmount in plain numbers, for the fold's first pass over a
 * ledger, which splits every expense version once: the general functions work in bigints and
 * build a record per result, which made a cold 100k-entry fold spend most of its time splitting.
 *
 * Each function gives exactly the general function's result, as parallel arrays in ascending id
 * order, when the input is valid and small enough for every intermediate value to be a safe
 * integer (any real expense). For anything else it gives `undefined`, and the caller asks the
 * general function, which also explains what is wrong. split-fast.property.test.ts checks that the
 * two always agree.
 */
import { isMinor } from './arith';
import type { MemberId, Minor, Payer, SplitSpec } from './types';

/** A split as arrays: `ids` in ascending code-unit order, each once; `amounts[i]` is ids[i]'s. */
export interface SplitParts {
  readonly ids: readonly MemberId[];
  readonly amounts: readonly Minor[];
}

const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const zeroFree = (n: number): number => (n === 0 ? 0 : n);
/** `__proto__` needs the general path's care when it becomes a record key again. */
const plainId = (id: unknown): id is MemberId => typeof id === 'string' && id !== '__proto__';

/**
 * `ids` sorted in place by insertion: a split names a handful of members, and Array#sort sets up
 * scratch space on every call (it was a sixth of what a cold 10k-entry fold allocated).
 */
function sortShort(ids: MemberId[]): MemberId[] {
  if (ids.length > 32) return ids.sort(byId);
  for (let i = 1; i < ids.length; i++) {
    const id = ids[i]!;
    let j = i - 1;
    while (j >= 0 && ids[j]! > id) {
      ids[j + 1] = ids[j]!;
      j--;
    }
    ids[j + 1] = id;
  }
  return ids;
}

/** A sorted copy of `ids`, or undefined for an empty list, a repeat or an odd id. */
function sortedIds(ids: readonly unknown[]): MemberId[] | undefined {
  if (!Array.isArray(ids) || ids.length === 0) return undefined;
  for (let i = 0; i < ids.length; i++) if (!plainId(ids[i])) return undefined;
  const sorted = sortShort((ids as MemberId[]).slice());
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) return undefined;
  return sorted;
}

/** The record's keys sorted, or undefined when it is not a non-empty record of plain ids. */
function sortedKeys(record: unknown): MemberId[] | undefined {
  if (record === null || typeof record !== 'object') return undefined;
  return sortedIds(Object.keys(record));
}

/** What splitPayers gives for valid payers, or undefined (ask splitPayers). */
export function splitPayersFast(total: Minor, payers: readonly Payer[]): SplitParts | undefined {
  if (!isMinor(total) || !Array.isArray(payers) || payers.length === 0) return undefined;
  const sorted = payers.length === 1 ? payers : payers.slice().sort((a, b) => byId(a.member, b.member));
  const ids: MemberId[] = [];
  const amounts: Minor[] = [];
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) {
    const { member, amount } = sorted[i]!;
    if (!plainId(member) || (i > 0 && sorted[i - 1]!.member === member)) return undefined;
    if (!isMinor(amount) || amount === 0 || (total < 0 ? amount > 0 : amount < 0)) return undefined;
    sum += amount;
    // While |sum| stays a safe integer every addition was exact.
    if (!Number.isSafeInteger(sum)) return undefined;
    ids.push(member);
    amounts.push(amount);
  }
  return sum === total ? { ids, amounts } : undefined;
}

/** What splitAmount gives for a valid split, or undefined (ask splitAmount). */
export function splitAmountFast(total: Minor, spec: SplitSpec): SplitParts | undefined {
  if (!isMinor(total) || spec === null || typeof spec !== 'object') return undefined;
  switch (spec.mode) {
    case 'equal': {
      const ids = sortedIds(spec.members);
      return ids && { ids, amounts: equalParts(total, ids.length) };
    }
    case 'exact':
      return exactParts(total, spec.amounts);
    case 'percent':
      return weightedSplit(total, spec.basisPoints, (sum) => sum === 10_000);
    case 'shares':
      return weightedSplit(total, spec.weights, (sum) => sum > 0);
    case 'adjustment':
      return adjustedParts(total, spec.members, spec.adjustments);
    default:
      return undefined;
  }
}

/**
 * `total` in n parts: |total| / n each, and the |total| mod n units left one each to the first
 * members in id order (all remainders tie), negated for a refund. `%` and the division of a
 * multiple are exact on safe integers, unlike flooring a floating-point quotient.
 */
function equalParts(total: Minor, n: number): Minor[] {
  const abs = Math.abs(total);
  const extra = abs % n;
  const base = (abs - extra) / n;
  const sign = total < 0 ? -1 : 1;
  const amounts: Minor[] = [];
  for (let i = 0; i < n; i++) amounts.push(zeroFree(sign * (i < extra ? base + 1 : base)));
  return amounts;
}

function exactParts(total: Minor, record: Readonly<Record<MemberId, Minor>>): SplitParts | undefined {
  const ids = sortedKeys(record);
  if (!ids) return undefined;
  const amounts: Minor[] = [];
  let sum = 0;
  for (const id of ids) {
    const a = record[id];
    // A share against the total's direction is an error the general path reports.
    if (!isMinor(a) || (total >= 0 ? a < 0 : a > 0)) return undefined;
    sum += a;
    if (!Number.isSafeInteger(sum)) return undefined;
    amounts.push(zeroFree(a));
  }
  return sum === total ? { ids, amounts } : undefined;
}

/** Non-negative safe-integer weights of `ids` and their sum, or undefined. */
function weightsOf(
  record: Readonly<Record<MemberId, number>>,
  ids: readonly MemberId[],
): { values: number[]; sum: number } | undefined {
  const values: number[] = [];
  let sum = 0;
  for (const id of ids) {
    const w = record[id];
    if (typeof w !== 'number' || !Number.isSafeInteger(w) || w < 0) return undefined;
    sum += w;
    if (!Number.isSafeInteger(sum)) return undefined;
    values.push(w);
  }
  return { values, sum };
}

/** A percent or shares split: weights that pass `sumOk`, then largest remainder. */
function weightedSplit(
  total: Minor,
  record: Readonly<Record<MemberId, number>>,
  sumOk: (sum: number) => boolean,
): SplitParts | undefined {
  const ids = sortedKeys(record);
  const weights = ids && weightsOf(record, ids);
  if (!ids || !weights || !sumOk(weights.sum)) return undefined;
  const amounts = weightedParts(total, weights.values, weights.sum);
  return amounts && { ids, amounts };
}

/**
 * Largest remainder: floor(|total|·w/W) each, then the units left over one each to the largest
 * remainders, ties to the smaller id (the smaller index, ids being sorted). Undefined when some
 * |total|·w is not a safe integer, since the parts would no longer be exact.
 */
function weightedParts(total: Minor, weights: readonly number[], sumW: number): Minor[] | undefined {
  const abs = Math.abs(total);
  let maxW = 0;
  for (const w of weights) if (w > maxW) maxW = w;
  // The product of two integers rounds to a double above MAX_SAFE_INTEGER exactly when it is larger.
  if (abs * maxW > Number.MAX_SAFE_INTEGER) return undefined;
  const n = weights.length;
  const parts: number[] = [];
  const remainders: number[] = [];
  let leftover = abs;
  for (let i = 0; i < n; i++) {
    const x = abs * weights[i]!;
    const r = x % sumW;
    parts.push((x - r) / sumW);
    remainders.push(r);
    leftover -= parts[i]!;
  }
  if (leftover > 0) {
    const order = parts.map((_, i) => i);
    order.sort((i, j) => remainders[j]! - remainders[i]! || i - j);
    for (let k = 0; k < leftover; k++) parts[order[k]!]! += 1;
  }
  const sign = total < 0 ? -1 : 1;
  return parts.map((p) => zeroFree(sign * p));
}

function adjustedParts(
  total: Minor,
  members: readonly MemberId[],
  adjustments: Readonly<Record<MemberId, Minor>>,
): SplitParts | undefined {
  const ids = sortedIds(members);
  if (!ids || adjustments === null || typeof adjustments !== 'object') return undefined;
  const index = new Map<MemberId, number>();
  for (let i = 0; i < ids.length; i++) index.set(ids[i]!, i);
  const own: number[] = ids.map(() => 0);
  let adjSum = 0;
  for (const id of Object.keys(adjustments)) {
    const i = index.get(id);
    const a = adjustments[id];
    if (i === undefined || !isMinor(a)) return undefined;
    own[i] = a;
    adjSum += a;
    if (!Number.isSafeInteger(adjSum)) return undefined;
  }
  const rest = total - adjSum;
  if (!Number.isSafeInteger(rest)) return undefined;
  const equal = equalParts(rest, ids.length);
  const amounts: Minor[] = [];
  for (let i = 0; i < ids.length; i++) {
    const share = equal[i]! + own[i]!;
    if (!Number.isSafeInteger(share) || (total >= 0 ? share < 0 : share > 0)) return undefined;
    amounts.push(zeroFree(share));
  }
  return { ids, amounts };
}
