import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { isWalletError } from '../errors';
import { fold } from '../ledger/fold';
import { generateLedger, memberId } from '../ledger/fold-testkit';
import type { GroupState } from '../ledger/types';
import { fromDecimalString, toDecimalString } from '../money/format';
import { splitAmount } from '../money/split';
import { computeBalances } from '../settle/balances';
import { UTF8_BOM } from './csvCells';
import { memberStatementCsv } from './csvMember';
import { ANN, BO, flatFixture } from './csvTestkit';

const HEADER = [
  'Date',
  'Type',
  'Description',
  'Category',
  'Currency',
  'Amount',
  'Paid by member',
  'Member share',
  'Effect on balance',
  'Running balance',
  'Entry id',
];

function table(csv: string): string[][] {
  const parsed = Papa.parse<string[]>(csv.startsWith(UTF8_BOM) ? csv.slice(1) : csv, { delimiter: ',' });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

/** [entry id, paid, share, effect, running balance] per row. */
const money = (csv: string) =>
  table(csv)
    .slice(1)
    .map((r) => [r[10], r[6], r[7], r[8], r[9]]);

describe('memberStatementCsv', () => {
  const f = flatFixture();
  // The April expense splits 10.01 three ways; who gets the odd cent is the money module's rule.
  const annApril = splitAmount(1001, f.state.expenses.find((e) => e.id === f.ids.april)!.data.split);
  if (!annApril.ok) throw annApril.error;
  const april = annApril.value[ANN]!;
  const cny = (n: number) => toDecimalString(n, 'CNY');

  it('has exactly the documented columns and a BOM by default', () => {
    const csv = memberStatementCsv(f.state, ANN);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(memberStatementCsv(f.state, ANN, { bom: false }).startsWith('Date,')).toBe(true);
    expect(table(csv)[0]).toEqual(HEADER);
  });

  it('lists what the member paid or shared, with effect = paid − share and a running balance per currency', () => {
    expect(money(memberStatementCsv(f.state, ANN))).toEqual([
      [f.ids.groceries, '0.00', '60.80', '-60.80', '-60.80'],
      [f.ids.water, '0.00', '10.00', '-10.00', '-70.80'],
      [f.ids.electricity, '200.00', '75.00', '125.00', '54.20'],
      [f.ids.sushi, '0', '1000', '-1000', '-1000'],
      // Received 50.00 from Bo: counts as Ann's share, so her balance goes down.
      [f.ids.payment, '0.00', '50.00', '-50.00', '4.20'],
      [f.ids.april, '0.00', cny(april), cny(-april), cny(420 - april)],
    ]);
  });

  it('counts a payment sent as paid, and leaves out expenses the member has no part in', () => {
    const rows = money(memberStatementCsv(f.state, BO));
    expect(rows.find((r) => r[0] === f.ids.payment)).toEqual([
      f.ids.payment,
      '50.00',
      '0.00',
      '50.00',
      '96.60',
    ]);
    expect(rows.map((r) => r[0])).not.toContain(f.ids.water);
  });

  it('describes payments by who paid whom and escapes text but not negative amounts', () => {
    const rows = table(memberStatementCsv(f.state, ANN)).slice(1);
    const payment = rows.find((r) => r[10] === f.ids.payment)!;
    expect(payment.slice(1, 4)).toEqual(['payment', 'Bo → Ann', '']);
    const sushi = rows.find((r) => r[10] === f.ids.sushi)!;
    expect(sushi[2]).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(sushi[3]).toBe("'-misc");
    expect(sushi[8]).toBe('-1000');
    for (const r of rows) for (const cell of r.slice(5, 10)) expect(cell).toMatch(/^-?\d+(\.\d+)?$/);
  });

  it('carries the balance from before `from` and stops after `to`', () => {
    expect(money(memberStatementCsv(f.state, ANN, { from: '2025-03-05', to: '2025-03-12' }))).toEqual([
      [f.ids.electricity, '200.00', '75.00', '125.00', '54.20'],
      [f.ids.sushi, '0', '1000', '-1000', '-1000'],
      [f.ids.payment, '0.00', '50.00', '-50.00', '4.20'],
    ]);
  });

  it('filters by currency', () => {
    expect(money(memberStatementCsv(f.state, ANN, { currency: 'JPY' }))).toEqual([
      [f.ids.sushi, '0', '1000', '-1000', '-1000'],
    ]);
  });

  it('rejects someone who is not in the group, and bad options, with typed errors', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isWalletError(e) ? e.code : 'not a WalletError';
      }
      return 'no error';
    };
    expect(code(() => memberStatementCsv(f.state, memberId('stranger')))).toBe('statement.unknown-member');
    expect(code(() => memberStatementCsv(f.state, ANN, { to: '2025-13-01' }))).toBe('statement.bad-option');
  });

  const cases: [string, () => GroupState][] = [
    ['the fixture', () => f.state],
    ...[11, 12, 13].map((seed): [string, () => GroupState] => [
      `generated ledger ${seed}`,
      () => generated(seed),
    ]),
  ];
  it.each(cases)(
    'ends every member’s running balance at their balance from computeBalances (%s)',
    (_what, make) => {
      const state = make();
      const balances = computeBalances(state);
      let rowsSeen = 0;
      for (const m of state.members) {
        const last = new Map<string, number>();
        for (const r of table(memberStatementCsv(state, m.id)).slice(1)) {
          const parsed = fromDecimalString(r[9]!, r[4]!);
          if (!parsed.ok) throw parsed.error;
          last.set(r[4]!, parsed.value);
          rowsSeen++;
        }
        for (const [currency, perMember] of balances) {
          expect([currency, last.get(currency) ?? 0]).toEqual([currency, perMember.get(m.id)]);
        }
      }
      expect(rowsSeen).toBeGreaterThan(4);
    },
  );
});

function generated(seed: number): GroupState {
  const ledger = generateLedger({ seed, entries: 400, members: 4 });
  return fold(ledger.groupId, ledger.entries);
}
