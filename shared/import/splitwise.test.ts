import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromDecimalString } from '../money/format';
import { splitAmount } from '../money/split';
import type { SplitSpec } from '../money/types';
import type { ImportPlan } from './plan';
import { planSplitwise } from './splitwise';
import { balancesOf } from './testkit';

const sample = readFileSync(new URL('../../docs/samples/splitwise.csv', import.meta.url), 'utf8');

function plan(text: string): ImportPlan {
  const r = planSplitwise(text);
  if (!r.ok) throw r.error;
  return r.value;
}

/** The "Total balance" lines of the file: what Splitwise says everyone's balance is. */
function totalsInFile(text: string): Record<string, Record<string, number>> {
  const lines = text.split(/\r?\n/);
  const names = lines[0]!.split(',').slice(5);
  const out: Record<string, Record<string, number>> = {};
  for (const line of lines.filter((l) => l.startsWith(',Total balance'))) {
    const cells = line.split(',');
    const currency = cells[4]!;
    out[currency] = Object.fromEntries(
      names.map((n, i) => {
        const v = fromDecimalString(cells[5 + i]!, currency);
        if (!v.ok) throw v.error;
        return [n, v.value];
      }),
    );
  }
  return out;
}

describe('Splitwise CSV', () => {
  it('plans the sample: people, payments, expenses and the unreadable row', () => {
    const p = plan(sample);
    expect(p.people.map((x) => x.name)).toEqual(['Ann', 'Bo', 'Cy']);
    expect(p.items.filter((i) => i.kind === 'expense')).toHaveLength(6);
    const payment = p.items.find((i) => i.kind === 'payment');
    expect(payment).toMatchObject({
      from: 'Bo',
      to: 'Ann',
      amount: 2000,
      currency: 'USD',
      date: '2025-03-05',
    });
    expect(p.errors).toEqual([expect.objectContaining({ row: 7, code: 'row.no-effect' })]);
  });

  it('rebuilds shares that add up exactly to each cost', () => {
    for (const item of plan(sample).items) {
      if (item.kind !== 'expense') continue;
      const shares = splitAmount(item.amount, item.split as SplitSpec);
      expect(shares.ok).toBe(true);
      expect(item.payers.reduce((a, x) => a + x.amount, 0)).toBe(item.amount);
    }
    const electricity = plan(sample).items.find(
      (i) => i.kind === 'expense' && i.description.startsWith('Elec'),
    );
    expect(electricity).toMatchObject({
      amount: 9001,
      payers: [{ person: 'Cy', amount: 9001 }],
      split: { mode: 'exact', amounts: { Ann: 3000, Bo: 3000, Cy: 3001 } },
    });
  });

  it('splits a row with two lenders between them', () => {
    const taxi = plan(sample).items.find((i) => i.kind === 'expense' && i.description.startsWith('Taxi'));
    expect(taxi).toMatchObject({
      payers: [
        { person: 'Ann', amount: 1500 },
        { person: 'Bo', amount: 1500 },
      ],
      split: { mode: 'exact', amounts: { Cy: 3000 } },
    });
  });

  it('gives, once folded, the balances of the file’s Total balance lines', () => {
    expect(balancesOf(plan(sample))).toEqual(totalsInFile(sample));
  });

  it('hashes identical rows differently and the same file identically', () => {
    const a = plan(sample).items.map((i) => i.importId);
    expect(new Set(a).size).toBe(a.length);
    expect(plan(sample).items.map((i) => i.importId)).toEqual(a);
    // A later export that adds a row keeps the hashes of the earlier ones.
    const longer = sample.replace(
      '\r\n\r\n',
      '\r\n2025-03-10,Soap,Household supplies,3.00,USD,2.00,-1.00,-1.00\r\n\r\n',
    );
    const b = plan(longer).items.map((i) => i.importId);
    expect(b.slice(0, a.length)).toEqual(a);
    expect(b).toHaveLength(a.length + 1);
  });

  it('reads a file with a BOM and LF line ends the same way', () => {
    const lf = `\uFEFF${sample.replace(/\r\n/g, '\n')}`;
    expect(plan(lf).items).toEqual(plan(sample).items);
  });

  it('reports bad rows with why, and still plans the good ones', () => {
    const text = [
      'Date,Description,Category,Cost,Currency,Ann,Bo',
      '2025-01-01,Good,General,10.00,USD,5.00,-5.00',
      '2025-01-02,Bad cost,General,ten,USD,5.00,-5.00',
      '2025-01-03,Bad currency,General,10.00,XXY,5.00,-5.00',
      '2025-13-01,Bad date,General,10.00,USD,5.00,-5.00',
      '2025-01-04,Too precise,General,10.001,USD,5.00,-5.00',
      '2025-01-05,Short row,General,10.00,USD,5.00',
      '2025-01-06,Not balanced,General,10.00,USD,5.00,-4.00',
      '2025-01-07,Odd payment,Payment,10.00,USD,5.00,-5.00',
      '2025-01-08,,General,10.00,USD,5.00,-5.00',
    ].join('\n');
    const p = plan(text);
    expect(p.items).toHaveLength(1);
    expect(p.errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'row.bad-amount'],
      [4, 'row.bad-currency'],
      [5, 'row.bad-date'],
      [6, 'row.bad-amount'],
      [7, 'row.wrong-width'],
      [8, 'row.bad-split'],
      [9, 'row.bad-payment'],
      [10, 'row.missing-field'],
    ]);
    expect(p.errors[0]!.column).toBe('Cost');
  });

  it('refuses files that are not Splitwise exports, changing nothing', () => {
    expect(planSplitwise('')).toMatchObject({ ok: false, error: { code: 'import.empty' } });
    const noCurrency = 'Date,Description,Category,Cost,Ann,Bo\n2025-01-01,X,General,1.00,1.00,-1.00';
    expect(planSplitwise(noCurrency)).toMatchObject({ ok: false, error: { code: 'import.bad-header' } });
    const twice = 'Date,Description,Category,Cost,Currency,Ann,Ann\n';
    expect(planSplitwise(twice)).toMatchObject({ ok: false, error: { code: 'import.bad-header' } });
    const unclosed =
      'Date,Description,Category,Cost,Currency,Ann,Bo\n2025-01-01,"open,General,1.00,USD,1.00,-1.00';
    expect(planSplitwise(unclosed)).toMatchObject({ ok: false, error: { code: 'import.csv-syntax' } });
  });
});
