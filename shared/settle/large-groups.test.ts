import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemberId } from '../money/types';
import { largeZeroSumGroups } from './large-groups';
import { EXACT_LIMIT, planSettlement, planSettlementGreedy, type Transfer } from './plan';
import { regroup } from './regroup';
import { zeroSumSubsetsOfSize } from './zero-sum-subsets';

const id = (i: number): MemberId => i.toString(16).padStart(64, '0');

/** What each member still has to pay or receive after the plan: all zero when it settles. */
function leftAfter(balances: ReadonlyMap<MemberId, number>, plan: readonly Transfer[]): number[] {
  const left = new Map(balances);
  for (const t of plan) {
    left.set(t.from, left.get(t.from)! + t.amount);
    left.set(t.to, left.get(t.to)! - t.amount);
  }
  return [...left.values()].filter((v) => v !== 0);
}

/** Small deterministic PRNG (mulberry32), so that the clustered groups are the same on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `size` members in zero-sum clusters of 2–5, ids shuffled so that id order says nothing about the
 * clusters. Amounts are round (multiples of 50), so cross-cluster zero-sum subsets do occur.
 */
function clusteredGroup(rand: () => number, size: number): { balances: Map<MemberId, number>; easy: number } {
  const values: number[] = [];
  let clusters = 0;
  for (let left = size; left > 0; ) {
    let k = Math.min(left, 2 + Math.floor(rand() * 4));
    if (left - k === 1) k = k === 5 ? 4 : k + 1;
    left -= k;
    clusters++;
    let sum = 0;
    for (let j = 0; j < k - 1; j++) {
      const v = 50 * (1 + Math.floor(rand() * 200)) * (rand() < 0.5 ? 1 : -1);
      values.push(v);
      sum += v;
    }
    // The last member evens the cluster out; a zero there would make it one member smaller.
    values.push(sum === 0 ? 0 : -sum);
    if (sum === 0) return clusteredGroup(rand, size);
  }
  const ids = values.map((_, i) => id(Math.floor(rand() * 2 ** 40) * 64 + i));
  return { balances: new Map(values.map((v, i) => [ids[i]!, v])), easy: size - clusters };
}

/** Zero-sum balances of `minMembers`–`maxMembers` members (the last one evens the sum out). */
const largeArb = (minMembers: number, maxMembers: number, maxAbs: number) =>
  fc
    .array(fc.integer({ min: -maxAbs, max: maxAbs }), {
      minLength: minMembers - 1,
      maxLength: maxMembers - 1,
    })
    .map((values) => {
      const all = [...values, -values.reduce((a, b) => a + b, 0)];
      return new Map(all.map((v, i) => [id(i * 7 + 1), v]));
    });

describe('zeroSumSubsetsOfSize', () => {
  it('finds every zero-sum subset of a size once, and nothing else', () => {
    const values = [5, -2, -3, 7, -4, -1, 2, -4];
    const live = values.map((_, i) => i);
    const brute: string[] = [];
    for (let mask = 0; mask < 1 << values.length; mask++) {
      const subset = live.filter((i) => mask & (1 << i));
      if (subset.length === 3 && subset.reduce((s, i) => s + values[i]!, 0) === 0) brute.push(subset.join());
    }
    const { subsets, complete } = zeroSumSubsetsOfSize(values, live, 3, 100);
    expect(complete).toBe(true);
    expect(subsets.map((s) => s.join()).sort()).toEqual(brute.sort());
  });

  it('stops at the cap and says so', () => {
    const values = [1, 1, 1, 1, -2, -2, -2];
    const { subsets, complete } = zeroSumSubsetsOfSize(values, [0, 1, 2, 3, 4, 5, 6], 3, 2);
    expect(subsets).toHaveLength(2);
    expect(complete).toBe(false);
  });

  it('never returns a subset that only sums to zero after rounding', () => {
    const big = 2 ** 52;
    // big + big + 1 rounds to 2^53 in doubles, but the true sum of these three is −1, not 0.
    const values = [big, big + 1, -(2 ** 53), -1 + 1];
    const { subsets } = zeroSumSubsetsOfSize(values, [0, 1, 2], 3, 10);
    expect(subsets).toEqual([]);
  });
});

describe('regroup', () => {
  it('recovers groups lost to a subset cutting across three clusters', () => {
    // Clusters {17, −2, −15}, {29, −3, −26}, {5, 38, −43}; the cut {−2, −3, 5} leaves the rest of
    // all three as one group with no zero-sum part: 2 groups where there are 3.
    const values = [17, -2, -15, 29, -3, -26, 5, 38, -43];
    const cut = [
      [1, 4, 6],
      [0, 2, 3, 5, 7, 8],
    ];
    const groups = regroup(values, cut, EXACT_LIMIT);
    expect(groups).toHaveLength(3);
    for (const g of groups) expect(g.reduce((s, i) => s + values[i]!, 0)).toBe(0);
  });
});

describe('planSettlement beyond the exact limit', () => {
  it('settles every balance exactly with at most n − 1 transfers and never more than greedy', () => {
    fc.assert(
      fc.property(largeArb(EXACT_LIMIT + 1, 70, 5_000), (b) => {
        const plan = planSettlement(b);
        const n = [...b.values()].filter((v) => v !== 0).length;
        expect(leftAfter(b, plan)).toEqual([]);
        expect(plan.length).toBeLessThanOrEqual(Math.max(0, n - 1));
        expect(plan.length).toBeLessThanOrEqual(planSettlementGreedy(b).length);
        for (const t of plan) {
          expect(Number.isSafeInteger(t.amount) && t.amount > 0).toBe(true);
          expect(t.from).not.toBe(t.to);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same plan whatever order the balances were inserted in', () => {
    fc.assert(
      fc.property(largeArb(EXACT_LIMIT + 1, 60, 300), fc.integer(), (b, seed) => {
        const shuffled = [...b.entries()]
          .map((e, i) => ({ e, k: Math.sin(seed + i) }))
          .sort((x, y) => x.k - y.k)
          .map((x) => x.e);
        expect(planSettlement(new Map(shuffled))).toEqual(planSettlement(b));
      }),
      { numRuns: 100 },
    );
  });

  it('settles exactly amounts whose sums pass 2^53', () => {
    const big = Number.MAX_SAFE_INTEGER - 100;
    const values: number[] = [];
    for (let i = 0; i < 12; i++) values.push(big - i, -(big - i - 1), -1);
    const b = new Map(values.map((v, i) => [id(i + 1), v]));
    const plan = planSettlement(b);
    expect(leftAfter(b, plan)).toEqual([]);
    expect(plan.length).toBeLessThanOrEqual(values.length - 1);
  });

  it('reaches n − clusters (within 2%) on clustered groups of 21–60, well below greedy', () => {
    const rand = seeded(12);
    let ours = 0;
    let greedy = 0;
    let easy = 0;
    for (let g = 0; g < 120; g++) {
      const { balances, easy: e } = clusteredGroup(rand, 21 + Math.floor(rand() * 40));
      const plan = planSettlement(balances);
      expect(leftAfter(balances, plan)).toEqual([]);
      ours += plan.length;
      greedy += planSettlementGreedy(balances).length;
      easy += e;
    }
    expect(ours / easy).toBeLessThanOrEqual(1.02);
    expect(ours).toBeLessThan(greedy);
  });

  it('takes the clusters apart exactly when no subset cuts across them', () => {
    // Cluster j uses powers of 1000 no other cluster uses: every zero-sum subset is a union of clusters.
    const values: number[] = [];
    const sizes = [2, 3, 4, 5, 3, 4, 2, 5];
    sizes.forEach((k, j) => {
      const unit = 1000 ** (j % 4) * (j < 4 ? 1 : 7);
      const part = Array.from({ length: k - 1 }, (_, t) => unit * (t + 1));
      values.push(...part, -part.reduce((a, c) => a + c, 0));
    });
    const b = new Map(values.map((v, i) => [id((i * 53) % 997), v]));
    const groups = largeZeroSumGroups(
      [...b.keys()].sort().map((k) => b.get(k)!),
      EXACT_LIMIT,
    );
    expect(groups).toHaveLength(sizes.length);
    expect(planSettlement(b)).toHaveLength(values.length - sizes.length);
  });
});
