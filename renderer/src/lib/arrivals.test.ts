import { describe, expect, it } from 'vitest';
import type { ExpenseData } from '../../../shared/ledger/events';
import { fold } from '../../../shared/ledger/fold';
import { memberId, TestLedger } from '../../../shared/ledger/fold-testkit';
import type { GroupState } from '../../../shared/ledger/types';
import { diffExpense, feedLineCount, groupArrivals, indexEntries, openConflictEntries } from './arrivals';

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

  it('lists one change once: repeated ids, several entries on one expense, conflict versions', () => {
    const index = indexEntries(state);
    const kinds = (groups: ReturnType<typeof groupArrivals>) =>
      groups.map((g) => [g.member, g.items.map((i) => [i.entryId, i.description.kind])]);
    // The same entry delivered twice (e.g. over two transports) is one line.
    expect(
      kinds(
        groupArrivals(
          [
            { entryId: id(4), author: B },
            { entryId: id(4), author: B },
          ],
          index,
        ),
      ),
    ).toEqual([[B, [[id(4), 'expense-updated']]]]);
    // Created, edited and deleted by one member in one batch: one line, what happened last.
    const one = groupArrivals(
      [
        { entryId: id(3), author: A },
        { entryId: id(6), author: B },
        { entryId: id(5), author: A },
      ],
      index,
    );
    expect(kinds(one)).toEqual([
      [A, [[id(5), 'expense-deleted']]],
      [B, [[id(6), 'message']]],
    ]);
    // Created then edited: still "added", with the edited data.
    const added = groupArrivals(
      [
        { entryId: id(3), author: A },
        { entryId: id(4), author: A },
      ],
      index,
    );
    expect(added[0]!.items).toHaveLength(1);
    expect(added[0]!.items[0]!.description).toMatchObject({
      kind: 'expense-created',
      data: { amount: 31000 },
    });
    // An edit the open conflict already shows is not listed again.
    const conflicted: GroupState = {
      ...state,
      conflicts: [
        {
          expense: id(3),
          base: id(3),
          versions: [id(4), id(5)],
          winner: id(5),
          resolved: false,
          kind: 'update-delete',
        },
      ],
    };
    const hidden = openConflictEntries(conflicted);
    expect([...hidden].sort()).toEqual([id(4), id(5)]);
    expect(
      kinds(
        groupArrivals(
          [
            { entryId: id(4), author: B },
            { entryId: id(6), author: B },
          ],
          index,
          hidden,
        ),
      ),
    ).toEqual([[B, [[id(6), 'message']]]]);
    expect(
      openConflictEntries({ ...conflicted, conflicts: [{ ...conflicted.conflicts[0]!, resolved: true }] })
        .size,
    ).toBe(0);
  });

  it('counts the lines the feed shows, which is what the Review badge counts', () => {
    const arrivals = [
      { entryId: id(3), author: A },
      { entryId: id(5), author: A },
      { entryId: id(6), author: B },
      { entryId: id(6), author: B },
    ];
    expect(feedLineCount(arrivals, state)).toBe(2);
    const conflicted: GroupState = {
      ...state,
      conflicts: [
        {
          expense: id(3),
          base: id(4),
          versions: [id(5)],
          winner: id(5),
          resolved: false,
          kind: 'update-delete',
        },
      ],
    };
    // A's created-then-deleted expense: the deletion is the conflict card's; the creation stays.
    expect(feedLineCount(arrivals, conflicted)).toBe(2);
    expect(feedLineCount([{ entryId: id(5), author: A }], conflicted)).toBe(0);
  });

  it('lists the fields two versions disagree on', () => {
    expect([...diffExpense(data(), data({ amount: 1, note: 'x' }))].sort()).toEqual(['amount', 'note']);
    expect(diffExpense(data(), data()).size).toBe(0);
    expect(diffExpense(data(), null).size).toBe(0);
  });
});

describe('red envelopes among the arrivals', () => {
  it('describe the send, each open with its share, and the reclaim with what went back', () => {
    const envelope = {
      id: id(20),
      author: A,
      amount: 1000,
      currency: 'CNY',
      count: 3,
      date: '2025-02-01',
      lamport: 20,
      time: 0,
      claims: [{ member: B, amount: 400, index: 0, entryId: id(21), lamport: 21, time: 0 }],
      unclaimed: 600,
      reclaimedBy: id(22),
    };
    const index = indexEntries({ ...state, redEnvelopes: [envelope] });
    expect(index.get(id(20))).toEqual({ kind: 'envelope-sent', amount: 1000, currency: 'CNY' });
    expect(index.get(id(21))).toEqual({ kind: 'envelope-opened', sender: A, amount: 400, currency: 'CNY' });
    expect(index.get(id(22))).toEqual({ kind: 'envelope-reclaimed', amount: 600, currency: 'CNY' });
  });
});

describe('arrivals of departures', () => {
  it('names who left and who was removed, at the entry that did it', () => {
    const [ann, bo, cy] = [memberId('ann'), memberId('bo'), memberId('cy')];
    const L = new TestLedger();
    L.add(ann, { type: 'group.created', name: 'Flat', currency: 'EUR', memberName: 'Ann' });
    L.add(bo, { type: 'member.joined', name: 'Bo' });
    L.add(cy, { type: 'member.joined', name: 'Cy' });
    const left = L.add(bo, { type: 'member.left' });
    const removed = L.add(ann, { type: 'member.removed', member: cy });
    const folded = fold(L.groupId, L.entries);
    const status = Object.fromEntries(folded.members.map((m) => [m.name, m.status]));
    expect(status).toEqual({ Ann: undefined, Bo: 'left', Cy: 'removed' });
    const index = indexEntries(folded);
    expect(index.get(left.id)).toEqual({ kind: 'left', name: 'Bo' });
    expect(index.get(removed.id)).toEqual({ kind: 'removed', name: 'Cy' });
    const groups = groupArrivals(
      [
        { entryId: left.id, author: bo },
        { entryId: removed.id, author: ann },
      ],
      index,
    );
    expect(groups.map((g) => g.items.map((i) => i.description.kind))).toEqual([['left'], ['removed']]);
  });
});
