/**
 * Local improvement of a zero-sum partition: merge two groups and split their union again exactly.
 *
 * Taking small zero-sum subsets first (large-groups.ts) can pick one that cuts across several
 * natural groups: {a, b, c} from three flat-shares leaves the rest of all three as one group, 2
 * groups where there were 3. The damage mostly stays inside the union of that subset and the
 * leftover, so the exact DP on the union of two groups finds the lost group again. Each success
 * adds at least one group, so this ends after at most n successes. (Merging three groups as well
 * was tried: on the benchmark's groups it recovered a tenth of what was left, for 3× the time.)
 */
import { zeroSumGroups } from './exact-groups';

/**
 * DP steps (2^m · m for a union of m) spent on merges over a whole plan: ~3·10^7 is about the cost
 * of one 20-member exact plan, and plenty for every pair of the small groups of 200 members.
 */
export const REGROUP_BUDGET = 32_000_000;

/**
 * Returns a partition with at least as many groups. Deterministic: groups are visited in the order
 * of their smallest index, new groups go last, and the budget counts steps, not time.
 */
export function regroup(
  values: readonly number[],
  groups: readonly number[][],
  exactLimit: number,
): number[][] {
  const list = groups.map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);
  let spent = 0;
  // Invariant: no two groups among list[0 .. i−1] can be merged into three or more.
  for (let i = 1; i < list.length; ) {
    let merged = false;
    for (let j = 0; j < i && !merged; j++) {
      const m = list[i]!.length + list[j]!.length;
      const cost = 2 ** m * m;
      if (m > exactLimit || spent + cost > REGROUP_BUDGET) continue;
      spent += cost;
      const union = [...list[j]!, ...list[i]!].sort((a, b) => a - b);
      const parts = zeroSumGroups(union.map((k) => values[k]!));
      if (parts.length <= 2) continue;
      list.splice(i, 1);
      list.splice(j, 1);
      for (const p of parts) list.push(p.map((k) => union[k]!).sort((a, b) => a - b));
      merged = true;
    }
    // After a merge, list[0 .. i−2] is what is left of the checked prefix.
    i = Math.max(1, i + (merged ? -1 : 1));
  }
  return list;
}
