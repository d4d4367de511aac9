import { describe, expect, it } from 'vitest';
import { fold } from '../ledger/fold';
import { equalExpense, TestLedger } from '../ledger/fold-testkit';
import type { GroupState } from '../ledger/types';
import { allocateConverted, convertAcrossGroups, convertSpending } from './convert';
import { analyzeSpending, type SpendingReport } from './spending';
import { A, B, C, handMadeLedger } from './testkit';

const report = (s: GroupState): SpendingReport => {
  const r = analyzeSpending(s);
  if (!r.ok) throw r.error;
  return r.value;
};
const sum = (xs: Iterable<number>) => [...xs].reduce((s, v) => s + v, 0);

/** The hand-made flat with a EUR→CNY rate of 7.8 (39/5) recorded. */
function flatWithRate(): GroupState {
  const L = handMadeLedger();
  L.add(A, {
    type: 'rate.recorded',
    from: 'EUR',
    to: 'CNY',
    rate: { num: '39', den: '5' },
    date: '2025-03-01',
  });
  return fold(L.groupId, L.entries, '2025-12-31');
}

describe('convertSpending', () => {
  it('converts with the recorded rate and adds to the target currency', () => {
    const state = flatWithRate();
    const r = convertSpending(report(state), 'CNY', state.rates);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = r.value!;
    // 7050 fen + 10.00 EUR × 7.8 = 7050 + 7800.
    expect(c.total).toBe(14_850);
    expect(c.byCategory.get('travel')).toBe(7800);
    expect(c.byMonth.get('2025-02')).toBe(1950 + 7800);
    expect(c.byMember.get(A)).toEqual({ paid: 4800, share: 2100 + 3900 });
    expect(c.byMember.get(C)).toEqual({ paid: 1200 + 7800, share: 2425 + 3900 });
    expect(c.byMember.get(B)).toEqual({ paid: 1050, share: 2525 });
  });

  it('uses an inverted rate recorded the other way round', () => {
    const L = handMadeLedger();
    L.add(A, {
      type: 'rate.recorded',
      from: 'CNY',
      to: 'EUR',
      rate: { num: '5', den: '39' },
      date: '2025-03-01',
    });
    const state = fold(L.groupId, L.entries, '2025-12-31');
    const r = convertSpending(report(state), 'CNY', state.rates);
    expect(r.ok && r.value?.total).toBe(14_850);
  });

  it('names the missing pair and converts nothing', () => {
    const state = flatWithRate();
    const r = convertSpending(report(state), 'USD', state.rates);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('missing_rate');
      expect(r.error.details).toEqual({ from: 'CNY', to: 'USD' });
    }
    const unknown = convertSpending(report(state), 'XYZ', state.rates);
    expect(!unknown.ok && unknown.error.code).toBe('unknown_currency');
  });

  it('rounds the total half up and gives the missing units to the largest remainders', () => {
    // Three categories of 1.00 CNY at 1 CNY = 1/7 USD: exactly 42.857… cents → 43; each part is
    // 14.285… → 14, and the one missing cent goes to the first (equal remainders: earlier key).
    const L = new TestLedger();
    L.add(A, { type: 'group.created', name: 'G', currency: 'CNY', memberName: 'Alice' });
    L.add(B, { type: 'member.joined', name: 'Bo' });
    for (const category of ['a', 'b', 'c'])
      L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B], 100, { category }) });
    L.add(A, {
      type: 'rate.recorded',
      from: 'CNY',
      to: 'USD',
      rate: { num: '1', den: '7' },
      date: '2025-03-01',
    });
    const state = fold(L.groupId, L.entries);
    const r = convertSpending(report(state), 'USD', state.rates);
    if (!r.ok) throw r.error;
    const c = r.value!;
    expect(c.total).toBe(43);
    expect([...c.byCategory]).toEqual([
      ['a', 15],
      ['b', 14],
      ['c', 14],
    ]);
    expect(sum([...c.byMember.values()].map((m) => m.share))).toBe(43);
    expect(sum([...c.byMember.values()].map((m) => m.paid))).toBe(43);
    expect(sum(c.byMonth.values())).toBe(43);
    expect(sum([...c.byCategoryMonth.values()].flatMap((m) => [...m.values()]))).toBe(43);
  });

  it('converts between currencies of different minor units (JPY has none)', () => {
    const L = new TestLedger();
    L.add(A, { type: 'group.created', name: 'G', currency: 'JPY', memberName: 'Alice' });
    L.add(C, { type: 'member.joined', name: 'Chen' });
    L.add(A, {
      type: 'expense.created',
      expense: equalExpense(A, [A, C], 1001, { currency: 'JPY', category: 'food' }),
    });
    // 1 JPY = 0.05 CNY: 1001 yen = 50.05 CNY = 5005 fen.
    L.add(A, {
      type: 'rate.recorded',
      from: 'JPY',
      to: 'CNY',
      rate: { num: '1', den: '20' },
      date: '2025-03-01',
    });
    const state = fold(L.groupId, L.entries);
    const r = convertSpending(report(state), 'CNY', state.rates);
    if (!r.ok) throw r.error;
    expect(r.value!.total).toBe(5005);
    expect(sum([...r.value!.byMember.values()].map((m) => m.share))).toBe(5005);
  });
});

describe('convertAcrossGroups', () => {
  it('converts each group with its own rates, then adds', () => {
    const first = flatWithRate();
    const L = handMadeLedger();
    // The second group recorded 8 CNY per EUR.
    L.add(A, {
      type: 'rate.recorded',
      from: 'EUR',
      to: 'CNY',
      rate: { num: '8', den: '1' },
      date: '2025-03-01',
    });
    const second = fold(L.groupId, L.entries, '2025-12-31');
    const r = convertAcrossGroups(
      [
        { groupId: 'one', report: report(first), rates: first.rates },
        { groupId: 'two', report: report(second), rates: second.rates },
      ],
      'CNY',
    );
    if (!r.ok) throw r.error;
    expect(r.value!.total).toBe(14_850 + 7050 + 8000);
    expect(r.value!.count).toBe(18);
  });

  it('says which group lacks a rate', () => {
    const first = flatWithRate();
    const L = handMadeLedger();
    const second = fold(L.groupId, L.entries, '2025-12-31');
    const r = convertAcrossGroups(
      [
        { groupId: 'one', report: report(first), rates: first.rates },
        { groupId: 'two', report: report(second), rates: second.rates },
      ],
      'CNY',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.details).toMatchObject({ groupId: 'two', from: 'EUR', to: 'CNY' });
  });
});

describe('allocateConverted', () => {
  it('always sums to the asked total', () => {
    const f = { num: 13n, den: 17n };
    const parts = [5, 8, 13, 21, 34, 55, 89];
    const exact = BigInt(sum(parts)) * f.num;
    const total = (2n * exact + f.den) / (2n * f.den);
    const out = allocateConverted(parts, f, total);
    expect(out.reduce((s, v) => s + v, 0n)).toBe(total);
    // No part is off by a unit or more from its exact value.
    out.forEach((v, i) => {
      const x = BigInt(parts[i]!) * f.num;
      expect(v * f.den - x < f.den && x - v * f.den < f.den).toBe(true);
    });
  });
});
