/**
 * The fast path must be the general path, only faster: whenever it answers, splitPayers and
 * splitAmount give the same ids, in the same order, with the same values (0, never -0); and it
 * answers for every valid input of ordinary size, so it cannot pass by never answering.
 * Inputs are deliberately messy (repeats, empty lists, wrong sums, negative or fractional values)
 * so that the error paths are crossed as often as the valid ones.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Result } from '../errors';
import { splitAmount, splitPayers } from './split';
import { type SplitParts, splitAmountFast, splitPayersFast } from './split-fast';
import { MAX_AMOUNT, type Minor, type Payer, type SplitSpec } from './types';

const RUNS = { numRuns: 5_000 };

/** A pool of realistic ids, small enough that repeats happen. */
const POOL = Array.from({ length: 10 }, (_, i) => i.toString(16).repeat(64));
const id = fc.constantFrom(...POOL);
/** Mostly valid values, small (where remainders matter) or huge, and now and then junk. */
const minor = (junk: readonly number[]) =>
  fc.oneof(
    { arbitrary: fc.integer({ min: -1000, max: 1000 }), weight: 4 },
    { arbitrary: fc.integer({ min: -MAX_AMOUNT, max: MAX_AMOUNT }), weight: 2 },
    { arbitrary: fc.constantFrom(...junk), weight: 1 },
  );
const total = minor([0, -0, 1.5, MAX_AMOUNT + 1, Number.NaN]);
const amount = minor([-0, 0.5, MAX_AMOUNT + 1]);
/** Small weights often, so that remainders tie and the tie-break is tested. */
const weight = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 3 }), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 10_000 }), weight: 3 },
  { arbitrary: fc.constantFrom(-1, 0.5, 2 ** 53), weight: 1 },
);
const ids = fc.array(id, { maxLength: 5 });
const record = <V>(value: fc.Arbitrary<V>) => fc.dictionary(id, value, { maxKeys: 5 });
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
/** Amounts of one sign, as an expense's exact shares or a refund's usually are. */
const sameSign = record(amount).chain((r) =>
  fc
    .boolean()
    .map((negative) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, negative ? -Math.abs(v) : Math.abs(v)])),
    ),
);
/** Basis points summing to 10,000. */
const fullPercent = fc
  .uniqueArray(id, { minLength: 1, maxLength: 5 })
  .chain((keys) =>
    fc
      .array(fc.integer({ min: 0, max: 10_000 }), { minLength: keys.length, maxLength: keys.length })
      .map((cuts) => Object.fromEntries(keys.map((k, i) => [k, cuts[i]!]))),
  )
  .map((bp) => {
    const first = Object.keys(bp)[0]!;
    return { ...bp, [first]: bp[first]! + 10_000 - sum(Object.values(bp)) };
  });

/** Some totals are made to fit the spec (otherwise exact splits would rarely be valid). */
const splitCase: fc.Arbitrary<[Minor, SplitSpec]> = fc.oneof(
  fc.tuple(
    total,
    ids.map((members): SplitSpec => ({ mode: 'equal', members })),
  ),
  fc
    .tuple(fc.oneof(sameSign, record(amount)), fc.boolean(), total)
    .map(([amounts, fits, t]): [Minor, SplitSpec] => [
      fits ? sum(Object.values(amounts)) : t,
      { mode: 'exact', amounts },
    ]),
  fc.tuple(
    total,
    fc.oneof(fullPercent, record(weight)).map((basisPoints): SplitSpec => ({ mode: 'percent', basisPoints })),
  ),
  fc.tuple(
    total,
    record(weight).map((weights): SplitSpec => ({ mode: 'shares', weights })),
  ),
  fc.tuple(
    total,
    fc
      .tuple(ids, fc.oneof(record(fc.integer({ min: -100, max: 100 })), record(amount)))
      .map(([members, adjustments]): SplitSpec => ({ mode: 'adjustment', members, adjustments })),
  ),
);

const payersCase: fc.Arbitrary<[Minor, Payer[]]> = fc
  .tuple(fc.array(fc.record({ member: id, amount }), { maxLength: 4 }), fc.boolean(), total)
  .map(([payers, fits, t]) => [fits ? sum(payers.map((p) => p.amount)) : t, payers]);

/** True when `fast` is exactly the general result: same keys, same order, same values (Object.is). */
function agrees(fast: SplitParts, general: Result<Record<string, Minor>>): boolean {
  if (!general.ok) return false;
  const entries = Object.entries(general.value);
  return (
    entries.length === fast.ids.length &&
    entries.every(([k, v], i) => k === fast.ids[i] && Object.is(v, fast.amounts[i]))
  );
}

/** Whether the fast path must answer: valid, and no product of total and weight beyond 2^53. */
function ordinary(t: Minor, spec: SplitSpec): boolean {
  const weights = spec.mode === 'percent' ? spec.basisPoints : spec.mode === 'shares' ? spec.weights : {};
  return Object.values(weights).every((w) => Math.abs(t) * w <= Number.MAX_SAFE_INTEGER);
}

describe('split fast path', () => {
  it('splitAmountFast agrees with splitAmount, and answers for every ordinary valid split', () => {
    fc.assert(
      fc.property(splitCase, ([t, spec]) => {
        const fast = splitAmountFast(t, spec);
        const general = splitAmount(t, spec);
        if (fast) return agrees(fast, general);
        return !general.ok || !ordinary(t, spec);
      }),
      RUNS,
    );
  });

  it('splitPayersFast agrees with splitPayers, and answers for every valid list', () => {
    fc.assert(
      fc.property(payersCase, ([t, payers]) => {
        const fast = splitPayersFast(t, payers);
        const general = splitPayers(t, payers);
        return fast ? agrees(fast, general) : !general.ok;
      }),
      RUNS,
    );
  });

  it('meets valid and invalid input of every mode often enough to mean something', () => {
    const counts = new Map<string, { valid: number; invalid: number }>();
    for (const [t, spec] of fc.sample(splitCase, { numRuns: 2_000, seed: 1 })) {
      const c = counts.get(spec.mode) ?? { valid: 0, invalid: 0 };
      if (splitAmountFast(t, spec)) c.valid++;
      else c.invalid++;
      counts.set(spec.mode, c);
    }
    expect([...counts.keys()].sort()).toEqual(['adjustment', 'equal', 'exact', 'percent', 'shares']);
    for (const c of counts.values()) expect(Math.min(c.valid, c.invalid)).toBeGreaterThan(30);
    const payers = fc.sample(payersCase, { numRuns: 2_000, seed: 1 });
    const validPayers = payers.filter(([t, p]) => splitPayersFast(t, p)).length;
    expect(Math.min(validPayers, payers.length - validPayers)).toBeGreaterThan(100);
  });

  it('leaves what it cannot do exactly to the general path', () => {
    // 10^15 × 9,000 is past 2^53: the general path's bigints are needed.
    const big = { mode: 'percent', basisPoints: { a: 9_000, b: 1_000 } } as const;
    expect(splitAmountFast(MAX_AMOUNT, big)).toBeUndefined();
    expect(splitAmount(MAX_AMOUNT, big)).toEqual({ ok: true, value: { a: 9e14, b: 1e14 } });
    // "__proto__" needs the general path's care as a record key.
    expect(splitAmountFast(10, { mode: 'equal', members: ['__proto__', 'b'] })).toBeUndefined();
    expect(splitPayersFast(10, [{ member: '__proto__', amount: 10 }])).toBeUndefined();
  });
});
