import { describe, expect, it } from 'vitest';
import { isWalletError } from '../errors';
import { allocateLargestRemainder, splitAmount, splitPayers } from './split';
import { MAX_AMOUNT, type SplitSpec } from './types';

/** The value of an ok result, or the error code of a failed one. */
function outcome<T>(r: { ok: true; value: T } | { ok: false; error: { code: string } }): T | string {
  return r.ok ? r.value : r.error.code;
}

function thrownCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isWalletError(e) ? e.code : 'not a WalletError';
  }
  return undefined;
}

describe('allocateLargestRemainder', () => {
  it('gives leftover units to the largest remainders, not just the first members', () => {
    // 10 × 1/7, 1/7, 5/7 = 1.43, 1.43, 7.14 → floors 1, 1, 7; the one leftover unit goes to a 0.43 remainder.
    expect(allocateLargestRemainder(10, [1n, 1n, 5n])).toEqual([2, 1, 7]);
    // 1 × 1/3, 2/3: the later, larger remainder wins.
    expect(allocateLargestRemainder(1, [1n, 2n])).toEqual([0, 1]);
  });

  it('breaks ties by tieOrder, then by index', () => {
    expect(allocateLargestRemainder(2, [1n, 1n, 1n], ['zz', 'aa', 'mm'])).toEqual([0, 1, 1]);
    expect(allocateLargestRemainder(2, [1n, 1n, 1n])).toEqual([1, 1, 0]);
  });

  it('never gives a unit to a zero weight, and splits refunds symmetrically', () => {
    expect(allocateLargestRemainder(7, [0n, 1n, 1n])).toEqual([0, 4, 3]);
    expect(allocateLargestRemainder(-7, [0n, 1n, 1n])).toEqual([0, -4, -3]);
    expect(allocateLargestRemainder(0, [1n, 1n]).every((p) => Object.is(p, 0))).toBe(true);
  });

  it('is exact for totals near the safe-integer limit', () => {
    const parts = allocateLargestRemainder(Number.MAX_SAFE_INTEGER, [1n, 1n, 1n]);
    expect(parts).toEqual([3002399751580331, 3002399751580330, 3002399751580330]);
  });

  it('throws typed errors on bad input', () => {
    expect(thrownCode(() => allocateLargestRemainder(1.5, [1n]))).toBe('invalid_amount');
    expect(thrownCode(() => allocateLargestRemainder(1, [1n, -1n]))).toBe('negative_weight');
    expect(thrownCode(() => allocateLargestRemainder(1, [0n, 0n]))).toBe('zero_weights');
    expect(thrownCode(() => allocateLargestRemainder(1, []))).toBe('zero_weights');
    expect(thrownCode(() => allocateLargestRemainder(1, [1n], ['a', 'b']))).toBe('invalid_amount');
  });
});

describe('splitAmount: equal', () => {
  it('splits ¥182.40 three ways exactly', () => {
    expect(outcome(splitAmount(18240, { mode: 'equal', members: ['a', 'b', 'c'] }))).toEqual({
      a: 6080,
      b: 6080,
      c: 6080,
    });
  });

  it('hands the leftover cent to the smallest id, whatever the listed order', () => {
    const expected = { a: 3334, b: 3333, c: 3333 };
    expect(outcome(splitAmount(10000, { mode: 'equal', members: ['c', 'a', 'b'] }))).toEqual(expected);
    const r = splitAmount(10000, { mode: 'equal', members: ['b', 'c', 'a'] });
    expect(r.ok && Object.keys(r.value)).toEqual(['a', 'b', 'c']);
  });

  it('splits a refund as the mirror image of the expense', () => {
    expect(outcome(splitAmount(-10000, { mode: 'equal', members: ['c', 'a', 'b'] }))).toEqual({
      a: -3334,
      b: -3333,
      c: -3333,
    });
  });

  it('rejects empty and duplicated member lists', () => {
    expect(outcome(splitAmount(100, { mode: 'equal', members: [] }))).toBe('no_participants');
    const dup = splitAmount(100, { mode: 'equal', members: ['a', 'b', 'a'] });
    expect(outcome(dup)).toBe('duplicate_member');
    expect(!dup.ok && dup.error.details).toEqual({ member: 'a' });
  });
});

describe('splitAmount: exact', () => {
  it('returns the given amounts, sorted by member', () => {
    const r = splitAmount(1000, { mode: 'exact', amounts: { b: 700, a: 300, c: 0 } });
    expect(outcome(r)).toEqual({ a: 300, b: 700, c: 0 });
    expect(r.ok && Object.keys(r.value)).toEqual(['a', 'b', 'c']);
  });

  it('reports exact_mismatch with expected and actual sums', () => {
    const r = splitAmount(1000, { mode: 'exact', amounts: { a: 300, b: 600 } });
    expect(outcome(r)).toBe('exact_mismatch');
    expect(!r.ok && r.error.details).toEqual({ expected: 1000, actual: 900 });
    expect(!r.ok && r.error.message).toMatch(/add up/);
  });

  it('rejects shares against the direction of the total, bad amounts and empty maps', () => {
    expect(outcome(splitAmount(100, { mode: 'exact', amounts: { a: 150, b: -50 } }))).toBe('negative_share');
    expect(outcome(splitAmount(-100, { mode: 'exact', amounts: { a: -150, b: 50 } }))).toBe('negative_share');
    expect(outcome(splitAmount(0, { mode: 'exact', amounts: { a: 5, b: -5 } }))).toBe('negative_share');
    expect(outcome(splitAmount(100, { mode: 'exact', amounts: { a: 99.5, b: 0.5 } }))).toBe('invalid_amount');
    expect(outcome(splitAmount(100, { mode: 'exact', amounts: {} }))).toBe('no_participants');
  });
});

describe('splitAmount: percent', () => {
  it('splits by basis points with largest remainders', () => {
    // 1000 × 33.33%, 33.33%, 33.34% = 333.3, 333.3, 333.4 → the unit goes to c.
    const spec: SplitSpec = { mode: 'percent', basisPoints: { a: 3333, b: 3333, c: 3334 } };
    expect(outcome(splitAmount(1000, spec))).toEqual({ a: 333, b: 333, c: 334 });
    expect(outcome(splitAmount(18240, { mode: 'percent', basisPoints: { a: 1250, b: 8750 } }))).toEqual({
      a: 2280,
      b: 15960,
    });
  });

  it('keeps a 0% member with a zero share', () => {
    expect(outcome(splitAmount(99, { mode: 'percent', basisPoints: { a: 0, b: 10000 } }))).toEqual({
      a: 0,
      b: 99,
    });
  });

  it('reports percent_mismatch, negative and fractional percentages', () => {
    const r = splitAmount(1000, { mode: 'percent', basisPoints: { a: 5000, b: 4000 } });
    expect(outcome(r)).toBe('percent_mismatch');
    expect(!r.ok && r.error.details).toEqual({ expected: 10000, actual: 9000 });
    expect(outcome(splitAmount(1000, { mode: 'percent', basisPoints: { a: 11000, b: -1000 } }))).toBe(
      'negative_weight',
    );
    expect(outcome(splitAmount(1000, { mode: 'percent', basisPoints: { a: 5000.5, b: 4999.5 } }))).toBe(
      'invalid_weight',
    );
    expect(outcome(splitAmount(1000, { mode: 'percent', basisPoints: {} }))).toBe('no_participants');
  });
});

describe('splitAmount: shares', () => {
  it('splits by integer weights', () => {
    expect(outcome(splitAmount(100, { mode: 'shares', weights: { b: 2, a: 1 } }))).toEqual({ a: 33, b: 67 });
    expect(outcome(splitAmount(10, { mode: 'shares', weights: { a: 1, b: 1, c: 5 } }))).toEqual({
      a: 2,
      b: 1,
      c: 7,
    });
    expect(outcome(splitAmount(-10, { mode: 'shares', weights: { a: 1, b: 1, c: 5 } }))).toEqual({
      a: -2,
      b: -1,
      c: -7,
    });
  });

  it('rejects zero, negative and fractional weights', () => {
    expect(outcome(splitAmount(100, { mode: 'shares', weights: { a: 0, b: 0 } }))).toBe('zero_weights');
    expect(outcome(splitAmount(100, { mode: 'shares', weights: { a: 2, b: -1 } }))).toBe('negative_weight');
    expect(outcome(splitAmount(100, { mode: 'shares', weights: { a: 1.5 } }))).toBe('invalid_weight');
    expect(outcome(splitAmount(100, { mode: 'shares', weights: {} }))).toBe('no_participants');
  });
});

describe('splitAmount: adjustment', () => {
  it('splits the rest equally and adds each adjustment', () => {
    // 1000 − 100 = 900 → 300 each, then a +100.
    const spec: SplitSpec = { mode: 'adjustment', members: ['c', 'b', 'a'], adjustments: { a: 100 } };
    expect(outcome(splitAmount(1000, spec))).toEqual({ a: 400, b: 300, c: 300 });
    // 1000 − (−50) = 1050 → 350 each, then b −50.
    const minus: SplitSpec = { mode: 'adjustment', members: ['a', 'b', 'c'], adjustments: { b: -50 } };
    expect(outcome(splitAmount(1000, minus))).toEqual({ a: 350, b: 300, c: 350 });
  });

  it('rejects adjustments that make a share point against the total', () => {
    const r = splitAmount(100, { mode: 'adjustment', members: ['a', 'b'], adjustments: { a: 300 } });
    expect(outcome(r)).toBe('negative_share');
    expect(!r.ok && r.error.details).toEqual({ member: 'b', share: '-100' });
  });

  it('accepts huge adjustments that still net out to valid shares', () => {
    const adjustments = { a: -MAX_AMOUNT, b: -MAX_AMOUNT, c: -MAX_AMOUNT, d: -MAX_AMOUNT, e: -MAX_AMOUNT };
    const r = splitAmount(5, { mode: 'adjustment', members: ['a', 'b', 'c', 'd', 'e'], adjustments });
    expect(outcome(r)).toEqual({ a: 1, b: 1, c: 1, d: 1, e: 1 });
  });

  it('rejects unknown adjustment members, bad adjustments, empty and duplicated members', () => {
    const base = { mode: 'adjustment' as const, members: ['a', 'b'] };
    expect(outcome(splitAmount(100, { ...base, adjustments: { z: 10 } }))).toBe('unknown_member');
    expect(outcome(splitAmount(100, { ...base, adjustments: { a: 0.5 } }))).toBe('invalid_amount');
    expect(outcome(splitAmount(100, { ...base, adjustments: { a: MAX_AMOUNT + 1 } }))).toBe('invalid_amount');
    expect(outcome(splitAmount(100, { ...base, members: [], adjustments: {} }))).toBe('no_participants');
    expect(outcome(splitAmount(100, { ...base, members: ['a', 'a'], adjustments: {} }))).toBe(
      'duplicate_member',
    );
  });
});

describe('splitAmount: totals and odd inputs', () => {
  it('rejects totals that are not amounts', () => {
    const members = ['a'];
    for (const total of [1.5, Number.NaN, MAX_AMOUNT + 1, -MAX_AMOUNT - 1]) {
      expect(outcome(splitAmount(total, { mode: 'equal', members }))).toBe('invalid_amount');
    }
    expect(outcome(splitAmount(MAX_AMOUNT, { mode: 'equal', members }))).toEqual({ a: MAX_AMOUNT });
  });

  it('rejects an unknown mode', () => {
    const spec = { mode: 'lottery', members: ['a'] } as unknown as SplitSpec;
    expect(outcome(splitAmount(100, spec))).toBe('invalid_amount');
  });

  it('treats "__proto__" as a plain member id', () => {
    const r = splitAmount(3, { mode: 'equal', members: ['__proto__', 'b'] });
    expect(r.ok && Object.entries(r.value)).toEqual([
      ['__proto__', 2],
      ['b', 1],
    ]);
  });
});

describe('splitPayers', () => {
  it('returns what each payer paid, sorted by member', () => {
    const r = splitPayers(1000, [
      { member: 'b', amount: 600 },
      { member: 'a', amount: 400 },
    ]);
    expect(outcome(r)).toEqual({ a: 400, b: 600 });
    expect(r.ok && Object.keys(r.value)).toEqual(['a', 'b']);
    expect(outcome(splitPayers(-1000, [{ member: 'a', amount: -1000 }]))).toEqual({ a: -1000 });
  });

  it('reports payers_mismatch with expected and actual sums', () => {
    const r = splitPayers(1000, [
      { member: 'a', amount: 400 },
      { member: 'b', amount: 500 },
    ]);
    expect(outcome(r)).toBe('payers_mismatch');
    expect(!r.ok && r.error.details).toEqual({ expected: 1000, actual: 900 });
  });

  it('rejects duplicates, no payers, and zero, wrong-sign or bad amounts', () => {
    const dup = splitPayers(1000, [
      { member: 'a', amount: 500 },
      { member: 'a', amount: 500 },
    ]);
    expect(outcome(dup)).toBe('duplicate_member');
    expect(outcome(splitPayers(1000, []))).toBe('no_payers');
    expect(outcome(splitPayers(1000, [{ member: 'a', amount: 0 }]))).toBe('invalid_amount');
    expect(
      outcome(
        splitPayers(100, [
          { member: 'a', amount: 150 },
          { member: 'b', amount: -50 },
        ]),
      ),
    ).toBe('invalid_amount');
    expect(outcome(splitPayers(100, [{ member: 'a', amount: 100.5 }]))).toBe('invalid_amount');
    expect(outcome(splitPayers(0.5, [{ member: 'a', amount: 1 }]))).toBe('invalid_amount');
  });
});
