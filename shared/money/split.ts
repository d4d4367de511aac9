/**
 * Splitting an expense's total among members, exactly: every split sums to its total to the
 * minor unit, and the same input gives the same output on every device, whatever order the
 * members were listed in.
 *
 * Decisions:
 * - Leftover units go by the largest-remainder method; ties go to the smaller member id
 *   (plain code-unit string order, never locale-dependent).
 * - Negative totals (refunds) split |total| and negate, so splits are symmetric.
 * - Every member named in the spec appears in the result, in ascending id order, even with 0
 *   (a weight-0 member stays visible as "in the split, owes nothing"). (JS puts integer-like
 *   keys such as "7" first whatever the insertion order; real ids are 64 hex chars, never such.)
 * - No share may point the other way from the total (e.g. a member "owed" part of an expense
 *   by their own adjustment): that is `negative_share`. A real-world expense is never a hidden
 *   transfer between participants; such a transfer belongs in a payment.
 * - Payers: duplicates are rejected rather than merged, since two rows for one person is more
 *   likely a UI slip than intent, and merging would hide it.
 */
import { err, ok, type Result, WalletError } from '../errors';
import { isMinor } from './arith';
import type { MemberId, Minor, Payer, SplitSpec } from './types';

export type SplitErrorCode =
  | 'invalid_amount'
  | 'no_participants'
  | 'duplicate_member'
  | 'unknown_member'
  | 'exact_mismatch'
  | 'percent_mismatch'
  | 'invalid_weight'
  | 'negative_weight'
  | 'zero_weights'
  | 'negative_share';

export type PayersErrorCode = 'invalid_amount' | 'no_payers' | 'duplicate_member' | 'payers_mismatch';

type Shares = Record<MemberId, Minor>;
type SplitResult = Result<Shares, SplitErrorCode>;

/** Code-unit order, identical in every locale and runtime. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const zeroFree = (n: number): number => (n === 0 ? 0 : n);

/**
 * Largest-remainder core on bigints, for a non-negative `total`: floor(total·w/W) each, then the
 * leftover units one each to the largest fractional remainders, ties to the smaller tie key.
 * Callers have checked that weights are non-negative with a positive sum.
 */
function allocate(total: bigint, weights: readonly bigint[], tieOrder?: readonly string[]): bigint[] {
  const sumW = weights.reduce((a, b) => a + b, 0n);
  const parts = weights.map((w) => (total * w) / sumW);
  const remainders = weights.map((w) => (total * w) % sumW);
  let leftover = total - parts.reduce((a, b) => a + b, 0n);

  const order = weights.map((_, i) => i);
  order.sort((i, j) => {
    const ri = remainders[i]!;
    const rj = remainders[j]!;
    if (ri !== rj) return ri > rj ? -1 : 1;
    if (tieOrder) {
      const c = compareIds(tieOrder[i]!, tieOrder[j]!);
      if (c !== 0) return c;
    }
    return i - j;
  });
  // leftover < number of non-zero remainders, so a zero-weight member never gets a unit.
  for (const i of order) {
    if (leftover === 0n) break;
    parts[i]! += 1n;
    leftover -= 1n;
  }
  return parts;
}

/** allocate() for a signed total: split |total| and negate, so refunds mirror expenses. */
function allocateSigned(total: bigint, weights: readonly bigint[], tieOrder?: readonly string[]): bigint[] {
  if (total >= 0n) return allocate(total, weights, tieOrder);
  return allocate(-total, weights, tieOrder).map((p) => -p);
}

/**
 * Splits `total` in proportion to `weights` (non-negative, at least one positive): each part is
 * floor(|total|·w/W), and the few units left over go one each to the largest fractional
 * remainders; ties go to the smaller `tieOrder` key (default: the smaller index).
 * Negative totals are split as |total| and negated. The parts always sum exactly to `total`.
 * Throws WalletError (`invalid_amount`, `negative_weight`, `zero_weights`) on bad input.
 */
export function allocateLargestRemainder(
  total: Minor,
  weights: readonly bigint[],
  tieOrder?: readonly string[],
): Minor[] {
  if (!Number.isSafeInteger(total)) {
    throw new WalletError('invalid_amount', 'The amount to split must be a whole number of minor units.', {
      total,
    });
  }
  if (tieOrder !== undefined && tieOrder.length !== weights.length) {
    throw new WalletError('invalid_amount', 'Each weight needs exactly one tie-break key.', {
      weights: weights.length,
      tieOrder: tieOrder.length,
    });
  }
  let sumW = 0n;
  for (const w of weights) {
    if (typeof w !== 'bigint' || w < 0n) {
      throw new WalletError('negative_weight', 'Weights cannot be negative.', { weight: String(w) });
    }
    sumW += w;
  }
  if (sumW === 0n) throw new WalletError('zero_weights', 'At least one weight must be positive.');
  return allocateSigned(BigInt(total), weights, tieOrder).map((p) => zeroFree(Number(p)));
}

function checkTotal(total: Minor): WalletError<'invalid_amount'> | undefined {
  if (isMinor(total)) return undefined;
  return new WalletError('invalid_amount', 'The total must be a whole number of minor units within range.', {
    total,
  });
}

function fail<C extends string>(e: WalletError<C>): { ok: false; error: WalletError<C> } {
  return { ok: false, error: e };
}

/** Ids of a member list, sorted; error on an empty list or duplicates. */
function sortedMembers(members: readonly MemberId[]): Result<MemberId[], SplitErrorCode> {
  if (!Array.isArray(members) || members.length === 0) {
    return err('no_participants', 'Choose at least one person to share this expense.');
  }
  const sorted = [...members].sort(compareIds);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      return err('duplicate_member', 'The same person is listed twice in this split.', { member: sorted[i] });
    }
  }
  return ok(sorted);
}

/** Own entries of a record, sorted by key; error when empty. */
function sortedEntries<V>(record: Readonly<Record<MemberId, V>>): Result<[MemberId, V][], SplitErrorCode> {
  const entries = record && typeof record === 'object' ? Object.entries(record) : [];
  if (entries.length === 0)
    return err('no_participants', 'Choose at least one person to share this expense.');
  return ok(entries.sort(([a], [b]) => compareIds(a, b)));
}

/**
 * The record a split returns: `values[i]` under `ids[i]`, keys inserted in the order given (the
 * splits pass ascending ids). Exported so that a split kept as arrays (split-fast) can become the
 * very record the general functions return.
 */
export function sharesRecord(ids: readonly MemberId[], values: readonly Minor[]): Shares {
  const out: Shares = {};
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    // Plain assignment of "__proto__" would replace the prototype; define it as ordinary data.
    if (id === '__proto__') {
      Object.defineProperty(out, id, {
        value: values[i]!,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else out[id] = values[i]!;
  }
  return out;
}

/** Non-negative integer weights as bigints; `what` names them in messages. */
function weightsOf(entries: readonly [MemberId, number][], what: string): Result<bigint[], SplitErrorCode> {
  const out: bigint[] = [];
  for (const [member, w] of entries) {
    if (typeof w !== 'number' || !Number.isSafeInteger(w)) {
      return err('invalid_weight', `Each ${what} must be a whole number.`, { member, value: w });
    }
    if (w < 0) return err('negative_weight', `A ${what} cannot be negative.`, { member, value: w });
    out.push(BigInt(w));
  }
  return ok(out);
}

/** A share that points the other way from the total (or any non-zero share of a zero total) is refused. */
function checkDirection(total: Minor, ids: readonly MemberId[], shares: readonly Minor[]): SplitResult {
  for (let i = 0; i < ids.length; i++) {
    const s = shares[i]!;
    if ((total >= 0 && s < 0) || (total < 0 && s > 0)) {
      return err(
        'negative_share',
        'This split would leave someone with a share in the opposite direction of the total.',
        { member: ids[i], share: s },
      );
    }
  }
  return ok(sharesRecord(ids, shares));
}

function splitEqual(total: Minor, members: readonly MemberId[]): SplitResult {
  const ids = sortedMembers(members);
  if (!ids.ok) return ids;
  const parts = allocateLargestRemainder(
    total,
    ids.value.map(() => 1n),
    ids.value,
  );
  return ok(sharesRecord(ids.value, parts));
}

function splitExact(total: Minor, amounts: Readonly<Record<MemberId, Minor>>): SplitResult {
  const entries = sortedEntries(amounts);
  if (!entries.ok) return entries;
  let sum = 0n;
  for (const [member, a] of entries.value) {
    if (!isMinor(a)) {
      return err('invalid_amount', 'Each share must be a whole number of minor units within range.', {
        member,
        value: a,
      });
    }
    sum += BigInt(a);
  }
  if (sum !== BigInt(total)) {
    return err('exact_mismatch', 'The shares do not add up to the total.', {
      expected: total,
      actual: Number(sum),
    });
  }
  const ids = entries.value.map(([id]) => id);
  return checkDirection(
    total,
    ids,
    entries.value.map(([, a]) => zeroFree(a)),
  );
}

function splitWeighted(total: Minor, entries: readonly [MemberId, number][], weights: bigint[]): SplitResult {
  const ids = entries.map(([id]) => id);
  return ok(sharesRecord(ids, allocateLargestRemainder(total, weights, ids)));
}

function splitPercent(total: Minor, basisPoints: Readonly<Record<MemberId, number>>): SplitResult {
  const entries = sortedEntries(basisPoints);
  if (!entries.ok) return entries;
  const weights = weightsOf(entries.value, 'percentage');
  if (!weights.ok) return weights;
  const sum = weights.value.reduce((a, b) => a + b, 0n);
  if (sum !== 10_000n) {
    return err('percent_mismatch', 'The percentages must add up to exactly 100%.', {
      expected: 10_000,
      actual: Number(sum),
    });
  }
  return splitWeighted(total, entries.value, weights.value);
}

function splitShares(total: Minor, shareWeights: Readonly<Record<MemberId, number>>): SplitResult {
  const entries = sortedEntries(shareWeights);
  if (!entries.ok) return entries;
  const weights = weightsOf(entries.value, 'share count');
  if (!weights.ok) return weights;
  if (weights.value.every((w) => w === 0n)) {
    return err('zero_weights', 'At least one person must have a share greater than zero.');
  }
  return splitWeighted(total, entries.value, weights.value);
}

function splitAdjustment(
  total: Minor,
  members: readonly MemberId[],
  adjustments: Readonly<Record<MemberId, Minor>>,
): SplitResult {
  const ids = sortedMembers(members);
  if (!ids.ok) return ids;
  const inSplit = new Set(ids.value);
  let adjSum = 0n;
  for (const [member, a] of Object.entries(adjustments ?? {})) {
    if (!inSplit.has(member)) {
      return err('unknown_member', 'An adjustment names someone who is not part of this split.', { member });
    }
    if (!isMinor(a)) {
      return err('invalid_amount', 'Each adjustment must be a whole number of minor units within range.', {
        member,
        value: a,
      });
    }
    adjSum += BigInt(a);
  }
  // In bigints: adjustments may net out far beyond MAX_AMOUNT and still leave valid shares.
  const equal = allocateSigned(
    BigInt(total) - adjSum,
    ids.value.map(() => 1n),
    ids.value,
  );
  const own = new Map(Object.entries(adjustments ?? {}));
  const big = ids.value.map((id, i) => equal[i]! + BigInt(own.get(id) ?? 0));
  // Shares in the total's direction sum to it, so each is within ±|total|: safe to convert.
  const wrong = big.findIndex((s) => (total >= 0 ? s < 0n : s > 0n));
  if (wrong >= 0) {
    return err(
      'negative_share',
      'These adjustments would leave someone with a share in the opposite direction of the total.',
      { member: ids.value[wrong], share: String(big[wrong]) },
    );
  }
  const shares = big.map((s) => zeroFree(Number(s)));
  return ok(sharesRecord(ids.value, shares));
}

/**
 * Splits `total` (minor units; negative for a refund) according to `spec`.
 * The result has one entry per member named in the spec, keys in ascending id order,
 * and its values sum exactly to `total`.
 */
export function splitAmount(total: Minor, spec: SplitSpec): SplitResult {
  const bad = checkTotal(total);
  if (bad) return fail(bad);
  switch (spec.mode) {
    case 'equal':
      return splitEqual(total, spec.members);
    case 'exact':
      return splitExact(total, spec.amounts);
    case 'percent':
      return splitPercent(total, spec.basisPoints);
    case 'shares':
      return splitShares(total, spec.weights);
    case 'adjustment':
      return splitAdjustment(total, spec.members, spec.adjustments);
    default: {
      const mode = (spec as { mode?: unknown }).mode;
      return err('invalid_amount', 'Unknown way of splitting an expense.', { mode });
    }
  }
}

/**
 * Checks the payers of an expense and returns what each paid, keyed by member in ascending id
 * order. Each amount must be non-zero and in the direction of the total (all positive for an
 * expense, all negative for a refund), no member may appear twice, and the amounts must sum
 * exactly to `total`.
 */
export function splitPayers(total: Minor, payers: readonly Payer[]): Result<Shares, PayersErrorCode> {
  const bad = checkTotal(total);
  if (bad) return fail(bad);
  if (!Array.isArray(payers) || payers.length === 0) {
    return err('no_payers', 'Choose who paid for this expense.');
  }
  const sorted = [...payers].sort((a, b) => compareIds(a.member, b.member));
  let sum = 0n;
  for (let i = 0; i < sorted.length; i++) {
    const { member, amount } = sorted[i]!;
    if (i > 0 && sorted[i - 1]!.member === member) {
      return err('duplicate_member', 'The same person is listed twice as a payer.', { member });
    }
    if (!isMinor(amount) || amount === 0 || (total < 0 ? amount > 0 : amount < 0)) {
      return err(
        'invalid_amount',
        'Each payer must have paid a whole, non-zero amount in the same direction as the total.',
        { member, value: amount },
      );
    }
    sum += BigInt(amount);
  }
  if (sum !== BigInt(total)) {
    return err('payers_mismatch', 'What the payers paid does not add up to the total.', {
      expected: total,
      actual: Number(sum),
    });
  }
  return ok(
    sharesRecord(
      sorted.map((p) => p.member),
      sorted.map((p) => p.amount),
    ),
  );
}
