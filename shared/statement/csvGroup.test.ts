import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { isWalletError } from '../errors';
import { fold } from '../ledger/fold';
import { generateLedger, memberId, TestLedger } from '../ledger/fold-testkit';
import type { GroupState } from '../ledger/types';
import { fromDecimalString } from '../money/format';
import { UTF8_BOM } from './csvCells';
import { groupStatementCsv } from './csvGroup';
import { ANN, BO, CHEN, flatFixture } from './csvTestkit';

const HEADER = [
  'Date',
  'Type',
  'Description',
  'Category',
  'Currency',
  'Amount',
  'Paid by',
  'Share: Ann',
  'Share: Bo',
  'Share: 陈静',
  'From',
  'To',
  'Note',
  'Entry id',
];

/** Parses with Papa directly (not our importer), so these tests check the writer on its own. */
function table(csv: string): string[][] {
  const body = csv.startsWith(UTF8_BOM) ? csv.slice(1) : csv;
  const parsed = Papa.parse<string[]>(body, { delimiter: ',' });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

function rowsById(csv: string): Map<string, Record<string, string>> {
  const [header, ...rows] = table(csv);
  return new Map(
    rows.map((r) => [r[r.length - 1]!, Object.fromEntries(header!.map((h, i) => [h, r[i]!]))] as const),
  );
}

const minor = (cell: string, currency: string) => {
  const r = fromDecimalString(cell, currency);
  if (!r.ok) throw r.error;
  return r.value;
};

describe('groupStatementCsv', () => {
  const f = flatFixture();

  it('has exactly the documented columns, one share column per member in join order', () => {
    expect(table(groupStatementCsv(f.state))[0]).toEqual(HEADER);
  });

  it('starts with a UTF-8 BOM by default and not with bom:false; records end with CRLF', () => {
    const withBom = groupStatementCsv(f.state);
    const without = groupStatementCsv(f.state, { bom: false });
    expect(withBom.startsWith(UTF8_BOM)).toBe(true);
    expect(without.startsWith('Date,')).toBe(true);
    expect(withBom).toBe(UTF8_BOM + without);
    // 7 records, one note containing a line feed inside its quotes; no bare LF between records.
    expect(without.split('\r\n')).toHaveLength(7);
    expect(without.replace(/"[^"]*(?:""[^"]*)*"/g, '')).not.toMatch(/[^\r]\n/);
  });

  it('lists non-deleted expenses and payments by date, then ledger order', () => {
    const ids = table(groupStatementCsv(f.state))
      .slice(1)
      .map((r) => r[r.length - 1]);
    const { groceries, water, electricity, sushi, payment, april } = f.ids;
    expect(ids).toEqual([groceries, water, electricity, sushi, payment, april]);
  });

  it('writes expense rows: amounts as plain decimals, payers, shares, empty From/To', () => {
    const rows = rowsById(groupStatementCsv(f.state));
    expect(rows.get(f.ids.groceries)).toEqual({
      Date: '2025-03-01',
      Type: 'expense',
      Description: '超市 groceries',
      Category: '食品',
      Currency: 'CNY',
      Amount: '182.40',
      'Paid by': 'Bo',
      'Share: Ann': '60.80',
      'Share: Bo': '60.80',
      'Share: 陈静': '60.80',
      From: '',
      To: '',
      Note: '',
      'Entry id': f.ids.groceries,
    });
    const electricity = rows.get(f.ids.electricity)!;
    expect(electricity['Paid by']).toBe('Ann 200.00; 陈静 100.00');
    expect(electricity.Note).toBe('Bill "A-17"\nsecond line');
    expect(electricity.Description).toBe('Electricity, March');
    // Not in the split: empty, not zero.
    expect(rows.get(f.ids.water)!['Share: Bo']).toBe('');
    // JPY has no minor digits.
    expect(rows.get(f.ids.sushi)!.Amount).toBe('1234');
    expect(rows.get(f.ids.sushi)!['Share: Bo']).toBe('234');
  });

  it('writes payment rows with From/To and no payer or share cells', () => {
    const row = rowsById(groupStatementCsv(f.state)).get(f.ids.payment)!;
    expect(row).toMatchObject({ Type: 'payment', Amount: '50.00', From: 'Bo', To: 'Ann', 'Paid by': '' });
    expect([row['Share: Ann'], row['Share: Bo'], row['Share: 陈静'], row.Category]).toEqual(['', '', '', '']);
    expect(row.Description).toBe('Bo → Ann');
  });

  it('escapes formula-looking text cells and leaves amounts alone', () => {
    const csv = groupStatementCsv(f.state, { bom: false });
    const row = rowsById(csv).get(f.ids.sushi)!;
    expect(row.Description).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(row.Category).toBe("'-misc");
    expect(row.Note).toBe("'@everyone");
    expect(rowsById(csv).get(f.ids.payment)!.Note).toBe("'+thanks");
    for (const r of table(csv).slice(1)) {
      for (const cell of [r[5], ...r.slice(7, 10)]) expect(cell).toMatch(/^(\d+(\.\d+)?)?$/);
    }
  });

  it('escapes member names wherever they appear', () => {
    const ledger = new TestLedger();
    const evil = memberId('evil');
    ledger.add(ANN, { type: 'group.created', name: 'G', currency: 'EUR', memberName: 'Ann' });
    ledger.add(evil, { type: 'member.joined', name: '=cmd|"/c calc"!A1' });
    ledger.add(evil, {
      type: 'expense.created',
      expense: {
        description: 'x',
        currency: 'EUR',
        amount: 300,
        date: '2025-01-01',
        payers: [{ member: evil, amount: 300 }],
        split: { mode: 'equal', members: [ANN, evil] },
      },
    });
    ledger.add(evil, {
      type: 'payment.recorded',
      from: evil,
      to: ANN,
      amount: 1,
      currency: 'EUR',
      date: '2025-01-02',
    });
    const state = fold(ledger.groupId, ledger.entries);
    const [header, expense, payment] = table(groupStatementCsv(state));
    expect(header![8]).toBe('Share: =cmd|"/c calc"!A1');
    expect(expense![6]).toBe(`'=cmd|"/c calc"!A1`);
    expect(payment![9]).toBe(`'=cmd|"/c calc"!A1`);
    // With an empty share prefix the header cell itself starts with "=" and must be escaped too.
    const bare = table(groupStatementCsv(state, { labels: { sharePrefix: '' } }))[0]!;
    expect(bare[7]).toBe('Ann');
    expect(bare[8]).toBe(`'=cmd|"/c calc"!A1`);
  });

  it('filters by inclusive date range', () => {
    const ids = (from?: string, to?: string) =>
      table(groupStatementCsv(f.state, { from, to }))
        .slice(1)
        .map((r) => r[r.length - 1]);
    expect(ids('2025-03-03', '2025-03-10')).toEqual([f.ids.water, f.ids.electricity, f.ids.sushi]);
    expect(ids('2025-03-12')).toEqual([f.ids.payment, f.ids.april]);
    expect(ids(undefined, '2025-03-01')).toEqual([f.ids.groceries]);
    expect(ids('2025-05-01')).toEqual([]);
  });

  it('filters by currency', () => {
    const ids = (currency: string) =>
      table(groupStatementCsv(f.state, { currency }))
        .slice(1)
        .map((r) => r[r.length - 1]);
    expect(ids('JPY')).toEqual([f.ids.sushi]);
    expect(ids('CNY')).toHaveLength(5);
    expect(ids('EUR')).toEqual([]);
  });

  it('writes only the header for a group without expenses', () => {
    const ledger = new TestLedger();
    ledger.add(ANN, { type: 'group.created', name: 'G', currency: 'CNY', memberName: 'Ann' });
    expect(groupStatementCsv(fold(ledger.groupId, ledger.entries), { bom: false })).toBe(
      'Date,Type,Description,Category,Currency,Amount,Paid by,Share: Ann,From,To,Note,Entry id',
    );
  });

  it('tells members with the same name apart', () => {
    const ledger = new TestLedger();
    ledger.add(ANN, { type: 'group.created', name: 'G', currency: 'CNY', memberName: 'Sam' });
    ledger.add(BO, { type: 'member.joined', name: 'Sam' });
    ledger.add(CHEN, { type: 'member.joined', name: 'Kim' });
    const header = table(groupStatementCsv(fold(ledger.groupId, ledger.entries)))[0]!;
    expect(header.slice(7, 10)).toEqual([
      `Share: Sam (${ANN.slice(0, 8)})`,
      `Share: Sam (${BO.slice(0, 8)})`,
      'Share: Kim',
    ]);
  });

  it('uses translated labels', () => {
    const csv = groupStatementCsv(f.state, {
      labels: { date: '日期', type: '类型', sharePrefix: '分摊：', expense: '支出', payment: '转账' },
    });
    const [header, first] = table(csv);
    expect(header!.slice(0, 2)).toEqual(['日期', '类型']);
    expect(header![7]).toBe('分摊：Ann');
    expect(first![1]).toBe('支出');
    // A label passed as undefined keeps the English default.
    expect(table(groupStatementCsv(f.state, { labels: { date: undefined } }))[0]![0]).toBe('Date');
  });

  it('rejects nonsense options with a typed error', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isWalletError(e) ? e.code : 'not a WalletError';
      }
      return 'no error';
    };
    expect(code(() => groupStatementCsv(f.state, { from: '2025-3-1' }))).toBe('statement.bad-option');
    expect(code(() => groupStatementCsv(f.state, { from: '2025-03-02', to: '2025-03-01' }))).toBe(
      'statement.bad-option',
    );
    expect(code(() => groupStatementCsv(f.state, { currency: 'cny' }))).toBe('statement.bad-option');
    expect(code(() => groupStatementCsv(f.state, { labels: { payment: 'expense' } }))).toBe(
      'statement.bad-option',
    );
    expect(code(() => groupStatementCsv(f.state, { labels: { amount: ' ' } }))).toBe('statement.bad-option');
  });

  describe.each([1, 2, 3])('on a generated messy ledger (seed %i)', (seed) => {
    it('amounts add up to the group totals and every row’s shares to its amount', () => {
      const s = generated(seed);
      const [header, ...rows] = table(groupStatementCsv(s));
      const shareCols = header!.flatMap((h, i) => (h.startsWith('Share: ') ? [i] : []));
      expect(shareCols).toHaveLength(s.members.length);
      const totals = new Map<string, number>();
      const expected = new Map<string, number>();
      for (const e of s.expenses) {
        if (!e.deleted) expected.set(e.data.currency, (expected.get(e.data.currency) ?? 0) + e.data.amount);
      }
      let expenses = 0;
      for (const r of rows) {
        if (r[1] !== 'expense') continue;
        expenses++;
        const currency = r[4]!;
        const amount = minor(r[5]!, currency);
        totals.set(currency, (totals.get(currency) ?? 0) + amount);
        const shares = shareCols.map((c) => (r[c] === '' ? 0 : minor(r[c]!, currency)));
        expect(shares.reduce((a, b) => a + b, 0)).toBe(amount);
      }
      expect(expenses).toBe(s.expenses.filter((e) => !e.deleted).length);
      expect(rows.length - expenses).toBe(s.payments.filter((p) => !p.deleted).length);
      expect(totals).toEqual(expected);
    });
  });
});

function generated(seed: number): GroupState {
  const ledger = generateLedger({ seed, entries: 400, members: 4 });
  return fold(ledger.groupId, ledger.entries);
}
