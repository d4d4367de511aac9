import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemberId } from '../money/types';
import { EXACT_LIMIT, planSettlement, planSettlementGreedy, type Transfer } from './plan';

const id = (i: number): MemberId => i.toString(16).padStart(64, '0');

function applyPlan(
  balances: ReadonlyMap<MemberId, number>,
  plan: readonly Transfer[],
): Map<MemberId, number> {
  const left = new Map(balances);
  for (const t of plan) {
    left.set(t.from, left.get(t.from)! + t.amount);
    left.set(t.to, left.get(t.to)! - t.amount);
  }
  return left;
}

/** Brute force: the most parts a zero-sum multiset can be cut into, each part summing to zero. */
function maxZeroSumParts(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const [first, ...rest] = values;
  let best = 1; // the whole set is one part
  // Try every subset of `rest` that, with `first`, sums to zero and leaves a non-empty remainder.
  for (let mask = 0; mask < 1 << rest.length; mask++) {
    let sum = first!;
    const remainder: number[] = [];
    rest.forEach((v, i) => {
      if (mask & (1 << i)) sum += v;
      else remainder.push(v);
    });
    if (sum === 0 && remainder.length > 0) best = Math.max(best, 1 + maxZeroSumParts(remainder));
  }
  return best;
}

/** Zero-sum balances for `count` members, amounts small so that zero-sum subsets are common. */
const balancesArb = (maxMembers: number, maxAbs: number) =>
  fc
    .array(fc.integer({ min: -maxAbs, max: maxAbs }), { minLength: 1, maxLength: maxMembers - 1 })
    .map((values) => {
      const all = [...values, -values.reduce((a, b) => a + b, 0)];
      return new Map(all.map((v, i) => [id(i * 7 + 1), v]));
    });

const nonZero = (b: ReadonlyMap<MemberId, number>) => [...b.values()].filter((v) => v !== 0);

describe('planSettlement', () => {
  it('settles a simple triangle with two transfers', () => {
    const b = new Map([
      [id(1), 3000],
      [id(2), -1000],
      [id(3), -2000],
    ]);
    expect(planSettlement(b)).toEqual([
      { from: id(2), to: id(1), amount: 1000 },
      { from: id(3), to: id(1), amount: 2000 },
    ]);
  });

  it('finds disjoint zero-sum groups that greedy misses', () => {
    // {8, −5, −3} and {7, −6, −1}: 2 + 2 transfers; greedy (8 pays −6 first…) needs 5.
    const b = new Map([8, -5, -6, -3, 7, -1].map((v, i) => [id(i + 1), v]));
    expect(planSettlementGreedy(b)).toHaveLength(5);
    expect(planSettlement(b)).toEqual([
      { from: id(2), to: id(1), amount: 5 },
      { from: id(3), to: id(5), amount: 6 },
      { from: id(4), to: id(1), amount: 3 },
      { from: id(6), to: id(5), amount: 1 },
    ]);
  });

  it('settles exact opposites with one transfer each', () => {
    const b = new Map([
      [id(1), 500],
      [id(2), -500],
      [id(3), 500],
      [id(4), -500],
      [id(5), -70],
      [id(6), 70],
    ]);
    expect(planSettlement(b)).toEqual([
      { from: id(2), to: id(1), amount: 500 },
      { from: id(4), to: id(3), amount: 500 },
      { from: id(5), to: id(6), amount: 70 },
    ]);
  });

  it('returns no transfers when everyone is even, and refuses unbalanced or non-integer input', () => {
    expect(planSettlement(new Map([[id(1), 0]]))).toEqual([]);
    expect(planSettlement(new Map())).toEqual([]);
    expect(() => planSettlement(new Map([[id(1), 5]]))).toThrow(
      expect.objectContaining({ code: 'unbalanced' }),
    );
    expect(() =>
      planSettlement(
        new Map([
          [id(1), 0.5],
          [id(2), -0.5],
        ]),
      ),
    ).toThrow(expect.objectContaining({ code: 'invalid_amount' }));
  });

  it('is exact for 20 members with no opposite pairs', () => {
    // Five triples (1, 2, −3)·100^j and one quintuple (1, 2, 4, 8, −15)·100^5. Per power of 100 the
    // coefficients of any subset sum to less than 50 in size, so a zero-sum subset is a union of
    // these groups: at most 6 parts, hence exactly 20 − 6 = 14 transfers.
    const values: number[] = [];
    for (let j = 0; j < 5; j++) values.push(100 ** j, 2 * 100 ** j, -3 * 100 ** j);
    for (const c of [1, 2, 4, 8, -15]) values.push(c * 100 ** 5);
    const b = new Map(values.map((v, i) => [id((i * 37) % 101), v]));
    const plan = planSettlement(b);
    expect(nonZero(applyPlan(b, plan))).toEqual([]);
    expect(plan).toHaveLength(14);
    expect(planSettlementGreedy(b).length).toBeGreaterThanOrEqual(14);
  });

  it('handles amounts whose subset sums exceed 2^53 exactly', () => {
    const big = Number.MAX_SAFE_INTEGER - 1;
    const b = new Map([
      [id(1), big],
      [id(2), big],
      [id(3), -big],
      [id(4), -(big - 10)],
      [id(5), -10],
    ]);
    const plan = planSettlement(b);
    expect(nonZero(applyPlan(b, plan))).toEqual([]);
    expect(plan).toHaveLength(3);
  });

  it('beyond the exact limit, still settles everything in at most n − 1 transfers', () => {
    const values = Array.from({ length: EXACT_LIMIT + 5 }, (_, i) => (i % 2 === 0 ? 1000 + i : -(990 + i)));
    values.push(-values.reduce((s, v) => s + v, 0));
    const b = new Map(values.map((v, i) => [id(i + 1), v]));
    const plan = planSettlement(b);
    expect(nonZero(applyPlan(b, plan))).toEqual([]);
    expect(plan.length).toBeLessThanOrEqual(values.length - 1);
  });
});

describe('planSettlement properties', () => {
  it('zeroes every balance with positive amounts between different members', () => {
    fc.assert(
      fc.property(balancesArb(14, 1_000_000), (b) => {
        const plan = planSettlement(b);
        expect(nonZero(applyPlan(b, plan))).toEqual([]);
        for (const t of plan) {
          expect(Number.isSafeInteger(t.amount) && t.amount > 0).toBe(true);
          expect(t.from).not.toBe(t.to);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('never needs more transfers than greedy, which also settles everything', () => {
    fc.assert(
      fc.property(balancesArb(12, 30), (b) => {
        const greedy = planSettlementGreedy(b);
        expect(nonZero(applyPlan(b, greedy))).toEqual([]);
        expect(planSettlement(b).length).toBeLessThanOrEqual(greedy.length);
      }),
      { numRuns: 1000 },
    );
  });

  it('uses exactly n − (most zero-sum parts) transfers, checked by brute force', () => {
    fc.assert(
      fc.property(balancesArb(8, 12), (b) => {
        const values = nonZero(b);
        expect(planSettlement(b)).toHaveLength(values.length - maxZeroSumParts(values));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the same plan whatever order the balances were inserted in', () => {
    fc.assert(
      fc.property(balancesArb(10, 20), fc.integer(), (b, seed) => {
        const entries = [...b.entries()];
        const shuffled = entries
          .map((e, i) => ({ e, k: Math.sin(seed + i) }))
          .sort((x, y) => x.k - y.k)
          .map((x) => x.e);
        expect(planSettlement(new Map(shuffled))).toEqual(planSettlement(b));
        expect(planSettlementGreedy(new Map(shuffled))).toEqual(planSettlementGreedy(b));
      }),
      { numRuns: 1000 },
    );
  });
});
