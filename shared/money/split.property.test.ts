/**
 * Property tests for splits: exact sums, fairness bounds, and independence from listing order.
 * Predicates return booleans instead of calling expect(): 10,000 runs per property stay cheap.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { allocateLargestRemainder, splitAmount, splitPayers } from './split';
import { MAX_AMOUNT, type MemberId, type Minor, type SplitSpec } from './types';

const RUNS = { numRuns: 10_000 };

/** Realistic 64-hex member ids (never integer-like, so object key order is insertion order). */
const memberId = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).padStart(4, '0').repeat(16));
const members = fc.uniqueArray(memberId, { minLength: 1, maxLength: 8 });
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

type Split = ReturnType<typeof splitAmount>;
type Shares = Record<MemberId, Minor>;

const sumOf = (rec: Shares): bigint => {
  let s = 0n;
  for (const k in rec) s += BigInt(rec[k]!);
  return s;
};
const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** Same keys in the same order with the same values. */
function sameEntries(a: Shares, b: Shares): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}
/** b is a with every value negated (refund mirror), same key order. */
function isNegationOf(b: Shares, a: Shares): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && b[k] === (a[k] === 0 ? 0 : -a[k]!));
}
function keysAre(rec: Shares, ids: readonly string[]): boolean {
  const keys = Object.keys(rec);
  const sorted = [...ids].sort(byId);
  return keys.length === sorted.length && keys.every((k, i) => k === sorted[i]);
}
const spread = (values: readonly number[]): number => Math.max(...values) - Math.min(...values);

/** |share − total·w/W| < 1, checked exactly in bigints. */
function withinOneOfQuota(share: Minor, t: Minor, w: bigint, sumW: bigint): boolean {
  const diff = BigInt(share) * sumW - BigInt(t) * w;
  return diff < sumW && diff > -sumW;
}

/** A successful split summing to `t`, with keys in ascending id order; the shares, or undefined. */
function valid(r: Split, t: Minor, ids: readonly string[]): Shares | undefined {
  return r.ok && sumOf(r.value) === BigInt(t) && keysAre(r.value, ids) ? r.value : undefined;
}
const same = (a: Split, b: Split): boolean => a.ok && b.ok && sameEntries(a.value, b.value);

describe('splitAmount properties', () => {
  it('equal: sums to the total, shares differ by at most one unit, order-independent, refunds mirror', () => {
    fc.assert(
      fc.property(members, total, fc.integer(), (ms, t, seed) => {
        const r = valid(splitAmount(t, { mode: 'equal', members: ms }), t, ms);
        if (!r || spread(Object.values(r)) > 1) return false;
        const shuffled = splitAmount(t, { mode: 'equal', members: shuffle(ms, seed) });
        const refund = splitAmount(-t, { mode: 'equal', members: ms });
        return shuffled.ok && sameEntries(shuffled.value, r) && refund.ok && isNegationOf(refund.value, r);
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
          const t = Number(sumOf(amounts));
          const spec: SplitSpec = { mode: 'exact', amounts };
          const r = valid(splitAmount(t, spec), t, Object.keys(amounts));
          if (!r || Object.entries(amounts).some(([id, a]) => r[id] !== a)) return false;
          const off = splitAmount(t + delta, spec);
          return (
            same(splitAmount(t, spec), splitAmount(t, { mode: 'exact', amounts: reorder(amounts, seed) })) &&
            !off.ok &&
            off.error.code === 'exact_mismatch'
          );
        },
      ),
      RUNS,
    );
  });

  it('percent: sums to the total, each share within one unit of its exact part, order-independent', () => {
    const cuts = fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 7, maxLength: 7 });
    fc.assert(
      fc.property(members, cuts, total, fc.integer(), (ms, cs, t, seed) => {
        const bounds = [0, ...cs.slice(0, ms.length - 1).sort((a, b) => a - b), 10_000];
        const basisPoints = Object.fromEntries(ms.map((id, i) => [id, bounds[i + 1]! - bounds[i]!]));
        const spec: SplitSpec = { mode: 'percent', basisPoints };
        const r = valid(splitAmount(t, spec), t, ms);
        if (!r || !ms.every((id) => withinOneOfQuota(r[id]!, t, BigInt(basisPoints[id]!), 10_000n)))
          return false;
        const refund = splitAmount(-t, spec);
        return (
          same(
            splitAmount(t, spec),
            splitAmount(t, { mode: 'percent', basisPoints: reorder(basisPoints, seed) }),
          ) &&
          refund.ok &&
          isNegationOf(refund.value, r)
        );
      }),
      RUNS,
    );
  });

  it('shares: sums to the total, proportional within one unit, zero weight gets zero, order-independent', () => {
    const weightList = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(members, weightList, total, fc.integer(), (ms, ws, t, seed) => {
        const weights = Object.fromEntries(ms.map((id, i) => [id, ws[i]!]));
        if (ms.every((id) => weights[id] === 0)) weights[ms[0]!] = 1;
        const sumW = BigInt(ms.reduce((a, id) => a + weights[id]!, 0));
        const spec: SplitSpec = { mode: 'shares', weights };
        const r = valid(splitAmount(t, spec), t, ms);
        if (!r) return false;
        const proportional = ms.every(
          (id) =>
            withinOneOfQuota(r[id]!, t, BigInt(weights[id]!), sumW) && (weights[id] !== 0 || r[id] === 0),
        );
        const refund = splitAmount(-t, spec);
        return (
          proportional &&
          same(splitAmount(t, spec), splitAmount(t, { mode: 'shares', weights: reorder(weights, seed) })) &&
          refund.ok &&
          isNegationOf(refund.value, r)
        );
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
      fc.property(members, adj, total, fc.integer(), (ms, as, t, seed) => {
        const adjustments: Record<string, Minor> = {};
        ms.forEach((id, i) => {
          if (as[i] !== undefined) adjustments[id] = as[i]!;
        });
        const r = splitAmount(t, { mode: 'adjustment', members: ms, adjustments });
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
          return (
            r.error.code === 'negative_share' &&
            !shuffled.ok &&
            shuffled.error.code === 'negative_share' &&
            !mirrored.ok &&
            mirrored.error.code === 'negative_share'
          );
        }
        const v = valid(r, t, ms);
        if (!v) return false;
        const equalParts = ms.map((id) => v[id]! - (adjustments[id] ?? 0));
        const direction = Object.values(v).every((s) => (t >= 0 ? s >= 0 : s <= 0));
        return (
          spread(equalParts) <= 1 &&
          direction &&
          same(r, shuffled) &&
          mirrored.ok &&
          isNegationOf(mirrored.value, v)
        );
      }),
      RUNS,
    );
  });

  it('adjustment: adjustments in the total’s direction that fit within it always split', () => {
    fc.assert(
      fc.property(members, fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), total, (ms, raw, t) => {
        // Each |adjustment| ≤ |t| / n keeps the rest in the total's direction, so every share is valid.
        const cap = Math.floor(Math.abs(t) / ms.length);
        const adjustments = Object.fromEntries(
          ms.map((id, i) => [id, (t < 0 ? -1 : 1) * (cap === 0 ? 0 : raw[i]! % (cap + 1))]),
        );
        return valid(splitAmount(t, { mode: 'adjustment', members: ms, adjustments }), t, ms) !== undefined;
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
        return (
          parts.reduce((a, p) => a + BigInt(p), 0n) === BigInt(t) &&
          parts.every((p, i) => withinOneOfQuota(p, t, ws[i]!, sumW))
        );
      }),
      RUNS,
    );
  });
});

describe('splitPayers properties', () => {
  it('accepts payers summing to the total in any order, rejects any other total', () => {
    const payers = fc.uniqueArray(
      fc.record({ member: memberId, amount: fc.integer({ min: 1, max: MAX_AMOUNT / 8 }) }),
      { minLength: 1, maxLength: 8, selector: (p) => p.member },
    );
    fc.assert(
      fc.property(payers, fc.integer(), fc.integer({ min: 1, max: 1000 }), (ps, seed, delta) => {
        const t = ps.reduce((a, p) => a + p.amount, 0);
        const r = splitPayers(t, ps);
        const s = splitPayers(t, shuffle(ps, seed));
        const off = splitPayers(t + delta, ps);
        return (
          r.ok &&
          s.ok &&
          sameEntries(r.value, s.value) &&
          keysAre(
            r.value,
            ps.map((p) => p.member),
          ) &&
          ps.every((p) => r.value[p.member] === p.amount) &&
          !off.ok &&
          off.error.code === 'payers_mismatch'
        );
      }),
      RUNS,
    );
  });
});
