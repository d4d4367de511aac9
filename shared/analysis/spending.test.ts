import { describe, expect, it } from 'vitest';
import { fold } from '../ledger/fold';
import { generateLedger } from '../ledger/fold-testkit';
import type { GroupState } from '../ledger/types';
import { memberTotals } from '../settle/balances';
import { analyzeSpending, combineSpending } from './spending';
import { A, B, C, handMadeState } from './testkit';

const analyze = (s: GroupState, f = {}) => {
  const r = analyzeSpending(s, f);
  if (!r.ok) throw r.error;
  return r.value;
};

describe('analyzeSpending on a hand-made ledger', () => {
  const state = handMadeState();

  it('counts live expenses and recurring occurrences, not deleted ones, per currency', () => {
    expect(state.occurrences?.length).toBe(3);
    const report = analyze(state);
    expect([...report.keys()]).toEqual(['CNY', 'EUR']);
    const cny = report.get('CNY')!;
    expect(cny.count).toBe(8);
    expect(cny.total).toBe(7050);
    expect([...cny.byCategory]).toEqual([
      ['rent', 3000],
      ['food', 2100],
      ['utilities', 900],
      ['transport', 600],
      ['fun', 450],
    ]);
    expect([...cny.byMonth]).toEqual([
      ['2025-01', 1800],
      ['2025-02', 1950],
      ['2025-03', 3300],
    ]);
    expect([...cny.byCategoryMonth.get('food')!]).toEqual([
      ['2025-01', 900],
      ['2025-02', 1200],
    ]);
    expect([...cny.byCategoryMonth.get('utilities')!]).toEqual([
      ['2025-01', 300],
      ['2025-02', 300],
      ['2025-03', 300],
    ]);
    expect(cny.byMember.get(A)).toEqual({ paid: 4800, share: 2100 });
    expect(cny.byMember.get(B)).toEqual({ paid: 1050, share: 2525 });
    expect(cny.byMember.get(C)).toEqual({ paid: 1200, share: 2425 });
    const eur = report.get('EUR')!;
    expect(eur).toMatchObject({ count: 1, total: 1000 });
    expect(eur.byMember.get(A)).toEqual({ paid: 0, share: 500 });
    expect(eur.byMember.get(C)).toEqual({ paid: 1000, share: 500 });
  });

  it('includes both ends of the date range', () => {
    const cny = analyze(state, { from: '2025-01-31', to: '2025-02-01' }).get('CNY')!;
    // e2 (01-31), e3 (02-01) and the utilities occurrence of 02-01.
    expect(cny.count).toBe(3);
    expect(cny.total).toBe(2100);
    expect([...cny.byCategory]).toEqual([
      ['food', 1200],
      ['transport', 600],
      ['utilities', 300],
    ]);
  });

  it('leaves out what is just outside the range, and open ends work', () => {
    expect(analyze(state, { from: '2025-02-02', to: '2025-02-04' }).size).toBe(0);
    expect(analyze(state, { from: '2025-03-02' }).get('CNY')!.total).toBe(3000);
    expect(analyze(state, { to: '2025-01-01' }).get('CNY')!.total).toBe(300);
  });

  it('filters by currency', () => {
    const report = analyze(state, { currency: 'EUR' });
    expect([...report.keys()]).toEqual(['EUR']);
    expect(report.get('EUR')!.total).toBe(1000);
  });

  it('refuses a filter with an impossible date or a reversed range', () => {
    const bad = analyzeSpending(state, { from: '2025-02-30' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.code).toBe('invalid_date');
    const reversed = analyzeSpending(state, { from: '2025-03-01', to: '2025-02-01' });
    expect(reversed.ok).toBe(false);
    if (!reversed.ok) expect(reversed.error.code).toBe('invalid_range');
  });
});

describe('combineSpending', () => {
  it('adds groups per currency and per person', () => {
    const one = analyze(handMadeState());
    const both = combineSpending([one, one]);
    const cny = both.get('CNY')!;
    expect(cny.total).toBe(14_100);
    expect(cny.count).toBe(16);
    expect(cny.byMember.get(B)).toEqual({ paid: 2100, share: 5050 });
    expect(cny.byCategory.get('food')).toBe(4200);
    expect(both.get('EUR')!.total).toBe(2000);
  });
});

describe('every total is the sum of its parts (generated ledgers)', () => {
  const sum = (xs: Iterable<number>) => [...xs].reduce((s, v) => s + v, 0);
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}`, () => {
      const L = generateLedger({ seed, entries: 1500, members: 6 });
      const state = fold(L.groupId, L.entries);
      const report = analyze(state);
      const totals = memberTotals(state);
      expect(report.size).toBeGreaterThan(0);
      for (const [code, c] of report) {
        expect(sum(c.byCategory.values())).toBe(c.total);
        expect(sum(c.byMonth.values())).toBe(c.total);
        expect(sum([...c.byCategoryMonth.values()].flatMap((m) => [...m.values()]))).toBe(c.total);
        expect(sum([...c.byMember.values()].map((m) => m.paid))).toBe(c.total);
        expect(sum([...c.byMember.values()].map((m) => m.share))).toBe(c.total);
        // The balances module, written apart, agrees on what each member paid and owes.
        for (const [id, t] of totals.get(code)!) {
          const m = c.byMember.get(id) ?? { paid: 0, share: 0 };
          expect([m.paid, m.share]).toEqual([t.paid, t.share]);
        }
      }
    });
  }
});
