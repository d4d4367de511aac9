/**
 * The exact part of settlement planning: the largest number of disjoint zero-sum groups a set of
 * balances can be cut into, by a DP over all 2^n subsets. Only called with n ≤ EXACT_LIMIT (plan.ts).
 */

/**
 * zero[mask] = 1 when the subset `mask` (bit i = member i) sums to zero. Sums are exact: doubles
 * while every subset sum stays below 2^53, bigints otherwise.
 */
function zeroSubsets(values: readonly number[]): Uint8Array {
  const size = 1 << values.length;
  const zero = new Uint8Array(size);
  let magnitude = 0;
  for (const v of values) magnitude += Math.abs(v);
  if (magnitude <= Number.MAX_SAFE_INTEGER) {
    const sums = new Float64Array(size);
    for (let mask = 1; mask < size; mask++) {
      const low = mask & -mask;
      const sum = sums[mask ^ low]! + values[31 - Math.clz32(low)]!;
      sums[mask] = sum;
      if (sum === 0) zero[mask] = 1;
    }
    return zero;
  }
  // Each |value| < 2^53 and there are at most EXACT_LIMIT of them: every sum fits in 64 bits.
  const sums = new BigInt64Array(size);
  const big = values.map(BigInt);
  for (let mask = 1; mask < size; mask++) {
    const low = mask & -mask;
    const sum = sums[mask ^ low]! + big[31 - Math.clz32(low)]!;
    sums[mask] = sum;
    if (sum === 0n) zero[mask] = 1;
  }
  return zero;
}

/**
 * Splits members (indices) into the largest number of disjoint zero-sum groups.
 * dp[mask] = the most zero-sum groups that a sequence adding mask's members one by one can close:
 * dp[mask] = max over i in mask of dp[mask − i], plus one if mask itself sums to zero.
 */
export function zeroSumGroups(values: readonly number[]): number[][] {
  const n = values.length;
  const full = (1 << n) - 1;
  const zero = zeroSubsets(values);
  const dp = new Int8Array(full + 1);
  for (let mask = 1; mask <= full; mask++) {
    let best = 0;
    for (let rest = mask; rest !== 0; rest &= rest - 1) {
      const d = dp[mask ^ (rest & -rest)]!;
      if (d > best) best = d;
    }
    dp[mask] = best + zero[mask]!;
  }

  // Walk back from the full set, removing a member that keeps the optimum (the lowest index, for
  // determinism); read forwards, every zero-sum prefix closes a group.
  const order: number[] = [];
  for (let mask = full; mask !== 0; ) {
    const want = dp[mask]! - zero[mask]!;
    let rest = mask;
    while (dp[mask ^ (rest & -rest)] !== want) rest &= rest - 1;
    const bit = rest & -rest;
    order.push(31 - Math.clz32(bit));
    mask ^= bit;
  }
  order.reverse();
  const groups: number[][] = [];
  let current: number[] = [];
  let prefix = 0;
  for (const i of order) {
    current.push(i);
    prefix |= 1 << i;
    if (zero[prefix] === 1) {
      groups.push(current);
      current = [];
    }
  }
  return groups;
}
