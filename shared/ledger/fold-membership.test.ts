import { beforeEach, describe, expect, it } from 'vitest';
import { computeBalances } from '../settle/balances';
import { fold } from './fold';
import { IncrementalFold } from './fold-incremental';
import { equalExpense, memberId, TestLedger } from './fold-testkit';
import { stateHash } from './state-hash';
import type { GroupState, VerifiedEntry } from './types';

const A = memberId('alice'); // the creator
const B = memberId('bo');
const C = memberId('chen');
const D = memberId('dana');
const X25519 = 'ab'.repeat(32);

let L: TestLedger;
const state = (entries: readonly VerifiedEntry[] = L.entries): GroupState => fold(L.groupId, entries);
const ignored = (s: GroupState) => s.ignored.map((i) => i.code);
const member = (s: GroupState, id: string) => s.members.find((m) => m.id === id)!;
const balance = (s: GroupState, id: string) => computeBalances(s).get('CNY')!.get(id);

function group(...others: string[]): void {
  L.add(A, { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Alice' });
  for (const id of others) L.add(id, { type: 'member.joined', name: id.slice(0, 4) });
}

beforeEach(() => {
  L = new TestLedger();
});

describe('joins carry an optional X25519 key', () => {
  it('keeps the key of group.created and member.joined, and joins without one stay valid', () => {
    L.add(A, { type: 'group.created', name: 'G', currency: 'CNY', memberName: 'A', x25519: X25519 });
    L.add(B, { type: 'member.joined', name: 'B', x25519: 'cd'.repeat(32) });
    L.add(C, { type: 'member.joined', name: 'C' });
    const s = state();
    expect(s.ignored).toEqual([]);
    expect(member(s, A).x25519).toBe(X25519);
    expect(member(s, B).x25519).toBe('cd'.repeat(32));
    expect(member(s, C).x25519).toBeUndefined();
  });

  it('refuses a malformed key in the schema', () => {
    expect(() => L.add(B, { type: 'member.joined', name: 'B', x25519: 'AB'.repeat(32) })).toThrow();
    expect(() => L.add(B, { type: 'member.joined', name: 'B', x25519: 'ab' })).toThrow();
  });
});

describe('leaving', () => {
  it('marks the member left; their later entries are ignored, their history keeps counting', () => {
    group(B, C);
    L.add(B, { type: 'expense.created', expense: equalExpense(B, [A, B, C], 3000) });
    const left = L.add(B, { type: 'member.left' });
    L.add(B, { type: 'expense.created', expense: equalExpense(B, [B, C], 500) });
    L.add(B, { type: 'chat.message', text: 'still here?' });
    const s = state();
    expect(member(s, B)).toMatchObject({ status: 'left', departedBy: left.id });
    expect(ignored(s)).toEqual(['author_departed', 'author_departed']);
    expect(s.expenses).toHaveLength(1);
    expect(s.chat).toEqual([]);
    expect(balance(s, B)).toBe(2000);
  });

  it('ignores new expenses, rules and requests naming a departed member, but not payments', () => {
    group(B, C);
    L.add(C, { type: 'member.left' });
    L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, C], 1000) });
    L.add(A, {
      type: 'recurring.created',
      schedule: { freq: 'weekly', start: '2025-01-01', interval: 1 },
      template: { ...withoutDate(equalExpense(A, [A, C], 1000)), category: 'general' },
    });
    L.add(A, { type: 'request.created', from: C, to: A, amount: 100, currency: 'CNY' });
    L.add(A, { type: 'payment.recorded', from: C, to: A, amount: 100, currency: 'CNY', date: '2025-03-02' });
    const s = state();
    expect(ignored(s)).toEqual(['departed_member', 'departed_member', 'departed_member']);
    expect(s.payments).toHaveLength(1);
  });

  it('lets an edit keep naming a departed member the edited version named, but not add one', () => {
    group(B, C, D);
    const x = L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B, C], 3000) });
    L.add(B, { type: 'member.left' });
    L.add(D, { type: 'member.left' });
    const fix = L.add(A, {
      type: 'expense.updated',
      expense: x.id,
      base: x.id,
      data: equalExpense(A, [A, B, C], 3300, { description: 'Groceries and bread' }),
    });
    L.add(A, {
      type: 'expense.updated',
      expense: x.id,
      base: fix.id,
      data: equalExpense(A, [A, B, C, D], 3300),
    });
    const s = state();
    expect(ignored(s)).toEqual(['departed_member']);
    expect(s.expenses[0]!.data.amount).toBe(3300);
    expect(s.expenses[0]!.head).toBe(fix.id);
  });

  it('re-checks an expense found valid by an earlier fold once a departure sorts before it', () => {
    group(B, C);
    const lamport = L.lamport;
    const x = L.add(
      A,
      { type: 'expense.created', expense: equalExpense(A, [A, C], 1000) },
      { lamport: lamport + 2 },
    );
    expect(state().expenses).toHaveLength(1);
    // C left before, on a device that synced late: the same expense data now names a departed member.
    L.add(C, { type: 'member.left' }, { lamport: lamport + 1 });
    const s = state();
    expect(s.expenses).toEqual([]);
    expect(s.ignored).toEqual([expect.objectContaining({ entryId: x.id, code: 'departed_member' })]);
  });

  it('does not let a departed member join again', () => {
    group(B);
    L.add(B, { type: 'member.left' });
    L.add(B, { type: 'member.joined', name: 'Bo again' });
    const s = state();
    expect(ignored(s)).toEqual(['rejoin_not_allowed']);
    expect(member(s, B).status).toBe('left');
  });
});

describe('removal', () => {
  it('lets the creator remove anyone but themself, at once', () => {
    group(B, C);
    const removed = L.add(A, { type: 'member.removed', member: B });
    L.add(A, { type: 'member.removed', member: A });
    L.add(A, { type: 'member.removed', member: B });
    L.add(A, { type: 'member.removed', member: D });
    L.add(B, { type: 'chat.message', text: 'hey' });
    const s = state();
    expect(member(s, B)).toMatchObject({ status: 'removed', departedBy: removed.id });
    expect(ignored(s)).toEqual([
      'cannot_remove_self',
      'departed_member',
      'unknown_member',
      'author_departed',
    ]);
  });

  it('does not let anyone else remove directly', () => {
    group(B, C);
    L.add(B, { type: 'member.removed', member: C });
    const s = state();
    expect(ignored(s)).toEqual(['removal_not_allowed']);
    expect(member(s, C).status).toBeUndefined();
  });

  it('removes on the approval that makes a strict majority of the other active members', () => {
    group(B, C, D);
    // Voters for removing A (the creator): B, C, D; two approvals are a majority.
    L.add(B, { type: 'member.removal_approved', member: A });
    L.add(B, { type: 'member.removal_approved', member: A });
    const one = state();
    expect(member(one, A).status).toBeUndefined();
    expect(one.removals).toEqual([{ member: A, approvals: [B], status: 'open' }]);
    const deciding = L.add(C, { type: 'member.removal_approved', member: A });
    L.add(A, { type: 'member.removed', member: B });
    const s = state();
    expect(member(s, A)).toMatchObject({ status: 'removed', departedBy: deciding.id });
    expect(s.removals).toEqual([{ member: A, approvals: [B, C], status: 'removed' }]);
    expect(ignored(s)).toEqual(['already_approved', 'author_departed']);
    expect(member(s, B).status).toBeUndefined();
  });

  it('ignores approving one’s own removal, or that of a departed or unknown member', () => {
    group(B, C);
    L.add(C, { type: 'member.left' });
    L.add(B, { type: 'member.removal_approved', member: B });
    L.add(B, { type: 'member.removal_approved', member: C });
    L.add(B, { type: 'member.removal_approved', member: D });
    expect(ignored(state())).toEqual(['cannot_remove_self', 'departed_member', 'unknown_member']);
  });

  it('completes a removal when a departure leaves its approvals a majority; departed approvals stop counting', () => {
    group(B, C, D);
    // Removing D: voters A, B, C; B alone is not enough.
    L.add(B, { type: 'member.removal_approved', member: D });
    const bLeaves = L.add(C, { type: 'member.left' });
    // Voters A, B: one approval of two is still not a strict majority.
    expect(member(state(), D).status).toBeUndefined();
    const aLeaves = L.add(A, { type: 'member.left' });
    // Voter B alone approved: D is removed at A's departure.
    const s = state();
    expect(member(s, C)).toMatchObject({ status: 'left', departedBy: bLeaves.id });
    expect(member(s, D)).toMatchObject({ status: 'removed', departedBy: aLeaves.id });
    expect(s.removals).toEqual([{ member: D, approvals: [B], status: 'removed' }]);
  });

  it('closes a removal as left when its target leaves first', () => {
    group(B, C);
    L.add(B, { type: 'member.removal_approved', member: C });
    L.add(C, { type: 'member.left' });
    expect(state().removals).toEqual([{ member: C, approvals: [B], status: 'left' }]);
  });

  it('resolves concurrent removals by total order: the one ordered first wins', () => {
    group(B, C);
    const lamport = L.lamport;
    // The creator removes B while B (offline, same lamport) writes an expense: B's author id
    // decides the order.
    L.add(A, { type: 'member.removed', member: B }, { lamport: lamport + 1 });
    L.add(B, { type: 'expense.created', expense: equalExpense(B, [B, C], 100) }, { lamport: lamport + 1 });
    const s = state();
    const bFirst = B < A;
    expect(s.expenses).toHaveLength(bFirst ? 1 : 0);
    expect(ignored(s)).toEqual(bFirst ? [] : ['author_departed']);
  });
});

describe('balance hand-over', () => {
  function withDebt(): void {
    group(B, C);
    // B owes A 1000.
    L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B], 2000) });
  }

  it('counts only once the receiver accepts, then moves the debt', () => {
    withDebt();
    const h = L.add(B, { type: 'balance.handed_over', to: C, currency: 'CNY', amount: -1000 });
    const pending = state();
    expect(pending.handovers).toEqual([
      expect.objectContaining({ id: h.id, from: B, to: C, amount: -1000, status: 'pending' }),
    ]);
    expect(balance(pending, B)).toBe(-1000);
    L.add(B, { type: 'member.left' });
    const ok = L.add(C, { type: 'balance.handover_accepted', handover: h.id });
    const s = state();
    expect(s.handovers![0]).toMatchObject({ status: 'accepted', settledBy: ok.id });
    expect(balance(s, B)).toBe(0);
    expect(balance(s, C)).toBe(-1000);
    expect(balance(s, A)).toBe(1000);
  });

  it('moves a credit the other way', () => {
    withDebt();
    const h = L.add(A, { type: 'balance.handed_over', to: C, currency: 'CNY', amount: 400 });
    L.add(C, { type: 'balance.handover_accepted', handover: h.id });
    const s = state();
    expect([balance(s, A), balance(s, B), balance(s, C)]).toEqual([600, -1000, 400]);
  });

  it('ignores acceptance by anyone but the receiver, twice, after a cancel, or of nothing', () => {
    withDebt();
    const h = L.add(B, { type: 'balance.handed_over', to: C, currency: 'CNY', amount: -1000 });
    L.add(A, { type: 'balance.handover_accepted', handover: h.id });
    L.add(A, { type: 'balance.handover_cancelled', handover: h.id });
    L.add(C, { type: 'balance.handover_cancelled', handover: h.id });
    L.add(C, { type: 'balance.handover_accepted', handover: h.id });
    L.add(C, { type: 'balance.handover_accepted', handover: A });
    const s = state();
    expect(ignored(s)).toEqual([
      'not_handover_receiver',
      'not_handover_party',
      'handover_not_pending',
      'unknown_handover',
    ]);
    expect(s.handovers![0]!.status).toBe('cancelled');
    expect(balance(s, B)).toBe(-1000);
  });

  it('ignores a hand-over to oneself, to a departed member, or in an unknown currency', () => {
    withDebt();
    L.add(C, { type: 'member.left' });
    L.add(B, { type: 'balance.handed_over', to: B, currency: 'CNY', amount: 5 });
    L.add(B, { type: 'balance.handed_over', to: C, currency: 'CNY', amount: 5 });
    L.add(B, { type: 'balance.handed_over', to: A, currency: 'ZZZ', amount: 5 });
    expect(ignored(state())).toEqual(['handover_to_self', 'departed_member', 'unknown_currency']);
    expect(() => L.add(B, { type: 'balance.handed_over', to: A, currency: 'CNY', amount: 0 })).toThrow();
  });
});

describe('incremental fold', () => {
  it('gives the states of a full fold at every step, and never changes a state it handed out', () => {
    group(B, C, D);
    L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B, C, D], 4000) });
    const h = L.add(B, { type: 'balance.handed_over', to: C, currency: 'CNY', amount: -1000 });
    L.add(C, { type: 'member.removal_approved', member: D });
    L.add(B, { type: 'member.renamed', name: 'Bo B.' });
    L.add(C, { type: 'balance.handover_accepted', handover: h.id });
    L.add(B, { type: 'member.left' });
    L.add(A, { type: 'member.removal_approved', member: D });
    L.add(D, { type: 'chat.message', text: 'too late' });
    const inc = new IncrementalFold(L.groupId);
    const seen: { state: GroupState; hash: string }[] = [];
    for (let i = 1; i <= L.entries.length; i++) {
      const s = inc.fold(L.entries.slice(0, i));
      expect(stateHash(s)).toBe(stateHash(state(L.entries.slice(0, i))));
      seen.push({ state: s, hash: stateHash(s) });
    }
    for (const { state: s, hash } of seen) expect(stateHash(s)).toBe(hash);
    expect(inc.counts.full).toBe(1);
    const last = seen[seen.length - 1]!.state;
    expect(member(last, D).status).toBe('removed');
    expect(member(last, B).status).toBe('left');
  });
});

function withoutDate<T extends { date?: string }>(x: T): Omit<T, 'date'> {
  const { date: _date, ...rest } = x;
  return rest;
}
