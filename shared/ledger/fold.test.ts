import { beforeEach, describe, expect, it } from 'vitest';
import { fold } from './fold';
import { equalExpense, hexId, memberId, TestLedger } from './fold-testkit';
import type { GroupState, VerifiedEntry } from './types';

const A = memberId('alice');
const B = memberId('bo');
const C = memberId('chen');
const STRANGER = memberId('stranger');

let L: TestLedger;
const state = (entries: readonly VerifiedEntry[] = L.entries): GroupState => fold(L.groupId, entries);
const ignoredCodes = (s: GroupState) => s.ignored.map((i) => i.code);

/** A group of A, B and C (lamports 1–3). */
function flat(): void {
  L.add(A, { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Alice' });
  L.add(B, { type: 'member.joined', name: 'Bo' });
  L.add(C, { type: 'member.joined', name: 'Chen' });
}

beforeEach(() => {
  L = new TestLedger();
});

describe('group and members', () => {
  it('group.created sets the group and makes the author its first member', () => {
    const e = L.add(A, { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Alice' });
    const s = state();
    expect(s).toMatchObject({ groupId: L.groupId, name: 'Flat 3B', currency: 'CNY', createdBy: A });
    expect(s.members).toEqual([{ id: A, name: 'Alice', joinedBy: e.id, joinedAt: e.header.time }]);
    expect(s.ignored).toEqual([]);
    expect(s.entryCount).toBe(1);
    expect(s.maxLamport).toBe(1);
  });

  it('only the first group.created in total order counts, whatever the arrival order', () => {
    const second = L.add(
      A,
      { type: 'group.created', name: 'Late', currency: 'EUR', memberName: 'Alice' },
      { lamport: 2 },
    );
    const first = L.add(
      B,
      { type: 'group.created', name: 'Early', currency: 'CNY', memberName: 'Bo' },
      { lamport: 1 },
    );
    const s = state([second, first]);
    expect(s.name).toBe('Early');
    expect(s.createdBy).toBe(B);
    expect(s.members.map((m) => m.id)).toEqual([B]);
    expect(s.ignored).toEqual([
      { entryId: second.id, author: A, code: 'duplicate_group_created', message: expect.any(String) },
    ]);
  });

  it('ignores entries placed before the group exists', () => {
    const early = L.add(B, { type: 'member.joined', name: 'Bo' }, { lamport: 1 });
    L.add(A, { type: 'group.created', name: 'G', currency: 'CNY', memberName: 'Alice' }, { lamport: 2 });
    const s = state();
    expect(s.ignored).toMatchObject([{ entryId: early.id, code: 'no_group' }]);
    expect(s.members.map((m) => m.id)).toEqual([A]);
  });

  it('ignores a group.created with an unknown currency', () => {
    L.add(A, { type: 'group.created', name: 'G', currency: 'XYZ', memberName: 'Alice' });
    const s = state();
    expect(s.createdBy).toBeNull();
    expect(ignoredCodes(s)).toEqual(['unknown_currency']);
  });

  it('member.joined adds members (sorted by id), joining twice is ignored', () => {
    flat();
    const again = L.add(B, { type: 'member.joined', name: 'Bo again' });
    const s = state();
    expect(s.members.map((m) => m.id)).toEqual([A, B, C].sort());
    expect(s.members.find((m) => m.id === B)?.name).toBe('Bo');
    expect(s.ignored).toMatchObject([{ entryId: again.id, author: B, code: 'already_member' }]);
  });

  it('ignores events of non-members until they join', () => {
    flat();
    const before = L.add(STRANGER, { type: 'chat.message', text: 'hi' });
    L.add(STRANGER, { type: 'member.joined', name: 'Dana' });
    L.add(STRANGER, { type: 'chat.message', text: 'hi again' });
    const s = state();
    expect(s.ignored).toMatchObject([{ entryId: before.id, author: STRANGER, code: 'not_member' }]);
    expect(s.chat.map((m) => m.text)).toEqual(['hi again']);
  });

  it('applies renames and the default currency; rejects unknown currencies', () => {
    flat();
    L.add(B, { type: 'member.renamed', name: 'Bobo' });
    L.add(C, { type: 'group.renamed', name: 'Flat 4C' });
    L.add(A, { type: 'group.currency', currency: 'EUR' });
    L.add(A, { type: 'group.currency', currency: 'QQQ' });
    const s = state();
    expect(s.members.find((m) => m.id === B)?.name).toBe('Bobo');
    expect(s.name).toBe('Flat 4C');
    expect(s.currency).toBe('EUR');
    expect(ignoredCodes(s)).toEqual(['unknown_currency']);
  });

  it('ignores an event type it does not know (a newer client) instead of throwing', () => {
    flat();
    const real = L.add(A, { type: 'chat.message', text: 'x' });
    const future = {
      ...real,
      id: hexId('future'),
      event: { type: 'poll.created' },
    } as unknown as VerifiedEntry;
    const s = state([...L.entries.slice(0, -1), future]);
    expect(s.ignored).toMatchObject([{ entryId: future.id, code: 'unknown_event' }]);
  });

  it('ignores entries of another group and counts a duplicated entry once', () => {
    flat();
    const other = new TestLedger(hexId('other').slice(0, 32));
    const foreign = other.add(A, { type: 'group.renamed', name: 'Hijack' }, { lamport: 10 });
    const s = state([...L.entries, L.entries[1]!, foreign]);
    expect(s.name).toBe('Flat 3B');
    expect(s.ignored).toMatchObject([{ entryId: foreign.id, code: 'wrong_group' }]);
    expect(s.entryCount).toBe(4);
    expect(s.maxLamport).toBe(10);
  });
});

describe('expenses', () => {
  beforeEach(flat);

  it('expense.created adds an expense whose id and head are the entry id', () => {
    const e = L.add(B, { type: 'expense.created', expense: equalExpense(B, [A, B, C], 18240) });
    const s = state();
    expect(s.expenses).toHaveLength(1);
    const x = s.expenses[0]!;
    expect(x).toMatchObject({ id: e.id, createdBy: B, deleted: false, head: e.id });
    expect(x.data).toMatchObject({ amount: 18240, category: 'general', currency: 'CNY' });
    expect(x.versions).toEqual([
      { entryId: e.id, author: B, lamport: e.header.lamport, time: e.header.time, base: null, data: x.data },
    ]);
  });

  it('ignores expenses naming non-members as payer or in the split', () => {
    L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, STRANGER], 100) });
    L.add(A, { type: 'expense.created', expense: equalExpense(STRANGER, [A, B], 100) });
    L.add(A, {
      type: 'expense.created',
      expense: {
        ...equalExpense(A, [A], 100),
        split: { mode: 'shares', weights: { [A]: 1, [STRANGER]: 1 } },
      },
    });
    const s = state();
    expect(s.expenses).toEqual([]);
    expect(ignoredCodes(s)).toEqual(['unknown_member', 'unknown_member', 'unknown_member']);
  });

  it('ignores expenses whose payers or split do not add up, naming the money error', () => {
    L.add(A, {
      type: 'expense.created',
      expense: { ...equalExpense(A, [A, B], 100), payers: [{ member: A, amount: 90 }] },
    });
    L.add(A, {
      type: 'expense.created',
      expense: { ...equalExpense(A, [A, B], 100), split: { mode: 'exact', amounts: { [A]: 50, [B]: 40 } } },
    });
    L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B], 100, { currency: 'ABC' }) });
    const s = state();
    expect(s.expenses).toEqual([]);
    expect(ignoredCodes(s)).toEqual(['invalid_split', 'invalid_split', 'unknown_currency']);
    expect(s.ignored[0]!.message).toContain('payers_mismatch');
    expect(s.ignored[1]!.message).toContain('exact_mismatch');
  });

  it('applies sequential updates: new data, new head, versions in order, no conflict', () => {
    const c = L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B], 100) });
    const u1 = L.add(B, {
      type: 'expense.updated',
      expense: c.id,
      base: c.id,
      data: equalExpense(A, [A, B], 120),
    });
    const u2 = L.add(C, {
      type: 'expense.updated',
      expense: c.id,
      base: u1.id,
      data: equalExpense(A, [A, B, C], 150),
    });
    const s = state();
    const x = s.expenses[0]!;
    expect(x.head).toBe(u2.id);
    expect(x.data.amount).toBe(150);
    expect(x.versions.map((v) => [v.entryId, v.base, v.author])).toEqual([
      [c.id, null, A],
      [u1.id, c.id, B],
      [u2.id, u1.id, C],
    ]);
    expect(s.conflicts).toEqual([]);
  });

  it('ignores updates with invalid data without adding a version', () => {
    const c = L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B], 100) });
    L.add(B, {
      type: 'expense.updated',
      expense: c.id,
      base: c.id,
      data: equalExpense(A, [A, STRANGER], 100),
    });
    const s = state();
    expect(s.expenses[0]!.versions).toHaveLength(1);
    expect(ignoredCodes(s)).toEqual(['unknown_member']);
  });

  it('ignores changes to unknown expenses and changes on a base that is not a version of the expense', () => {
    const x = L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B], 100) });
    const y = L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B], 200) });
    L.add(B, { type: 'expense.updated', expense: hexId('nope'), base: x.id, data: equalExpense(A, [A], 1) });
    L.add(B, { type: 'expense.updated', expense: x.id, base: y.id, data: equalExpense(A, [A], 1) });
    L.add(B, { type: 'expense.deleted', expense: x.id, base: hexId('nope') });
    const s = state();
    expect(ignoredCodes(s)).toEqual(['unknown_expense', 'unknown_base', 'unknown_base']);
    expect(s.expenses.map((e) => e.versions.length)).toEqual([1, 1]);
  });

  it('a base that only comes later in total order is unknown at that point', () => {
    const c = L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B], 100) }, { lamport: 10 });
    const bad = L.add(B, { type: 'expense.deleted', expense: c.id, base: c.id }, { lamport: 5 });
    const s = state();
    expect(s.ignored).toMatchObject([{ entryId: bad.id, code: 'unknown_expense' }]);
    expect(s.expenses[0]!.deleted).toBe(false);
  });

  it('deletes keep the last data; deleting again is ignored; an update on the delete restores', () => {
    const c = L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B], 100) });
    const d = L.add(B, { type: 'expense.deleted', expense: c.id, base: c.id });
    L.add(C, { type: 'expense.deleted', expense: c.id, base: d.id });
    let s = state();
    expect(s.expenses[0]).toMatchObject({ deleted: true, head: d.id, data: { amount: 100 } });
    expect(s.expenses[0]!.versions[1]!.data).toBeNull();
    expect(ignoredCodes(s)).toEqual(['already_deleted']);
    const r = L.add(A, {
      type: 'expense.updated',
      expense: c.id,
      base: d.id,
      data: equalExpense(A, [A, B], 90),
    });
    s = state();
    expect(s.expenses[0]).toMatchObject({ deleted: false, head: r.id, data: { amount: 90 } });
    expect(s.conflicts).toEqual([]);
  });
});

describe('expenses: remembered checks and long histories', () => {
  beforeEach(flat);

  it('checks the members again for a member set it has not checked the data against', () => {
    const x = L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, C], 100) });
    expect(state().expenses.map((e) => e.id)).toEqual([x.id]);
    // The same entry (and so the same data object) where C never joined: C is a stranger there.
    const withoutC = L.entries.filter((e) => e.header.author !== C);
    expect(ignoredCodes(state(withoutC))).toEqual(['unknown_member']);
    expect(state().expenses.map((e) => e.id)).toEqual([x.id]);
  });

  it('finds old bases of an expense with many versions, and refuses ids that are not among them', () => {
    const c = L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B], 100) });
    const versions = [c];
    for (let i = 1; i <= 11; i++) {
      const base = versions[versions.length - 1]!.id;
      versions.push(
        L.add(B, { type: 'expense.updated', expense: c.id, base, data: equalExpense(A, [A, B], 100 + i) }),
      );
    }
    const other = L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B], 7) });
    const stale = L.add(C, {
      type: 'expense.updated',
      expense: c.id,
      base: versions[3]!.id,
      data: equalExpense(A, [A, B], 99),
    });
    L.add(C, { type: 'expense.deleted', expense: c.id, base: other.id });
    const s = state();
    expect(s.expenses[0]!.versions).toHaveLength(13);
    expect(s.conflicts).toMatchObject([{ base: versions[3]!.id, winner: stale.id, kind: 'update-update' }]);
    expect(ignoredCodes(s)).toEqual(['unknown_base']);
  });
});

describe('conflicts', () => {
  let created: VerifiedEntry;
  beforeEach(() => {
    flat();
    created = L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B, C], 300) }); // lamport 4
  });
  /** Two operations made on the creation at the same lamport, without seeing each other. */
  const concurrent = (first: VerifiedEntry, second: VerifiedEntry) =>
    [first, second].sort((x, y) => (x.header.author < y.header.author ? -1 : 1));

  it('update-update: both kept, the later in total order wins, listed as an open conflict', () => {
    const ub = L.add(
      B,
      {
        type: 'expense.updated',
        expense: created.id,
        base: created.id,
        data: equalExpense(A, [A, B, C], 310),
      },
      { lamport: 5 },
    );
    const uc = L.add(
      C,
      {
        type: 'expense.updated',
        expense: created.id,
        base: created.id,
        data: equalExpense(A, [A, B, C], 320),
      },
      { lamport: 5 },
    );
    const [first, last] = concurrent(ub, uc);
    const s = state();
    const x = s.expenses[0]!;
    expect(x.head).toBe(last!.id);
    expect(x.data).toEqual((last!.event as { data: unknown }).data);
    expect(x.versions.map((v) => v.entryId)).toEqual([created.id, first!.id, last!.id]);
    expect(s.conflicts).toEqual([
      {
        expense: created.id,
        kind: 'update-update',
        base: created.id,
        versions: [first!.id, last!.id],
        winner: last!.id,
        resolved: false,
      },
    ]);
    expect(s.ignored).toEqual([]);
  });

  it('update-delete: the delete wins when it is later in total order', () => {
    const u = L.add(
      B,
      {
        type: 'expense.updated',
        expense: created.id,
        base: created.id,
        data: equalExpense(A, [A, B, C], 310),
      },
      { lamport: 5 },
    );
    const d = L.add(C, { type: 'expense.deleted', expense: created.id, base: created.id }, { lamport: 6 });
    const s = state();
    expect(s.expenses[0]).toMatchObject({ deleted: true, head: d.id, data: { amount: 310 } });
    expect(s.conflicts).toMatchObject([
      { kind: 'update-delete', versions: [u.id, d.id], winner: d.id, resolved: false },
    ]);
  });

  it('update-delete: the update wins (the expense comes back) when it is later in total order', () => {
    const d = L.add(C, { type: 'expense.deleted', expense: created.id, base: created.id }, { lamport: 5 });
    const u = L.add(
      B,
      {
        type: 'expense.updated',
        expense: created.id,
        base: created.id,
        data: equalExpense(A, [A, B, C], 310),
      },
      { lamport: 6 },
    );
    const s = state();
    expect(s.expenses[0]).toMatchObject({ deleted: false, head: u.id, data: { amount: 310 } });
    expect(s.conflicts).toMatchObject([{ kind: 'update-delete', versions: [d.id, u.id], winner: u.id }]);
  });

  it('delete-delete: stays deleted, listed as a conflict rather than ignored', () => {
    const d1 = L.add(B, { type: 'expense.deleted', expense: created.id, base: created.id }, { lamport: 5 });
    const d2 = L.add(C, { type: 'expense.deleted', expense: created.id, base: created.id }, { lamport: 5 });
    const [first, last] = concurrent(d1, d2);
    const s = state();
    expect(s.expenses[0]!.deleted).toBe(true);
    expect(s.conflicts).toMatchObject([
      { kind: 'delete-delete', versions: [first!.id, last!.id], winner: last!.id },
    ]);
    expect(s.ignored).toEqual([]);
  });

  it('a third operation on the same base joins the open conflict', () => {
    const u1 = L.add(
      B,
      {
        type: 'expense.updated',
        expense: created.id,
        base: created.id,
        data: equalExpense(A, [A, B, C], 310),
      },
      { lamport: 5 },
    );
    const u2 = L.add(
      C,
      {
        type: 'expense.updated',
        expense: created.id,
        base: created.id,
        data: equalExpense(A, [A, B, C], 320),
      },
      { lamport: 6 },
    );
    const d = L.add(A, { type: 'expense.deleted', expense: created.id, base: created.id }, { lamport: 7 });
    const s = state();
    expect(s.conflicts).toEqual([
      {
        expense: created.id,
        kind: 'update-delete',
        base: created.id,
        versions: [u1.id, u2.id, d.id],
        winner: d.id,
        resolved: false,
      },
    ]);
  });

  it('is resolved by an operation on the head after the conflict, not by another stale one', () => {
    const u1 = L.add(
      B,
      {
        type: 'expense.updated',
        expense: created.id,
        base: created.id,
        data: equalExpense(A, [A, B, C], 310),
      },
      { lamport: 5 },
    );
    const u2 = L.add(
      C,
      {
        type: 'expense.updated',
        expense: created.id,
        base: created.id,
        data: equalExpense(A, [A, B, C], 320),
      },
      { lamport: 6 },
    );
    L.add(
      A,
      { type: 'expense.updated', expense: created.id, base: u1.id, data: equalExpense(A, [A, B, C], 330) },
      { lamport: 7 },
    );
    let s = state();
    expect(s.conflicts.map((c) => [c.base, c.resolved])).toEqual([
      [created.id, false],
      [u1.id, false],
    ]);
    const keep = L.add(B, {
      type: 'expense.updated',
      expense: created.id,
      base: s.expenses[0]!.head,
      data: equalExpense(A, [A, B, C], 320),
    });
    s = state();
    expect(s.conflicts.every((c) => c.resolved)).toBe(true);
    expect(s.expenses[0]!.head).toBe(keep.id);
    expect(u2.id).not.toBe(keep.id);
  });

  it('gives the same state whatever order the concurrent operations arrive in', () => {
    L.add(
      B,
      {
        type: 'expense.updated',
        expense: created.id,
        base: created.id,
        data: equalExpense(A, [A, B, C], 310),
      },
      { lamport: 5 },
    );
    L.add(C, { type: 'expense.deleted', expense: created.id, base: created.id }, { lamport: 5 });
    L.add(
      A,
      { type: 'expense.updated', expense: created.id, base: created.id, data: equalExpense(A, [A, B], 330) },
      { lamport: 5 },
    );
    expect(state([...L.entries].reverse())).toEqual(state());
  });
});
