import { describe, expect, it } from 'vitest';
import type { LoggedEntry } from '../../../shared/ledger/group-log';
import type { ExpenseData } from '../../../shared/ledger/events';
import { bareState } from '../../../shared/ledger/test-fixtures';
import type { ExpenseState, GroupState } from '../../../shared/ledger/types';
import { decodeView, digestOf, digestOfEntries, encodeView, VIEW_FORMAT } from './viewRows';

const G = '1'.repeat(32);
const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const id = (n: number) => n.toString(16).padStart(64, '0');

function state(entryCount: number, groupId = G): GroupState {
  return bareState(groupId, entryCount, { createdBy: A });
}

const heads = [
  { author: B, seq: 2, id: id(4) },
  { author: A, seq: 3, id: id(5) },
];

describe('digestOf', () => {
  it('pins the entry set by count and heads, in any order of heads', () => {
    const d = digestOf(5, heads)!;
    expect(d.entries).toBe(5);
    expect(digestOf(5, [...heads].reverse())).toEqual(d);
    expect(digestOf(5, [heads[0]!, { ...heads[1]!, id: id(6) }])!.digest).not.toBe(d.digest);
  });

  it('refuses sets that are not whole fork-free chains (count ≠ sum of head seqs)', () => {
    expect(digestOf(6, heads)).toBeUndefined(); // an extra (fork evidence) row
    expect(digestOf(4, heads)).toBeUndefined();
    expect(digestOf(0, [])).toEqual({ entries: 0, digest: '' });
  });

  it('reads the same digest off a log as off the store’s heads', () => {
    const entries = [
      [A, 1, 1],
      [B, 1, 2],
      [A, 2, 3],
      [B, 2, 4],
      [A, 3, 5],
    ].map(([author, seq, n]) => ({ id: id(n as number), header: { author, seq } }) as unknown as LoggedEntry);
    expect(digestOfEntries(entries)).toEqual(digestOf(5, heads));
  });
});

describe('decodeView', () => {
  const set = digestOf(5, heads)!;
  const row = encodeView(G, { state: state(5), sheets: [] }, set);

  it('gives back the state and sheets of a row that matches the stored entries', () => {
    expect(decodeView(G, row, 5, heads)).toEqual({ state: state(5), sheets: [], set });
  });

  it('ignores every row that does not match, or does not decode', () => {
    const cases = {
      'no row': decodeView(G, undefined, 5, heads),
      'another group': decodeView('2'.repeat(32), row, 5, heads),
      'an older format': decodeView(G, { ...row, format: VIEW_FORMAT + 1 }, 5, heads),
      'a new entry since': decodeView(G, row, 6, [heads[0]!, { author: A, seq: 4, id: id(7) }]),
      'same count, another head': decodeView(G, row, 5, [heads[0]!, { ...heads[1]!, id: id(9) }]),
      'a fork': decodeView(G, row, 6, heads),
      'a damaged row': decodeView(G, { ...row, state: row.state.slice(0, -3) }, 5, heads),
      'a state of another size': decodeView(G, encodeView(G, { state: state(4), sheets: [] }, set), 5, heads),
      'a state of another group': decodeView(
        G,
        encodeView(G, { state: state(5, '3'.repeat(32)), sheets: [] }, set),
        5,
        heads,
      ),
      'no sheets': decodeView(G, encodeView(G, { state: state(5) } as never, set), 5, heads),
    };
    for (const [what, view] of Object.entries(cases)) expect(view, what).toBeUndefined();
  });
});

describe('encodeView / decodeView', () => {
  const data = (amount: number): ExpenseData => ({
    description: 'Rent',
    category: 'rent',
    currency: 'CNY',
    amount,
    date: '2025-06-01',
    payers: [{ member: A, amount }],
    split: { mode: 'equal', members: [A, B] },
  });
  const first = data(100);
  const plain: ExpenseState = {
    id: id(1),
    createdBy: A,
    data: first,
    deleted: false,
    head: id(1),
    versions: [{ entryId: id(1), author: A, lamport: 3, time: 1_700_000_000_000, base: null, data: first }],
  };
  const edited = data(120);
  const twice: ExpenseState = {
    id: id(2),
    createdBy: B,
    data: edited,
    deleted: false,
    head: id(3),
    versions: [
      { entryId: id(2), author: B, lamport: 4, time: 5, base: null, data: data(110) },
      { entryId: id(3), author: A, lamport: 6, time: 7, base: id(2), data: edited },
    ],
  };
  const deleted = data(90);
  const gone: ExpenseState = {
    id: id(8),
    createdBy: A,
    data: deleted,
    deleted: true,
    head: id(9),
    versions: [
      { entryId: id(8), author: A, lamport: 8, time: 9, base: null, data: deleted },
      { entryId: id(9), author: A, lamport: 10, time: 11, base: id(8), data: null },
    ],
  };
  // A lone version that does not just repeat its expense is kept whole.
  const odd: ExpenseState = {
    ...plain,
    id: id(10),
    head: id(10),
    versions: [{ ...plain.versions[0]!, entryId: id(10), author: B }],
  };

  it('gives back exactly the expenses it was given, edited or not', () => {
    const s = { ...state(2), expenses: [plain, twice, gone, odd] };
    const row = encodeView(G, { state: s, sheets: [] }, digestOf(2, [{ author: A, seq: 2, id: id(1) }])!);
    const back = decodeView(G, row, 2, [{ author: A, seq: 2, id: id(1) }])!;
    expect(back.state).toEqual(s);
    // The never-edited expense is stored without its version object, which comes back sharing its data.
    expect(row.state.match(/"entryId"/g)).toHaveLength(5);
    expect(back.state.expenses[0]!.versions[0]!.data).toBe(back.state.expenses[0]!.data);
  });
});
