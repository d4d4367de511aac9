import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { fold } from '../ledger/fold';
import { memberId, TestLedger } from '../ledger/fold-testkit';
import { redEnvelopeShares } from '../ledger/red-envelope';
import { computeBalances, memberTotals } from '../settle/balances';
import { UTF8_BOM } from './csvCells';
import { groupStatementCsv } from './csvGroup';
import { statementItems } from './csvItems';
import { memberStatementCsv } from './csvMember';

const A = memberId('ann');
const B = memberId('bo');
const C = memberId('chen');

/** Ann sends 100.01 EUR in 3 shares; Chen and Bo open it, Ann takes the rest back. */
function luckyGroup() {
  const L = new TestLedger();
  L.add(A, { type: 'group.created', name: 'Flat', currency: 'EUR', memberName: 'Ann' });
  L.add(B, { type: 'member.joined', name: 'Bo' });
  L.add(C, { type: 'member.joined', name: 'Chen' });
  const env = L.add(A, {
    type: 'envelope.created',
    amount: 10_001,
    currency: 'EUR',
    count: 3,
    date: '2026-02-17',
    note: 'Happy new year',
  });
  const chen = L.add(C, { type: 'envelope.opened', envelope: env.id });
  const bo = L.add(B, { type: 'envelope.opened', envelope: env.id });
  L.add(A, { type: 'envelope.reclaimed', envelope: env.id });
  const shares = redEnvelopeShares(env.id, 10_001, 3);
  if (!shares.ok) throw new Error('shares');
  return { env, chen, bo, shares: shares.value, state: fold(L.groupId, L.entries) };
}

const rowsOf = (csv: string) =>
  Papa.parse<string[]>(csv.slice(UTF8_BOM.length), { delimiter: ',' }).data.filter((r) => r.length > 1);

describe('red envelopes in balances', () => {
  it('make the sender owe each opener their share; the unopened rest counts nowhere', () => {
    const { shares, state } = luckyGroup();
    const [chenShare, boShare] = shares as [number, number, number];
    const eur = computeBalances(state).get('EUR')!;
    expect(eur.get(C)).toBe(chenShare);
    expect(eur.get(B)).toBe(boShare);
    expect(eur.get(A)).toBe(-(chenShare + boShare));
    expect([...eur.values()].reduce((s, v) => s + v, 0)).toBe(0);
    const t = memberTotals(state).get('EUR')!;
    expect(t.get(A)).toEqual({
      paid: 0,
      share: 0,
      sent: 0,
      received: 0,
      lucky: -(chenShare + boShare),
      net: eur.get(A),
    });
  });

  it('settle like any debt: a payment from sender to opener of the share clears it', () => {
    const L = new TestLedger();
    L.add(A, { type: 'group.created', name: 'Flat', currency: 'EUR', memberName: 'Ann' });
    L.add(B, { type: 'member.joined', name: 'Bo' });
    const env = L.add(A, {
      type: 'envelope.created',
      amount: 500,
      currency: 'EUR',
      count: 1,
      date: '2026-02-17',
    });
    L.add(B, { type: 'envelope.opened', envelope: env.id });
    L.add(A, { type: 'payment.recorded', from: A, to: B, amount: 500, currency: 'EUR', date: '2026-02-18' });
    const eur = computeBalances(fold(L.groupId, L.entries)).get('EUR')!;
    expect([eur.get(A), eur.get(B)]).toEqual([0, 0]);
  });
});

describe('red envelopes in statements', () => {
  it('show one group row per claim: type, note, amount, sender → opener, open entry id', () => {
    const { chen, bo, shares, state } = luckyGroup();
    const rows = rowsOf(groupStatementCsv(state));
    const header = rows[0]!;
    const col = (name: string) => header.indexOf(name);
    const lucky = rows.filter((r) => r[col('Type')] === 'red envelope');
    expect(lucky.map((r) => r[r.length - 1])).toEqual([chen.id, bo.id]);
    expect(lucky.map((r) => r[col('Amount')])).toEqual(shares.slice(0, 2).map((s) => (s / 100).toFixed(2)));
    expect(lucky.map((r) => [r[col('From')], r[col('To')]])).toEqual([
      ['Ann', 'Chen'],
      ['Ann', 'Bo'],
    ]);
    expect(
      lucky.every((r) => r[col('Date')] === '2026-02-17' && r[col('Description')] === 'Happy new year'),
    ).toBe(true);
    expect(rows).toHaveLength(3); // header + 2 claims: the unopened share makes no row
  });

  it('add up to the balances, and show in the member statements with their effect', () => {
    const { shares, state } = luckyGroup();
    const totals = new Map<string, number>();
    for (const item of statementItems(state)) {
      for (const [m, v] of Object.entries(item.paid)) totals.set(m, (totals.get(m) ?? 0) + v);
      for (const [m, v] of Object.entries(item.shares)) totals.set(m, (totals.get(m) ?? 0) - v);
    }
    const eur = computeBalances(state).get('EUR')!;
    for (const m of [A, B, C]) expect(totals.get(m) ?? 0).toBe(eur.get(m));
    const chenRows = rowsOf(memberStatementCsv(state, C));
    const effect = chenRows[0]!.indexOf('Effect on balance');
    expect(chenRows.slice(1).map((r) => r[effect])).toEqual([(shares[0]! / 100).toFixed(2)]);
    const annRows = rowsOf(memberStatementCsv(state, A));
    expect(annRows.slice(1).map((r) => r[effect])).toEqual(
      shares.slice(0, 2).map((s) => (-s / 100).toFixed(2)),
    );
  });
});
