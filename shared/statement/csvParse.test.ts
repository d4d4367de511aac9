import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../ledger/fold';
import { TestLedger } from '../ledger/fold-testkit';
import { UTF8_BOM } from './csvCells';
import { groupStatementCsv } from './csvGroup';
import type { StatementErrorCode } from './csvOptions';
import { parseStatementCsv } from './csvParse';
import { ANN, BO, flatFixture } from './csvTestkit';

const HEADER =
  'Date,Type,Description,Category,Currency,Amount,Paid by,Share: Ann,Share: Bo,From,To,Note,Entry id';
const ID = 'ab'.repeat(32);

function failure(text: string): { code: StatementErrorCode; details: unknown } {
  const r = parseStatementCsv(text);
  if (r.ok) throw new Error('expected the import to fail');
  return { code: r.error.code, details: r.error.details };
}

describe('parseStatementCsv', () => {
  const f = flatFixture();

  it('reads back a group statement exactly, Chinese text, quotes and escaped formulas included', () => {
    const r = parseStatementCsv(groupStatementCsv(f.state));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.members).toEqual(['Ann', 'Bo', '陈静']);
    expect(r.value.rows.map((row) => row.entryId)).toEqual([
      f.ids.groceries,
      f.ids.water,
      f.ids.electricity,
      f.ids.sushi,
      f.ids.payment,
      f.ids.april,
    ]);
    const byId = new Map(r.value.rows.map((row) => [row.entryId, row]));
    expect(byId.get(f.ids.groceries)).toEqual({
      date: '2025-03-01',
      type: 'expense',
      description: '超市 groceries',
      category: '食品',
      currency: 'CNY',
      amount: 18240,
      paidBy: [{ name: 'Bo', amount: 18240 }],
      shares: { Ann: 6080, Bo: 6080, 陈静: 6080 },
      from: '',
      to: '',
      note: '',
      entryId: f.ids.groceries,
    });
    expect(byId.get(f.ids.electricity)).toMatchObject({
      description: 'Electricity, March',
      note: 'Bill "A-17"\nsecond line',
      paidBy: [
        { name: 'Ann', amount: 20000 },
        { name: '陈静', amount: 10000 },
      ],
    });
    expect(byId.get(f.ids.sushi)).toMatchObject({
      description: '=HYPERLINK("http://evil.example","click")',
      category: '-misc',
      note: '@everyone',
      currency: 'JPY',
      amount: 1234,
      shares: { Ann: 1000, Bo: 234 },
    });
    expect(byId.get(f.ids.payment)).toMatchObject({
      type: 'payment',
      from: 'Bo',
      to: 'Ann',
      amount: 5000,
      note: '+thanks',
      paidBy: [],
      shares: {},
    });
  });

  it('matches the state: every non-deleted expense with its data', () => {
    const r = parseStatementCsv(groupStatementCsv(f.state, { bom: false }));
    if (!r.ok) throw r.error;
    const rows = new Map(r.value.rows.map((row) => [row.entryId, row]));
    const live = f.state.expenses.filter((e) => !e.deleted);
    expect(rows.size).toBe(live.length + 1);
    for (const e of live) {
      const row = rows.get(e.id)!;
      expect([row.date, row.description, row.category, row.currency, row.amount]).toEqual([
        e.data.date,
        e.data.description,
        e.data.category,
        e.data.currency,
        e.data.amount,
      ]);
      expect(row.note).toBe(e.data.note ?? '');
    }
  });

  it('reads statements written with translated labels when given the same labels', () => {
    const labels = { date: '日期', sharePrefix: '分摊：', expense: '支出', payment: '转账' };
    const csv = groupStatementCsv(f.state, { labels });
    const r = parseStatementCsv(csv, { labels });
    expect(r.ok && r.value.rows.map((row) => row.type)).toEqual([
      'expense',
      'expense',
      'expense',
      'expense',
      'payment',
      'expense',
    ]);
    expect(failure(csv).code).toBe('statement.bad-header');
  });

  it('round-trips any description, note and member name exactly', () => {
    // Free text of every kind: formula starters, quotes, commas, CR/LF, apostrophes, CJK, emoji.
    const text = fc.string({
      unit: fc.constantFrom(
        '=',
        '+',
        '-',
        '@',
        '\t',
        '\r',
        '\n',
        "'",
        '"',
        ',',
        ';',
        ' ',
        'a',
        'Z',
        '1',
        '.',
        '陈',
        '😀',
      ),
      maxLength: 12,
    });
    const name = text.map((s) => s.trim()).filter((s) => s.length > 0 && !s.includes('; '));
    fc.assert(
      fc.property(
        text.filter((s) => s.trim().length > 0),
        text,
        name,
        (description, note, payer) => {
          const ledger = new TestLedger();
          ledger.add(ANN, { type: 'group.created', name: 'G', currency: 'CNY', memberName: payer });
          ledger.add(BO, { type: 'member.joined', name: 'Bo' });
          ledger.add(ANN, {
            type: 'expense.created',
            expense: {
              description,
              note,
              currency: 'CNY',
              amount: 300,
              date: '2025-01-01',
              payers: [{ member: ANN, amount: 300 }],
              split: { mode: 'equal', members: [ANN, BO] },
            },
          });
          const state = fold(ledger.groupId, ledger.entries);
          const r = parseStatementCsv(groupStatementCsv(state));
          if (!r.ok) throw r.error;
          const stored = state.expenses[0]!.data;
          const row = r.value.rows[0]!;
          expect([row.description, row.note, row.paidBy]).toEqual([
            stored.description,
            stored.note,
            [{ name: state.members.find((m) => m.id === ANN)!.name, amount: 300 }],
          ]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('accepts a hand-written statement: no BOM or entry ids, LF line ends, a trailing line end', () => {
    const r = parseStatementCsv(`${HEADER}\r\n2025-01-01,expense,Tea,,EUR,3.00,Ann,1.50,1.50,,,,\r\n`);
    expect(r.ok && r.value.rows[0]).toMatchObject({
      amount: 300,
      entryId: '',
      shares: { Ann: 150, Bo: 150 },
    });
    const lf = parseStatementCsv(`${HEADER}\n2025-01-01,expense,"Tea\nfor two",,EUR,3,Ann,1.50,1.50,,,,\n`);
    expect(lf.ok && lf.value.rows).toMatchObject([{ description: 'Tea\nfor two', amount: 300 }]);
  });

  it.each([
    ['empty text', '', 'statement.empty'],
    ['only a BOM', `${UTF8_BOM}\r\n`, 'statement.empty'],
    [
      'unclosed quote',
      `${HEADER}\r\n2025-01-01,expense,"Tea,,EUR,3.00,Ann,1.50,1.50,,,,${ID}`,
      'statement.csv-syntax',
    ],
    ['another CSV', 'name,amount\r\nTea,3', 'statement.bad-header'],
    ['a renamed column', HEADER.replace('Amount', 'Total'), 'statement.bad-header'],
    ['a tail column missing', HEADER.replace(',Note', ''), 'statement.bad-header'],
    ['duplicate share columns', HEADER.replace('Share: Bo', 'Share: Ann'), 'statement.bad-header'],
    ['a short row', `${HEADER}\r\n2025-01-01,expense,Tea`, 'statement.bad-row'],
    ['a bad date', `${HEADER}\r\n1/2/2025,expense,Tea,,EUR,3.00,Ann,1.50,1.50,,,,`, 'statement.bad-date'],
    [
      'an unknown type',
      `${HEADER}\r\n2025-01-01,refund,Tea,,EUR,3.00,Ann,1.50,1.50,,,,`,
      'statement.bad-type',
    ],
    [
      'an unknown currency',
      `${HEADER}\r\n2025-01-01,expense,Tea,,XYZ,3.00,Ann,1.50,1.50,,,,`,
      'statement.bad-currency',
    ],
    [
      'a float-ish amount',
      `${HEADER}\r\n2025-01-01,expense,Tea,,EUR,3.5,Ann,1.75,1.75,,,,`,
      'statement.bad-amount',
    ],
    [
      'a grouped amount',
      `${HEADER}\r\n2025-01-01,expense,Tea,,EUR,"1,000.00",Ann,500.00,500.00,,,,`,
      'statement.bad-amount',
    ],
    [
      'a negative amount',
      `${HEADER}\r\n2025-01-01,expense,Tea,,EUR,-3.00,Ann,-1.50,-1.50,,,,`,
      'statement.bad-amount',
    ],
    [
      'shares not adding up',
      `${HEADER}\r\n2025-01-01,expense,Tea,,EUR,3.00,Ann,1.50,1.00,,,,`,
      'statement.bad-amount',
    ],
    [
      'payers not adding up',
      `${HEADER}\r\n2025-01-01,expense,Tea,,EUR,3.00,Ann 1.00; Bo 1.00,1.50,1.50,,,,`,
      'statement.bad-amount',
    ],
    [
      'a payer without amount',
      `${HEADER}\r\n2025-01-01,expense,Tea,,EUR,3.00,Ann 3.00; Bo,1.50,1.50,,,,`,
      'statement.bad-row',
    ],
    ['no payer', `${HEADER}\r\n2025-01-01,expense,Tea,,EUR,3.00,,1.50,1.50,,,,`, 'statement.bad-row'],
    [
      'an expense with From',
      `${HEADER}\r\n2025-01-01,expense,Tea,,EUR,3.00,Ann,1.50,1.50,Ann,,,`,
      'statement.bad-row',
    ],
    [
      'a payment with shares',
      `${HEADER}\r\n2025-01-01,payment,x,,EUR,3.00,,3.00,,Ann,Bo,,`,
      'statement.bad-row',
    ],
    ['a payment to oneself', `${HEADER}\r\n2025-01-01,payment,x,,EUR,3.00,,,,Ann,Ann,,`, 'statement.bad-row'],
    [
      'a bad entry id',
      `${HEADER}\r\n2025-01-01,expense,Tea,,EUR,3.00,Ann,1.50,1.50,,,,xyz`,
      'statement.bad-row',
    ],
  ])('rejects %s with a typed error', (_what, text, code) => {
    expect(failure(text).code).toBe(code);
  });

  it('says where the problem is', () => {
    const text = `${HEADER}\r\n2025-01-01,expense,Tea,,EUR,3.00,Ann,1.50,1.50,,,,\r\n2025-01-02,expense,Tea,,EUR,3.0,Ann,1.50,1.50,,,,`;
    expect(failure(text).details).toEqual({ record: 3, column: 6 });
  });

  it('rejects unusable labels with a typed error', () => {
    const r = parseStatementCsv(HEADER, { labels: { expense: 'x', payment: 'x' } });
    expect(!r.ok && r.error.code).toBe('statement.bad-option');
  });
});
