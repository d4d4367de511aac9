/**
 * Near-maximal zero-sum partitions for groups too big for the exact DP (more than EXACT_LIMIT
 * members with a non-zero balance).
 *
 * Fewer transfers means more (hence smaller) zero-sum groups, so the small ones are taken first:
 * all zero-sum subsets of 2 members, then 3, 4, … (meet in the middle, zero-sum-subsets.ts), each
 * size packed without overlap before the next. Taking a subset out never creates a smaller zero-sum
 * subset among the others, so once a size is exhausted it stays exhausted. As soon as at most
 * `exactLimit` members are left, the exact DP splits them optimally. If the work budget runs out
 * first, whoever is left forms one group (settled greedily: at most r − 1 transfers). Last, pairs
 * of groups are merged and split again exactly where that finds more groups (regroup.ts).
 *
 * Every step depends only on the values in their given (member id) order and on fixed budgets
 * counted in steps, never in time, so every device finds the same groups.
 */
import { zeroSumGroups } from './exact-groups';
import { regroup } from './regroup';
import { searchCost, zeroSumSubsetsOfSize } from './zero-sum-subsets';

/**
 * Half-subsets enumerated over a whole plan. Members with no structure at all are the worst case
 * (every size is searched until the budget ends): 1.5·10^6 keeps that near 0.1 s for 60 or 200
 * members on a slow core, and still covers every subset of up to 5 members of 200.
 */
export const SEARCH_BUDGET = 1_500_000;
/** Half-subsets hashed in one search: filling a map dominates the time beyond ~5·10^4 entries. */
export const STORED_LIMIT = 50_000;
/**
 * Zero-sum subsets collected before packing them: with many equal balances (everyone owes the same
 * 25.00) their number grows combinatorially, but a few thousand are plenty to choose from; the same
 * size is simply searched again afterwards.
 */
const CANDIDATE_CAP = 4_096;

/**
 * Picks pairwise disjoint subsets, those whose members appear in the fewest other candidates first
 * (ties: discovery order), so that one choice rules out as few others as possible.
 */
function packDisjoint(subsets: readonly number[][], memberCount: number): number[][] {
  const uses = new Uint32Array(memberCount);
  for (const s of subsets) for (const i of s) uses[i]!++;
  const score = subsets.map((s) => s.reduce((a, i) => a + uses[i]!, 0));
  const order = subsets.map((_, j) => j).sort((a, b) => score[a]! - score[b]! || a - b);
  const taken = new Uint8Array(memberCount);
  const chosen: number[][] = [];
  for (const j of order) {
    const s = subsets[j]!;
    if (s.some((i) => taken[i] === 1)) continue;
    for (const i of s) taken[i] = 1;
    chosen.push(s);
  }
  return chosen;
}

/**
 * Splits members (indices into `values`, which sum to zero) into disjoint zero-sum groups, as many
 * as the budgets allow finding.
 */
export function largeZeroSumGroups(values: readonly number[], exactLimit: number): number[][] {
  const groups: number[][] = [];
  let live = values.map((_, i) => i);
  let spent = 0;
  // A zero-sum k-subset leaves a zero-sum complement, so sizes beyond half of those left add nothing.
  for (let size = 2; live.length > exactLimit && 2 * size <= live.length; ) {
    const cost = searchCost(live.length, size);
    if (cost.stored > STORED_LIMIT || spent + cost.steps > SEARCH_BUDGET) break;
    spent += cost.steps;
    const { subsets, complete } = zeroSumSubsetsOfSize(values, live, size, CANDIDATE_CAP);
    const chosen = packDisjoint(subsets, values.length);
    if (chosen.length > 0) {
      const taken = new Uint8Array(values.length);
      for (const s of chosen) for (const i of s) taken[i] = 1;
      groups.push(...chosen);
      live = live.filter((i) => taken[i] === 0);
    }
    // Every candidate was either taken or overlaps one that was: no zero-sum subset of this size
    // is left, unless the search stopped at the cap.
    if (complete) size++;
  }
  if (live.length > exactLimit) {
    groups.push(live);
  } else if (live.length > 0) {
    const rest = live;
    for (const g of zeroSumGroups(rest.map((i) => values[i]!))) groups.push(g.map((p) => rest[p]!));
  }
  return regroup(values, groups, exactLimit);
}
