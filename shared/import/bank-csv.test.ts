import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memberId } from '../ledger/fold-testkit';
import {
  type BankFile,
  type BankMapping,
  bankDraftEvents,
  bankDrafts,
  guessBankMapping,
  headerKey,
  parseBankMapping,
  readBankFile,
} from './bank-csv';
import { importIdsOf } from './resolve';
import { stateAfter } from './testkit';

const sample = readFileSync(new URL('../../docs/samples/bank.csv', import.meta.url), 'utf8');

function bank(text: string): BankFile {
  const r = readBankFile(text);
  if (!r.ok) throw r.error;
  return r.value;
}

const MAPPING: BankMapping = {
  date: 0,
  description: 1,
  amount: 2,
  currencyColumn: 3,
  currency: 'EUR',
  dateFormat: 'YYYY-MM-DD',
  decimal: '.',
  spending: 'negative',
};

describe('bank CSV', () => {
  it('guesses the columns of the sample from their titles', () => {
    expect(guessBankMapping(bank(sample).header, 'EUR')).toEqual(MAPPING);
    expect(guessBankMapping(['Foo', 'Bar', 'Baz'], 'EUR')).toBeUndefined();
  });

  it('makes drafts of what was spent, counts money in, and lists unreadable rows', () => {
    const r = bankDrafts(bank(sample), MAPPING);
    expect(r.drafts.map((d) => [d.row, d.date, d.description, d.amount, d.currency])).toEqual([
      [2, '2025-05-02', 'SUPERMARKT FRISCH GMBH', 5420, 'EUR'],
      [3, '2025-05-02', 'SUPERMARKT FRISCH GMBH', 5420, 'EUR'],
      [5, '2025-05-04', 'Pizzeria "Da Gino"', 3850, 'EUR'],
      [8, '2025-05-06', 'Bookshop London', 1599, 'GBP'],
    ]);
    expect(r.incoming).toBe(1);
    expect(r.errors.map((e) => [e.row, e.code, e.column])).toEqual([
      [6, 'row.bad-amount', 'Amount'],
      [7, 'row.bad-date', 'Booking date'],
    ]);
    // Two identical card payments are two drafts with their own hashes.
    expect(r.drafts[0]!.importId).not.toBe(r.drafts[1]!.importId);
  });

  it('reads a semicolon file with decimal commas and day-first dates', () => {
    const text = 'Datum;Verwendungszweck;Betrag\n02.05.2025;Bäckerei;-3,80\n03.05.2025;Miete;-1.250,00\n';
    const file = bank(text);
    const mapping = guessBankMapping(file.header, 'EUR')!;
    const r = bankDrafts(file, { ...mapping, dateFormat: 'DD.MM.YYYY', decimal: ',' });
    expect(r.drafts.map((d) => [d.date, d.amount])).toEqual([
      ['2025-05-02', 380],
      ['2025-05-03', 125000],
    ]);
  });

  it('keys a bank by its header, whatever the case or spacing', () => {
    expect(headerKey(['Date', ' Amount '])).toBe(headerKey(['date', 'amount']));
    expect(headerKey(['Date', 'Amount'])).not.toBe(headerKey(['Amount', 'Date']));
    expect(bank(sample).headerKey).toBe(headerKey(bank(sample).header));
  });

  it('turns picked drafts into expenses once, split equally, and never twice', () => {
    const me = memberId('me');
    const flatmate = memberId('flatmate');
    const drafts = bankDrafts(bank(sample), MAPPING).drafts;
    const opts = { payer: me, members: [me, flatmate], category: 'groceries', existing: new Set<string>() };
    const events = bankDraftEvents(drafts, opts);
    expect(events).toHaveLength(4);
    expect(stateAfter([me, flatmate], events).ignored).toEqual([]);
    expect(bankDraftEvents(drafts, { ...opts, existing: importIdsOf(events) })).toEqual([]);
  });

  it('refuses a file without a header and a remembered mapping that is malformed', () => {
    expect(readBankFile('1,2\n')).toMatchObject({ ok: false, error: { code: 'import.bad-header' } });
    expect(readBankFile('')).toMatchObject({ ok: false, error: { code: 'import.empty' } });
    expect(parseBankMapping(MAPPING)).toEqual(MAPPING);
    expect(parseBankMapping({ ...MAPPING, decimal: ';' })).toBeUndefined();
    expect(parseBankMapping('x')).toBeUndefined();
  });
});
