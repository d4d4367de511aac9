/** Property tests for splits: exact sums, fairness bounds, and independence from listing order. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateLargestRemainder, splitAmount, splitPayers } from './split';
import { MAX_AMOUNT, type MemberId, type Minor, type SplitSpec } from './types';

const RUNS = { numRuns: 10_000 };

/** Realistic 64-hex member ids (never integer-like, so object key order is insertion order). */
const memberId = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).padStart(4, '0').repeat(16));
const members = (max = 8) => fc.uniqueArray(memberId, { minLength: 1, maxLength: max });
/** Mostly small totals (where remainders matter), sometimes huge ones. */
const total = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: -MAX_AMOUNT, max: MAX_AMOUNT }),
);

/** Deterministic Fisher–Yates driven by a seed, so failures shrink and replay. */
function shuffle<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
const reorder = <V>(rec: Record<string, V>, seed: number): Record<string, V> =>
  Object.fromEntries(shuffle(Object.entries(rec), seed));

function ok(r: ReturnType<typeof splitAmount>): Record<MemberId, Minor> {
  if (!r.ok) throw new Error(`expected a split, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}
const sum = (rec: Record<string, Minor>): bigint => Object.values(rec).reduce((a, v) => a + BigInt(v), 0n);
const sortedIds = (ids: readonly string[]): string[] => [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const negated = (rec: Record<string, Minor>): [string, Minor][] =>
  Object.entries(rec).map(([k, v]) => [k, v === 0 ? 0 : -v]);

/** |share − total·w/W| < 1, checked exactly in bigints. */
function withinOneOfQuota(share: Minor, t: Minor, w: bigint, sumW: bigint): boolean {
  const diff = BigInt(share) * sumW - BigInt(t) * w;
  return diff < sumW && diff > -sumW;
}

/** Output is identical, including key order, when the input lists the same members differently. */
function expectSameSplit(a: ReturnType<typeof splitAmount>, b: ReturnType<typeof splitAmount>): void {
  expect(Object.entries(ok(b))).toEqual(Object.entries(ok(a)));
}

describe('splitAmount properties', () => {
  it('equal: sums to the total, shares differ by at most one unit, order-independent', () => {
    fc.assert(
      fc.property(members(), total, fc.integer(), (ms, t, seed) => {
        const r = ok(splitAmount(t, { mode: 'equal', members: ms }));
        expect(sum(r)).toBe(BigInt(t));
        expect(Object.keys(r)).toEqual(sortedIds(ms));
        const values = Object.values(r);
        expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
        expectSameSplit(
          splitAmount(t, { mode: 'equal', members: ms }),
          splitAmount(t, { mode: 'equal', members: shuffle(ms, seed) }),
        );
        expect(Object.entries(ok(splitAmount(-t, { mode: 'equal', members: ms })))).toEqual(negated(r));
      }),
      RUNS,
    );
  });

  it('exact: accepts amounts that sum to the total, rejects any other total, order-independent', () => {
    const entries = fc.uniqueArray(fc.tuple(memberId, fc.integer({ min: 0, max: MAX_AMOUNT / 8 })), {
      minLength: 1,
      maxLength: 8,
      selector: ([id]) => id,
    });
    fc.assert(
      fc.property(
        entries,
        fc.boolean(),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer(),
        (es, refund, delta, seed) => {
          const amounts = Object.fromEntries(es.map(([id, a]) => [id, refund && a !== 0 ? -a : a]));
          const t = Number(sum(amounts));
          const r = ok(splitAmount(t, { mode: 'exact', amounts }));
          expect(sum(r)).toBe(BigInt(t));
          expect(Object.keys(r)).toEqual(sortedIds(Object.keys(amounts)));
          for (const [id, a] of Object.entries(amounts)) expect(r[id]).toBe(a);
          expectSameSplit(
            splitAmount(t, { mode: 'exact', amounts }),
            splitAmount(t, { mode: 'exact', amounts: reorder(amounts, seed) }),
          );
          const off = splitAmount(t + delta, { mode: 'exact', amounts });
          expect(!off.ok && off.error.code).toBe('exact_mismatch');
        },
      ),
      RUNS,
    );
  });

  it('percent: sums to the total, each share within one unit of its exact part, order-independent', () => {
    const cuts = fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 7, maxLength: 7 });
    fc.assert(
      fc.property(members(), cuts, total, fc.integer(), (ms, cs, t, seed) => {
        const bounds = [0, ...cs.slice(0, ms.length - 1).sort((a, b) => a - b), 10_000];
        const basisPoints = Object.fromEntries(ms.map((id, i) => [id, bounds[i + 1]! - bounds[i]!]));
        const spec: SplitSpec = { mode: 'percent', basisPoints };
        const r = ok(splitAmount(t, spec));
        expect(sum(r)).toBe(BigInt(t));
        expect(Object.keys(r)).toEqual(sortedIds(ms));
        for (const id of ms)
          expect(withinOneOfQuota(r[id]!, t, BigInt(basisPoints[id]!), 10_000n)).toBe(true);
        expectSameSplit(
          splitAmount(t, spec),
          splitAmount(t, { mode: 'percent', basisPoints: reorder(basisPoints, seed) }),
        );
        expect(Object.entries(ok(splitAmount(-t, spec)))).toEqual(negated(r));
      }),
      RUNS,
    );
  });

  it('shares: sums to the total, proportional within one unit, zero weight gets zero, order-independent', () => {
    const weightList = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(members(), weightList, total, fc.integer(), (ms, ws, t, seed) => {
        const weights = Object.fromEntries(ms.map((id, i) => [id, ws[i]!]));
        if (ms.every((id) => weights[id] === 0)) weights[ms[0]!] = 1;
        const sumW = BigInt(ms.reduce((a, id) => a + weights[id]!, 0));
        const spec: SplitSpec = { mode: 'shares', weights };
        const r = ok(splitAmount(t, spec));
        expect(sum(r)).toBe(BigInt(t));
        for (const id of ms) {
          expect(withinOneOfQuota(r[id]!, t, BigInt(weights[id]!), sumW)).toBe(true);
          if (weights[id] === 0) expect(r[id]).toBe(0);
        }
        expectSameSplit(
          splitAmount(t, spec),
          splitAmount(t, { mode: 'shares', weights: reorder(weights, seed) }),
        );
        expect(Object.entries(ok(splitAmount(-t, spec)))).toEqual(negated(r));
      }),
      RUNS,
    );
  });

  it('adjustment: sums to the total, equal parts within one unit, order-independent, or negative_share', () => {
    const adj = fc.array(fc.option(fc.integer({ min: -2000, max: 2000 }), { nil: undefined }), {
      minLength: 8,
      maxLength: 8,
    });
    fc.assert(
      fc.property(members(), adj, total, fc.integer(), (ms, as, t, seed) => {
        const adjustments: Record<string, Minor> = {};
        ms.forEach((id, i) => {
          if (as[i] !== undefined) adjustments[id] = as[i]!;
        });
        const spec: SplitSpec = { mode: 'adjustment', members: ms, adjustments };
        const r = splitAmount(t, spec);
        const shuffled = splitAmount(t, {
          mode: 'adjustment',
          members: shuffle(ms, seed),
          adjustments: reorder(adjustments, seed + 1),
        });
        const mirrored = splitAmount(-t, {
          mode: 'adjustment',
          members: ms,
          adjustments: Object.fromEntries(Object.entries(adjustments).map(([k, v]) => [k, -v])),
        });
        if (!r.ok) {
          expect(r.error.code).toBe('negative_share');
          expect(!shuffled.ok && shuffled.error.code).toBe('negative_share');
          expect(!mirrored.ok && mirrored.error.code).toBe('negative_share');
          return;
        }
        expect(sum(r.value)).toBe(BigInt(t));
        const base = ms.map((id) => r.value[id]! - (adjustments[id] ?? 0));
        expect(Math.max(...base) - Math.min(...base)).toBeLessThanOrEqual(1);
        for (const v of Object.values(r.value)) expect(t >= 0 ? v >= 0 : v <= 0).toBe(true);
        expectSameSplit(r, shuffled);
        expect(Object.entries(ok(mirrored))).toEqual(negated(r.value));
      }),
      RUNS,
    );
  });

  it('adjustment: adjustments in the total’s direction that fit within it always split', () => {
    fc.assert(
      fc.property(members(), fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), total, (ms, raw, t) => {
        // Each |adjustment| ≤ |t| / n keeps the rest in the total's direction, so every share is valid.
        const cap = Math.floor(Math.abs(t) / ms.length);
        const adjustments = Object.fromEntries(
          ms.map((id, i) => [id, (t < 0 ? -1 : 1) * (cap === 0 ? 0 : raw[i]! % (cap + 1))]),
        );
        const r = ok(splitAmount(t, { mode: 'adjustment', members: ms, adjustments }));
        expect(sum(r)).toBe(BigInt(t));
      }),
      RUNS,
    );
  });
});

describe('allocateLargestRemainder properties', () => {
  it('sums to the total and keeps every part within one unit of its quota', () => {
    const weights = fc.array(fc.bigInt({ min: 0n, max: 1_000_000n }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(weights, total, (ws0, t) => {
        const ws = ws0.every((w) => w === 0n) ? [...ws0.slice(1), 1n] : ws0;
        const sumW = ws.reduce((a, b) => a + b, 0n);
        const parts = allocateLargestRemainder(t, ws);
        expect(parts.reduce((a, p) => a + BigInt(p), 0n)).toBe(BigInt(t));
        parts.forEach((p, i) => {
          expect(withinOneOfQuota(p, t, ws[i]!, sumW)).toBe(true);
        });
      }),
      RUNS,
    );
  });
});

describe('splitPayers properties', () => {
  it('accepts payers summing to the total in any order, rejects any other total', () => {
    const payers = fc.uniqueArray(
      fc.record({ member: memberId, amount: fc.integer({ min: 1, max: MAX_AMOUNT / 8 }) }),
      {
        minLength: 1,
        maxLength: 8,
        selector: (p) => p.member,
      },
    );
    fc.assert(
      fc.property(payers, fc.integer(), fc.integer({ min: 1, max: 1000 }), (ps, seed, delta) => {
        const t = ps.reduce((a, p) => a + p.amount, 0);
        const r = splitPayers(t, ps);
        const s = splitPayers(t, shuffle(ps, seed));
        expect(r.ok && s.ok && Object.entries(s.value)).toEqual(r.ok && Object.entries(r.value));
        expect(r.ok && Object.keys(r.value)).toEqual(sortedIds(ps.map((p) => p.member)));
        const off = splitPayers(t + delta, ps);
        expect(!off.ok && off.error.code).toBe('payers_mismatch');
      }),
      RUNS,
    );
  });
});
