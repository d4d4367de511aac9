import { describe, expect, it } from 'vitest';
import type { GroupState } from '../../../shared/ledger/types';
import { buildTimeline, lastEditor } from './timeline';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const id = (n: number) => n.toString(16).padStart(64, '0');

const state: GroupState = {
  groupId: '0'.repeat(32),
  name: 'Flat',
  currency: 'CNY',
  createdBy: A,
  members: [],
  expenses: [
    {
      id: id(3),
      createdBy: B,
      deleted: false,
      head: id(3),
      data: {
        description: 'Groceries',
        category: 'food',
        currency: 'CNY',
        amount: 18240,
        date: '2025-01-01',
        payers: [{ member: B, amount: 18240 }],
        split: { mode: 'equal', members: [A, B] },
      },
      versions: [{ entryId: id(3), author: B, lamport: 4, time: 0, base: null, data: null }],
    },
  ],
  payments: [
    {
      id: id(5),
      author: A,
      from: A,
      to: B,
      amount: 9120,
      currency: 'CNY',
      date: '2025-01-02',
      deleted: false,
      lamport: 6,
      time: 0,
    },
  ],
  requests: [
    {
      id: id(4),
      author: B,
      from: A,
      to: B,
      amount: 9120,
      currency: 'CNY',
      status: 'paid',
      paidBy: id(5),
      lamport: 5,
      time: 0,
    },
  ],
  chat: [
    { id: id(2), author: B, text: 'hi', lamport: 2, time: 0 },
    { id: id(1), author: A, text: 'hello', lamport: 2, time: 0 },
    { id: id(7), author: A, text: 'thanks', lamport: 7, time: 0 },
  ],
  rates: [],
  conflicts: [],
  ignored: [],
  entryCount: 7,
  maxLamport: 7,
};

describe('buildTimeline', () => {
  it('interleaves messages and cards in total order (lamport, then author)', () => {
    expect(buildTimeline(state).map((i) => `${i.kind}:${i.key.slice(-1)}`)).toEqual([
      'message:1',
      'message:2',
      'expense:3',
      'request:4',
      'payment:5',
      'message:7',
    ]);
  });

  it('places red envelopes by their lamport among the other items', () => {
    const envelope = {
      id: id(6),
      author: B,
      amount: 1000,
      currency: 'CNY',
      count: 2,
      date: '2025-01-02',
      lamport: 6,
      time: 0,
      claims: [],
      unclaimed: 1000,
      reclaimedBy: null,
    };
    const items = buildTimeline({ ...state, redEnvelopes: [envelope] });
    expect(items.map((i) => `${i.kind}:${i.key.slice(-1)}`).slice(-3)).toEqual([
      'payment:5',
      'envelope:6',
      'message:7',
    ]);
  });

  it('keeps only the latest items when limited', () => {
    expect(buildTimeline(state, 2).map((i) => i.key)).toEqual([id(5), id(7)]);
  });
});

describe('lastEditor', () => {
  const [created] = state.expenses;
  const creation = created!.versions[0]!;
  const version = (n: number, author: string, deleted = false) => ({
    entryId: id(n),
    author,
    lamport: n,
    time: 0,
    base: id(n - 1),
    data: deleted ? null : created!.data,
  });

  it('is null for an expense never changed after its creation', () => {
    expect(lastEditor(created!)).toBeNull();
  });

  it('names the author of the latest edit, ignoring deletions', () => {
    const edited = { ...created!, versions: [creation, version(7, A), version(8, B, true)] };
    expect(lastEditor(edited)).toBe(A);
    const editedTwice = { ...created!, versions: [creation, version(7, A), version(9, B)] };
    expect(lastEditor(editedTwice)).toBe(B);
  });

  it('is null when the only change was a deletion', () => {
    expect(lastEditor({ ...created!, versions: [creation, version(7, A, true)] })).toBeNull();
  });
});
