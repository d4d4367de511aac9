/**
 * Zero-sum subsets of one given size, found by meet in the middle with a hash of sums.
 *
 * A k-subset, read in position order, splits in exactly one way into its first ⌊k/2⌋ members (the
 * "stored" half) and its last ⌈k/2⌉ (the "probe" half, all after the stored half). So: hash every
 * ⌊k/2⌋-subset by its sum, then for every ⌈k/2⌉-subset look up the opposite sum and keep the stored
 * halves that end before it starts. Each zero-sum k-subset is found exactly once, in a fixed order
 * that depends only on the values and their positions, for C(r, ⌊k/2⌋) + C(r, ⌈k/2⌉) steps instead
 * of C(r, k).
 */

/** C(n, k), as a double: only compared with work budgets, never used as an exact count. */
export function combinations(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return c;
}

/** How many half-subsets one search enumerates, and how many of them it keeps in its hash. */
export function searchCost(count: number, size: number): { steps: number; stored: number } {
  const stored = combinations(count, size >> 1);
  return { steps: stored + combinations(count, size - (size >> 1)), stored };
}

/**
 * Calls `visit` with every m-subset of `live` (as increasing positions into `live`) and its sum, in
 * lexicographic order of positions, until `visit` returns false. Sums are kept per prefix so that
 * moving to the next subset adds only the values that changed.
 */
function forEachSubset(
  values: readonly number[],
  live: readonly number[],
  m: number,
  visit: (pos: Int32Array, sum: number) => boolean,
): void {
  const r = live.length;
  if (m < 1 || m > r) return;
  const pos = new Int32Array(m);
  const prefix = new Float64Array(m + 1);
  for (let j = 0; j < m; j++) {
    pos[j] = j;
    prefix[j + 1] = prefix[j]! + values[live[j]!]!;
  }
  for (;;) {
    if (!visit(pos, prefix[m]!)) return;
    let j = m - 1;
    while (j >= 0 && pos[j] === r - m + j) j--;
    if (j < 0) return;
    pos[j]!++;
    prefix[j + 1] = prefix[j]! + values[live[pos[j]!]!]!;
    for (let t = j + 1; t < m; t++) {
      pos[t] = pos[t - 1]! + 1;
      prefix[t + 1] = prefix[t]! + values[live[pos[t]!]!]!;
    }
  }
}

export interface SubsetSearch {
  /** Zero-sum subsets, each as indices into `values` in increasing order, in discovery order. */
  readonly subsets: number[][];
  /** False when the search stopped at `cap` subsets: more may exist. */
  readonly complete: boolean;
}

/**
 * Every zero-sum subset of `size` members of `live` (indices into `values`, increasing), up to `cap`.
 *
 * Sums are doubles, exact while Σ|v| over `live` stays within 2^53 (any real ledger). Beyond that a
 * rounded sum may hide a subset (the plan is then less short, never wrong) and every hit is checked
 * again with bigints, so nothing that does not sum to exactly zero is ever returned.
 */
export function zeroSumSubsetsOfSize(
  values: readonly number[],
  live: readonly number[],
  size: number,
  cap: number,
): SubsetSearch {
  const half = size >> 1;
  let magnitude = 0;
  for (const i of live) magnitude += Math.abs(values[i]!);
  const exact = magnitude <= Number.MAX_SAFE_INTEGER;

  // Stored halves: positions in one flat array, chained per sum (head in the map, then `next`),
  // which costs far less memory than an array per sum when there are 10^5 of them.
  const flat: number[] = [];
  const next: number[] = [];
  const head = new Map<number, number>();
  forEachSubset(values, live, half, (pos, sum) => {
    const id = next.length;
    for (let j = 0; j < half; j++) flat.push(pos[j]!);
    next.push(head.get(sum) ?? -1);
    head.set(sum, id);
    return true;
  });

  const subsets: number[][] = [];
  let complete = true;
  forEachSubset(values, live, size - half, (pos, sum) => {
    for (let id = head.get(-sum) ?? -1; id >= 0; id = next[id]!) {
      // The stored half must end before the probe half starts (the unique split, see above).
      if (flat[id * half + half - 1]! >= pos[0]!) continue;
      const subset: number[] = [];
      for (let j = 0; j < half; j++) subset.push(live[flat[id * half + j]!]!);
      for (const p of pos) subset.push(live[p]!);
      if (!exact && subset.reduce((s, i) => s + BigInt(values[i]!), 0n) !== 0n) continue;
      subsets.push(subset);
      if (subsets.length >= cap) {
        complete = false;
        return false;
      }
    }
    return true;
  });
  return { subsets, complete };
}
