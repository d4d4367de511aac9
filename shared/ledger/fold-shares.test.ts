import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitAmount, splitPayers } from '../money/split';
import { MAX_AMOUNT } from '../money/types';
import type { ExpenseData } from './events';
import { expenseFacts, expenseShares } from './fold-shares';

const MEMBERS = Array.from({ length: 5 }, (_, i) => `${i}`.repeat(64));
const member = fc.constantFrom(...MEMBERS);
const total = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: -MAX_AMOUNT, max: MAX_AMOUNT }),
);
const record = fc.dictionary(member, fc.integer({ min: -3, max: 3 }), { maxKeys: 5 });
type Split = ExpenseData['split'];
const split: fc.Arbitrary<Split> = fc.oneof(
  fc.array(member, { maxLength: 5 }).map((members): Split => ({ mode: 'equal', members })),
  record.map((amounts): Split => ({ mode: 'exact', amounts })),
  record.map((weights): Split => ({ mode: 'shares', weights })),
  fc
    .tuple(fc.array(member, { maxLength: 5 }), record)
    .map(([members, adjustments]): Split => ({ mode: 'adjustment', members, adjustments })),
  fc
    .tuple(member, member, fc.integer({ min: 0, max: 10_000 }))
    .map(([a, b, p]): Split => ({ mode: 'percent', basisPoints: { [a]: p, [b]: 10_000 - p } })),
);

/** Expense data whose payers sum to the total half of the time; splits valid or not. */
const dataArb: fc.Arbitrary<ExpenseData> = fc
  .tuple(total, fc.uniqueArray(member, { minLength: 1, maxLength: 2 }), fc.boolean(), split)
  .map(([amount, payerIds, fits, spec]) => {
    const first = fits ? amount - (payerIds.length - 1) * Math.sign(amount) : amount + 1;
    const payers = payerIds.map((m, i) => ({ member: m, amount: i === 0 ? first : Math.sign(amount) }));
    return {
      description: 'x',
      category: 'general',
      currency: 'CNY',
      amount,
      date: '2025-03-01',
      payers,
      split: spec,
    };
  });

describe('expenseFacts', () => {
  it('gives exactly the money module’s shares, and arrays that say the same', () => {
    let valid = 0;
    fc.assert(
      fc.property(dataArb, (data) => {
        const facts = expenseFacts(data);
        const paid = splitPayers(data.amount, data.payers);
        const owed = paid.ok ? splitAmount(data.amount, data.split) : paid;
        const shares = expenseShares(data);
        expect(facts.ok).toBe(owed.ok);
        if (!paid.ok || !owed.ok) {
          expect(shares.ok ? undefined : shares.error.code).toBe(owed.ok ? undefined : owed.error.code);
          expect([facts.members, facts.paid, facts.owed]).toEqual([[], [], []]);
          return;
        }
        valid++;
        // Same keys in the same order, same values (0, never -0).
        expect(shares.ok && Object.entries(shares.value.paid)).toStrictEqual(Object.entries(paid.value));
        expect(shares.ok && Object.entries(shares.value.owed)).toStrictEqual(Object.entries(owed.value));
        const ids = [...new Set([...Object.keys(paid.value), ...Object.keys(owed.value)])].sort();
        expect(facts.members).toEqual(ids);
        expect(facts.paid).toEqual(ids.map((id) => paid.value[id] ?? 0));
        expect(facts.owed).toEqual(ids.map((id) => owed.value[id] ?? 0));
        expect(expenseFacts(data)).toBe(facts);
      }),
      { numRuns: 1_000 },
    );
    expect(valid).toBeGreaterThan(100);
  });

  it('lists the named members once each, in the order they are first named', () => {
    const [a, b, c] = MEMBERS;
    const data: ExpenseData = {
      description: 'x',
      category: 'general',
      currency: 'CNY',
      amount: 3,
      date: '2025-03-01',
      payers: [{ member: c!, amount: 3 }],
      split: { mode: 'adjustment', members: [b!, c!, a!], adjustments: { [a!]: 1 } },
    };
    expect(expenseFacts(data).named).toEqual([c, b, a]);
  });
});
