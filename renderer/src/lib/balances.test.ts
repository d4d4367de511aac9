import { describe, expect, it } from 'vitest';
import type { ExpenseData } from '../../../shared/ledger/events';
import type { GroupState } from '../../../shared/ledger/types';
import { balanceSheet, memberNets, myBalances } from './balances';

const [A, B, C] = ['a', 'b', 'c'].map((c) => c.repeat(64)) as [string, string, string];
const id = (n: number) => n.toString(16).padStart(64, '0');
function expense(n: number, data: Partial<ExpenseData>) {
  const full: ExpenseData = {
    description: 'x',
    category: 'general',
    currency: 'CNY',
    amount: 30000,
    date: '2025-01-01',
    payers: [{ member: A, amount: 30000 }],
    split: { mode: 'equal', members: [A, B, C] },
    ...data,
  };
  return { id: id(n), createdBy: A, data: full, deleted: false, head: id(n), versions: [] };
}

const state: GroupState = {
  groupId: '0'.repeat(32),
  name: 'Flat',
  currency: 'CNY',
  createdBy: A,
  // Deliberately not in id order: the sheet keeps the state's member order.
  members: [
    { id: C, name: 'Cy', joinedBy: id(91), joinedAt: 0 },
    { id: A, name: 'Ann', joinedBy: id(92), joinedAt: 0 },
    { id: B, name: 'Bo', joinedBy: id(93), joinedAt: 0 },
  ],
  expenses: [
    expense(1, {}),
    expense(2, {
      currency: 'AUD',
      amount: 1000,
      payers: [{ member: B, amount: 1000 }],
      split: { mode: 'equal', members: [B, C] },
    }),
  ],
  payments: [
    {
      id: id(3),
      author: B,
      from: B,
      to: A,
      amount: 10000,
      currency: 'CNY',
      date: '2025-01-02',
      deleted: false,
      lamport: 3,
      time: 0,
    },
  ],
  requests: [],
  chat: [],
  rates: [],
  conflicts: [],
  ignored: [],
  entryCount: 3,
  maxLamport: 3,
};

describe('balanceSheet', () => {
  it('puts the group currency first and keeps member order', () => {
    const sheets = balanceSheet(state);
    expect(sheets.map((s) => s.currency)).toEqual(['CNY', 'AUD']);
    expect(sheets[0]!.rows.map((r) => r.member)).toEqual([C, A, B]);
  });

  it('nets expenses and payments and plans the fewest transfers that zero them', () => {
    const cny = balanceSheet(state)[0]!;
    const net = Object.fromEntries(cny.rows.map((r) => [r.member, r.net]));
    expect(net).toEqual({ [A]: 10000, [B]: 0, [C]: -10000 });
    expect(cny.plan).toEqual([{ from: C, to: A, amount: 10000 }]);
  });

  it('lists only my non-zero balances for the group list', () => {
    expect(myBalances(state, C)).toEqual([
      { currency: 'CNY', amount: -10000 },
      { currency: 'AUD', amount: -500 },
    ]);
    expect(myBalances(state, A)).toEqual([{ currency: 'CNY', amount: 10000 }]);
  });

  it("lists every member's non-zero balances, in member order, for the group screen", () => {
    expect(memberNets(state)).toEqual([
      {
        member: C,
        nets: [
          { currency: 'CNY', amount: -10000 },
          { currency: 'AUD', amount: -500 },
        ],
      },
      { member: A, nets: [{ currency: 'CNY', amount: 10000 }] },
      // Bo is square in CNY and owed 500 AUD.
      { member: B, nets: [{ currency: 'AUD', amount: 500 }] },
    ]);
  });
});

describe('caching', () => {
  it('returns the same result object for the same state, a fresh one for a new state', () => {
    expect(balanceSheet(state)).toBe(balanceSheet(state));
    expect(balanceSheet({ ...state })).not.toBe(balanceSheet(state));
  });
});
