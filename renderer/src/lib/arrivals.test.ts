import { describe, expect, it } from 'vitest';
import type { ExpenseData } from '../../../shared/ledger/events';
import type { GroupState } from '../../../shared/ledger/types';
import { diffExpense, groupArrivals, indexEntries } from './arrivals';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const id = (n: number) => n.toString(16).padStart(64, '0');
const data = (patch: Partial<ExpenseData> = {}): ExpenseData => ({
  description: 'Power',
  category: 'utilities',
  currency: 'CNY',
  amount: 30000,
  date: '2025-01-31',
  payers: [{ member: A, amount: 30000 }],
  split: { mode: 'equal', members: [A, B] },
  ...patch,
});

const state: GroupState = {
  groupId: '0'.repeat(32),
  name: 'Flat',
  currency: 'CNY',
  createdBy: A,
  members: [
    { id: A, name: 'Ann', joinedBy: id(1), joinedAt: 0 },
    { id: B, name: 'Bo', joinedBy: id(2), joinedAt: 0 },
  ],
  expenses: [
    {
      id: id(3),
      createdBy: A,
      data: data({ amount: 31000 }),
      deleted: true,
      head: id(5),
      versions: [
        { entryId: id(3), author: A, lamport: 3, time: 0, base: null, data: data() },
        { entryId: id(4), author: B, lamport: 4, time: 0, base: id(3), data: data({ amount: 31000 }) },
        { entryId: id(5), author: A, lamport: 5, time: 0, base: id(4), data: null },
      ],
    },
  ],
  payments: [],
  requests: [],
  chat: [{ id: id(6), author: B, text: 'paid?', lamport: 6, time: 0 }],
  rates: [],
  conflicts: [],
  ignored: [],
  entryCount: 6,
  maxLamport: 6,
};

describe('arrivals', () => {
  it('describes each entry by what it did, deletions with the data they removed', () => {
    const index = indexEntries(state);
    expect(index.get(id(2))).toEqual({ kind: 'joined', name: 'Bo' });
    expect(index.get(id(3))).toMatchObject({ kind: 'expense-created', data: { amount: 30000 } });
    expect(index.get(id(4))).toMatchObject({ kind: 'expense-updated', data: { amount: 31000 } });
    expect(index.get(id(5))).toMatchObject({ kind: 'expense-deleted', data: { amount: 31000 } });
    expect(index.get(id(6))).toEqual({ kind: 'message', text: 'paid?' });
  });

  it('groups arrivals by member in arrival order, unknown entries as "other"', () => {
    const groups = groupArrivals(
      [
        { entryId: id(4), author: B },
        { entryId: id(5), author: A },
        { entryId: id(6), author: B },
        { entryId: id(9), author: A },
      ],
      indexEntries(state),
    );
    expect(groups.map((g) => [g.member, g.items.map((i) => i.description.kind)])).toEqual([
      [B, ['expense-updated', 'message']],
      [A, ['expense-deleted', 'other']],
    ]);
  });

  it('lists the fields two versions disagree on', () => {
    expect([...diffExpense(data(), data({ amount: 1, note: 'x' }))].sort()).toEqual(['amount', 'note']);
    expect(diffExpense(data(), data()).size).toBe(0);
    expect(diffExpense(data(), null).size).toBe(0);
  });
});
