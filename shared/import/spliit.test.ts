import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ImportPlan } from './plan';
import { planSpliit } from './spliit';
import { balancesOf } from './testkit';

const sample = readFileSync(new URL('../../docs/samples/spliit.json', import.meta.url), 'utf8');

function plan(text: string, fallbackCurrency?: string): ImportPlan {
  const r = planSpliit(text, fallbackCurrency ? { fallbackCurrency } : {});
  if (!r.ok) throw r.error;
  return r.value;
}

describe('Spliit JSON', () => {
  it('plans the sample: participants, split modes, a reimbursement, and two unreadable rows', () => {
    const p = plan(sample);
    expect(p.people).toEqual([
      { key: 'p-ann', name: 'Ann' },
      { key: 'p-bo', name: 'Bo' },
      { key: 'p-cy', name: 'Cy' },
    ]);
    expect(p.groupCurrency).toBe('EUR');
    expect(p.items.map((i) => [i.kind, i.row])).toEqual([
      ['expense', 1],
      ['expense', 2],
      ['expense', 3],
      ['expense', 4],
      ['payment', 5],
      ['expense', 6],
    ]);
    expect(p.items.map((i) => (i.kind === 'expense' ? i.split.mode : 'payment'))).toEqual([
      'equal',
      'shares',
      'percent',
      'exact',
      'payment',
      'exact',
    ]);
    expect(p.errors.map((e) => [e.row, e.code])).toEqual([
      [7, 'row.unknown-person'],
      [8, 'row.bad-date'],
    ]);
    expect(p.items[1]).toMatchObject({
      note: 'Ann had two courses',
      category: 'Dining Out',
      date: '2025-04-02',
    });
  });

  it('turns income (a negative amount) into the same balances with a positive expense', () => {
    const income = plan(sample).items[5]!;
    expect(income).toMatchObject({
      amount: 900,
      payers: [
        { person: 'p-ann', amount: 300 },
        { person: 'p-bo', amount: 300 },
        { person: 'p-cy', amount: 300 },
      ],
      split: { mode: 'exact', amounts: { 'p-ann': 900 } },
    });
  });

  it('gives, once folded, the balances worked out by hand', () => {
    // Ann: +200.00 −30.01 −5.00 +12.34 −50.00 −6.00; Bo and Cy likewise (see docs/import.md).
    expect(balancesOf(plan(sample))).toEqual({ EUR: { Ann: 12133, Bo: -1449, Cy: -10684 } });
  });

  it('hashes each expense once, and the same file the same way', () => {
    const ids = plan(sample).items.map((i) => i.importId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(plan(sample).items.map((i) => i.importId)).toEqual(ids);
  });

  it('needs a currency when the export has no code, and takes the one given', () => {
    const old = sample.replace('"currencyCode": "EUR",', '');
    expect(planSpliit(old)).toMatchObject({ ok: false, error: { code: 'import.bad-json' } });
    expect(plan(old, 'USD').items[0]!.currency).toBe('USD');
  });

  it('reports a malformed expense as a row and refuses what is not a Spliit export', () => {
    const json = JSON.parse(sample) as { expenses: Record<string, unknown>[] };
    json.expenses[0]!.amount = 12.5;
    json.expenses[1]!.paidFor = [];
    const p = plan(JSON.stringify(json));
    expect(p.errors.slice(0, 2)).toEqual([
      expect.objectContaining({ row: 1, code: 'row.missing-field', column: 'amount' }),
      expect.objectContaining({ row: 2, code: 'row.missing-field', column: 'paidFor' }),
    ]);
    expect(planSpliit('{"expenses": 3}')).toMatchObject({ ok: false, error: { code: 'import.bad-json' } });
    expect(planSpliit('{not json')).toMatchObject({ ok: false, error: { code: 'import.bad-json' } });
    expect(planSpliit(' ')).toMatchObject({ ok: false, error: { code: 'import.empty' } });
  });

  it('reads percentages that do not add up as ratios, in exact amounts that add up', () => {
    const json = JSON.parse(sample) as { expenses: { paidFor: { shares: number }[] }[] };
    json.expenses[2]!.paidFor = [
      { participantId: 'p-ann', shares: 3333 },
      { participantId: 'p-bo', shares: 3333 },
    ] as never;
    const item = plan(JSON.stringify(json)).items[2]!;
    expect(item.kind === 'expense' && item.split).toEqual({
      mode: 'shares',
      weights: { 'p-ann': 3333, 'p-bo': 3333 },
    });
  });
});
