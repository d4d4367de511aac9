import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { fold } from '../ledger/fold';
import { memberId, TestLedger } from '../ledger/fold-testkit';
import { computeBalances } from '../settle/balances';
import { UTF8_BOM } from './csvCells';
import { groupStatementCsv } from './csvGroup';
import { statementItems } from './csvItems';

const A = memberId('ann');
const B = memberId('bo');

function rentGroup() {
  const L = new TestLedger();
  L.add(A, { type: 'group.created', name: 'Flat', currency: 'EUR', memberName: 'Ann' });
  L.add(B, { type: 'member.joined', name: 'Bo' });
  const rule = L.add(A, {
    type: 'recurring.created',
    schedule: { freq: 'monthly', start: '2025-01-31', interval: 1, day: 'last' },
    template: {
      description: 'Rent',
      currency: 'EUR',
      amount: 90_001,
      payers: [{ member: A, amount: 90_001 }],
      split: { mode: 'equal', members: [A, B] },
    },
  });
  L.add(B, { type: 'occurrence.skipped', rule: rule.id, date: '2025-02-28' });
  return { L, rule, state: fold(L.groupId, L.entries, '2025-04-15') };
}

describe('statements with recurring expenses', () => {
  it('list each derived occurrence (not the skipped one) as an expense row with its rule|date id', () => {
    const { rule, state } = rentGroup();
    const body = groupStatementCsv(state).slice(UTF8_BOM.length);
    const rows = Papa.parse<string[]>(body, { delimiter: ',' }).data.filter((r) => r.length > 1);
    const ids = rows.map((r) => r[r.length - 1]);
    expect(ids).toContain(`${rule.id}|2025-01-31`);
    expect(ids).toContain(`${rule.id}|2025-03-31`);
    expect(ids.some((id) => id?.endsWith('2025-02-28'))).toBe(false);
    expect(ids.some((id) => id?.endsWith('2025-04-30'))).toBe(false);
  });

  it('add up to the same balances as the app shows', () => {
    const { state } = rentGroup();
    const totals = new Map<string, number>();
    for (const item of statementItems(state)) {
      for (const [m, v] of Object.entries(item.paid)) totals.set(m, (totals.get(m) ?? 0) + v);
      for (const [m, v] of Object.entries(item.shares)) totals.set(m, (totals.get(m) ?? 0) - v);
    }
    const eur = computeBalances(state).get('EUR')!;
    expect(eur.get(A)).not.toBe(0);
    expect(totals.get(A)).toBe(eur.get(A));
    expect(totals.get(B)).toBe(eur.get(B));
  });
});
