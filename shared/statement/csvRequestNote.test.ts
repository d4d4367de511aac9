import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { fold } from '../ledger/fold';
import { ANN, BO, flatFixture } from './csvTestkit';
import { UTF8_BOM } from './csvCells';
import { groupStatementCsv } from './csvGroup';

function noteOf(csv: string, id: string): string | undefined {
  const parsed = Papa.parse<string[]>(csv.slice(UTF8_BOM.length), { delimiter: ',' });
  const [header, ...rows] = parsed.data;
  const row = rows.find((r) => r[r.length - 1] === id);
  return row?.[header!.indexOf('Note')];
}

describe('payment notes from requests in the group statement', () => {
  it("shows the payment's own note, or else the note of the request it pays", () => {
    const { ledger } = flatFixture();
    const request = ledger.add(BO, {
      type: 'request.created',
      from: ANN,
      to: BO,
      amount: 1250,
      currency: 'CNY',
      note: 'Concert tickets',
    });
    const copied = ledger.add(ANN, {
      type: 'payment.recorded',
      from: ANN,
      to: BO,
      amount: 1250,
      currency: 'CNY',
      date: '2025-04-02',
      request: request.id,
      note: 'Concert tickets',
    });
    const bare = ledger.add(ANN, {
      type: 'payment.recorded',
      from: ANN,
      to: BO,
      amount: 100,
      currency: 'CNY',
      date: '2025-04-03',
      request: request.id,
    });
    const own = ledger.add(ANN, {
      type: 'payment.recorded',
      from: ANN,
      to: BO,
      amount: 100,
      currency: 'CNY',
      date: '2025-04-04',
      request: request.id,
      note: 'my own words',
    });
    const csv = groupStatementCsv(fold(ledger.groupId, ledger.entries));
    expect(noteOf(csv, copied.id)).toBe('Concert tickets');
    expect(noteOf(csv, bare.id)).toBe('Concert tickets');
    expect(noteOf(csv, own.id)).toBe('my own words');
  });
});
