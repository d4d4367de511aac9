import { describe, expect, it } from 'vitest';
import { fold } from '../../../shared/ledger/fold';
import { A, B, handMadeLedger, handMadeState } from '../../../shared/analysis/testkit';
import {
  categoryMonthTable,
  categoryRows,
  memberRows,
  monthRows,
  runAnalysis,
  spentCurrencies,
} from './analysisRows';

const flat = { groupId: 'flat', name: 'Flat', state: handMadeState() };

describe('runAnalysis', () => {
  it('gives one section per currency, adding groups', () => {
    const out = runAnalysis([flat, flat], {});
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.sections.map((s) => [s.currency, s.total])).toEqual([
      ['CNY', 14_100],
      ['EUR', 2000],
    ]);
  });

  it('converts into one currency, or says which group lacks a rate', () => {
    const L = handMadeLedger();
    L.add(A, {
      type: 'rate.recorded',
      from: 'EUR',
      to: 'CNY',
      rate: { num: '8', den: '1' },
      date: '2025-03-01',
    });
    const rated = { groupId: 'rated', name: 'Rated', state: fold(L.groupId, L.entries, '2025-12-31') };
    const ok = runAnalysis([rated], {}, 'CNY');
    expect(ok.ok && ok.sections.map((s) => s.total)).toEqual([7050 + 8000]);
    const missing = runAnalysis([rated, flat], {}, 'CNY');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.details).toMatchObject({ groupId: 'flat', from: 'EUR' });
  });

  it('passes filter errors on', () => {
    const out = runAnalysis([flat], { from: '2025-02-01', to: '2025-01-01' });
    expect(!out.ok && out.code).toBe('invalid_range');
  });
});

describe('rows behind the charts', () => {
  const out = runAnalysis([flat], { currency: 'CNY' });
  const cny = out.ok ? out.sections[0]! : undefined;

  it('category and member rows sum to the total', () => {
    expect(categoryRows(cny!).reduce((s, r) => s + r.amount, 0)).toBe(7050);
    expect(memberRows(cny!).find((r) => r.member === B)).toEqual({ member: B, paid: 1050, share: 2525 });
    expect(monthRows(cny!).map((r) => r.total)).toEqual([1800, 1950, 3300]);
  });

  it('the category × month table has a cell for every pair, summing to the total', () => {
    const table = categoryMonthTable(cny!);
    expect(table.categories).toEqual(['rent', 'food', 'utilities', 'transport', 'fun']);
    expect(table.rows.map((r) => r.month)).toEqual(['2025-01', '2025-02', '2025-03']);
    expect(table.rows[0]!.amounts).toEqual([0, 900, 300, 600, 0]);
    expect(table.rows.flatMap((r) => r.amounts).reduce((s, v) => s + v, 0)).toBe(7050);
  });

  it('lists the currencies spent in', () => {
    expect(spentCurrencies([flat])).toEqual(['CNY', 'EUR']);
  });
});
