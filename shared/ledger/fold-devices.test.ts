import { beforeEach, describe, expect, it } from 'vitest';
import { computeBalances } from '../settle/balances';
import { linkEvent, type TestKey, testKey } from './device-testkit';
import { fold } from './fold';
import { IncrementalFold } from './fold-incremental';
import { equalExpense, TestLedger } from './fold-testkit';
import { stateHash } from './state-hash';
import type { GroupState, VerifiedEntry } from './types';

const alice = testKey(1); // the creator
const bo = testKey(2);
const chen = testKey(3);
const laptop = testKey(11); // Alice's second device
const phone = testKey(12); // Alice's third device
const boPad = testKey(21);
const A = alice.id;
const B = bo.id;
const C = chen.id;

let L: TestLedger;
const state = (): GroupState => fold(L.groupId, L.entries);
const codeOf = (s: GroupState, e: VerifiedEntry) => s.ignored.find((i) => i.entryId === e.id)?.code;
const balance = (s: GroupState, id: string) => computeBalances(s).get('CNY')!.get(id);
const add = (k: TestKey, event: Parameters<TestLedger['add']>[1]) => L.add(k.id, event);

beforeEach(() => {
  L = new TestLedger();
  L.add(A, { type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'Alice' });
  L.add(B, { type: 'member.joined', name: 'Bo' });
  L.add(C, { type: 'member.joined', name: 'Chen' });
});

describe('device.linked', () => {
  it('makes a self-published device write as its person: members, authors and balances per person', () => {
    add(laptop, linkEvent(alice, laptop, 'Laptop 2'));
    const e = add(laptop, { type: 'expense.created', expense: equalExpense(A, [A, B], 1000) });
    add(laptop, { type: 'chat.message', text: 'from the laptop' });
    const s = state();
    expect(s.ignored).toEqual([]);
    expect(s.members.map((m) => m.id).sort()).toEqual([A, B, C].sort());
    expect(s.expenses[0]).toMatchObject({ id: e.id, createdBy: A });
    expect(s.expenses[0]!.versions[0]!.author).toBe(A);
    expect(s.chat[0]!.author).toBe(A);
    expect(balance(s, A)).toBe(500);
    expect(balance(s, B)).toBe(-500);
    expect(computeBalances(s).get('CNY')!.has(laptop.id)).toBe(false);
    expect(s.devices).toEqual([
      {
        device: laptop.id,
        person: A,
        name: 'Laptop 2',
        created: 1_700_000_000_000,
        linkedBy: L.entries[3]!.id,
      },
    ]);
  });

  it('may be written by the person or another device of theirs', () => {
    add(alice, linkEvent(alice, laptop));
    add(laptop, linkEvent(alice, phone));
    const e = add(phone, { type: 'member.renamed', name: 'Alice W.' });
    const s = state();
    expect(codeOf(s, e)).toBeUndefined();
    expect(s.devices!.map((d) => d.device)).toEqual([laptop.id, phone.id]);
    expect(s.members.find((m) => m.id === A)!.name).toBe('Alice W.');
  });

  it('refuses a bad certificate, and the device stays a stranger', () => {
    const forged = { ...linkEvent(bo, laptop), person: A }; // Bo's signature, claiming Alice
    const link = add(laptop, forged);
    const e = add(laptop, { type: 'expense.created', expense: equalExpense(A, [A, B], 1000) });
    const s = state();
    expect(codeOf(s, link)).toBe('bad_certificate');
    expect(codeOf(s, e)).toBe('not_member');
    expect(s.expenses).toEqual([]);
    expect(s.devices).toEqual([]);
  });

  it('refuses a certificate whose name or time was changed after signing', () => {
    const renamed = add(laptop, { ...linkEvent(alice, laptop, 'Laptop'), name: 'Evil' });
    const retimed = add(phone, { ...linkEvent(alice, phone), created: 5 });
    const s = state();
    expect(codeOf(s, renamed)).toBe('bad_certificate');
    expect(codeOf(s, retimed)).toBe('bad_certificate');
  });

  it('refuses links by someone else, of a member key, twice, or after an unlink', () => {
    const byStranger = add(bo, linkEvent(alice, laptop));
    const memberKey = add(alice, linkEvent(alice, bo));
    add(laptop, linkEvent(alice, laptop));
    const twice = add(alice, linkEvent(alice, laptop));
    const taken = add(bo, linkEvent(bo, laptop));
    add(alice, { type: 'device.unlinked', device: laptop.id });
    const relink = add(alice, linkEvent(alice, laptop, undefined, 1_800_000_000_000));
    const s = state();
    expect(codeOf(s, byStranger)).toBe('not_device_owner');
    expect(codeOf(s, memberKey)).toBe('device_taken');
    expect(codeOf(s, twice)).toBe('already_linked');
    expect(codeOf(s, taken)).toBe('device_taken');
    expect(codeOf(s, relink)).toBe('relink_not_allowed');
  });

  it('lets a device create the group for its person, before the group exists', () => {
    const L2 = new TestLedger();
    L2.add(laptop.id, linkEvent(alice, laptop));
    L2.add(laptop.id, { type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'Alice' });
    const s = fold(L2.groupId, L2.entries);
    expect(s.ignored).toEqual([]);
    expect(s.createdBy).toBe(A);
    expect(s.members.map((m) => m.id)).toEqual([A]);
  });

  it('lets the person’s own key start its chain in a group their device created', () => {
    const L2 = new TestLedger();
    L2.add(laptop.id, linkEvent(alice, laptop));
    L2.add(laptop.id, { type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'Alice' });
    L2.add(A, { type: 'member.joined', name: 'Alice' });
    const e = L2.add(A, { type: 'chat.message', text: 'from the desk' });
    const twice = L2.add(A, { type: 'member.joined', name: 'Alice' });
    const s = fold(L2.groupId, L2.entries);
    expect(s.ignored.map((i) => [i.entryId, i.code])).toEqual([[twice.id, 'already_member']]);
    expect(s.chat.map((c) => [c.id, c.author])).toEqual([[e.id, A]]);
    expect(s.members).toHaveLength(1);
  });

  it('lets a device join for its person; until then the person writes nothing that counts', () => {
    const dave = testKey(4);
    const davePad = testKey(41);
    add(davePad, linkEvent(dave, davePad));
    const early = add(davePad, { type: 'chat.message', text: 'hello?' });
    add(davePad, { type: 'member.joined', name: 'Dave' });
    const later = add(davePad, { type: 'chat.message', text: 'hello!' });
    const s = state();
    expect(codeOf(s, early)).toBe('not_member');
    expect(codeOf(s, later)).toBeUndefined();
    expect(s.members.find((m) => m.id === dave.id)!.name).toBe('Dave');
    expect(s.members.some((m) => m.id === davePad.id)).toBe(false);
  });
});

describe('linking messages', () => {
  it('never count in a group (they belong in a link room)', () => {
    const request = add(alice, { type: 'link.request', device: laptop.id, name: 'Laptop' });
    const declined = add(alice, { type: 'link.declined', device: laptop.id });
    const s = state();
    expect(codeOf(s, request)).toBe('link_message');
    expect(codeOf(s, declined)).toBe('link_message');
    expect(s.devices).toEqual([]);
  });
});

describe('device.unlinked', () => {
  it('ignores the device from the unlink on and keeps what it wrote before', () => {
    add(laptop, linkEvent(alice, laptop));
    add(laptop, { type: 'expense.created', expense: equalExpense(A, [A, B], 1000) });
    const unlink = add(alice, { type: 'device.unlinked', device: laptop.id });
    const late = add(laptop, { type: 'expense.created', expense: equalExpense(A, [A, B], 9000) });
    const s = state();
    expect(s.expenses).toHaveLength(1);
    expect(balance(s, A)).toBe(500);
    expect(codeOf(s, late)).toBe('device_unlinked');
    expect(s.devices![0]!.unlinkedBy).toBe(unlink.id);
  });

  it('is the person’s to write (from any of their devices), nobody else’s', () => {
    add(laptop, linkEvent(alice, laptop));
    add(phone, linkEvent(alice, phone));
    add(boPad, linkEvent(bo, boPad));
    const byBo = add(bo, { type: 'device.unlinked', device: laptop.id });
    const byBoPad = add(boPad, { type: 'device.unlinked', device: phone.id });
    const unknown = add(alice, { type: 'device.unlinked', device: chen.id });
    const byPhone = add(phone, { type: 'device.unlinked', device: laptop.id });
    const again = add(alice, { type: 'device.unlinked', device: laptop.id });
    const s = state();
    expect(codeOf(s, byBo)).toBe('not_device_owner');
    expect(codeOf(s, byBoPad)).toBe('not_device_owner');
    expect(codeOf(s, unknown)).toBe('unknown_device');
    expect(codeOf(s, byPhone)).toBeUndefined();
    expect(codeOf(s, again)).toBe('device_unlinked');
    expect(s.devices!.find((d) => d.device === phone.id)!.unlinkedBy).toBeUndefined();
  });

  it('an unlinked device can no longer link others', () => {
    add(laptop, linkEvent(alice, laptop));
    add(alice, { type: 'device.unlinked', device: laptop.id });
    const link = add(laptop, linkEvent(alice, phone));
    expect(codeOf(state(), link)).toBe('device_unlinked');
  });
});

describe('"the author may do this" is decided per person', () => {
  beforeEach(() => {
    add(laptop, linkEvent(alice, laptop));
    add(phone, linkEvent(alice, phone));
  });

  it('red envelopes: the sender’s devices cannot open it; one person opens once; any device reclaims', () => {
    const env = add(alice, {
      type: 'envelope.created',
      amount: 1000,
      currency: 'CNY',
      count: 2,
      date: '2026-02-17',
    });
    const own = add(laptop, { type: 'envelope.opened', envelope: env.id });
    const env2 = add(bo, {
      type: 'envelope.created',
      amount: 900,
      currency: 'CNY',
      count: 2,
      date: '2026-02-17',
    });
    add(laptop, { type: 'envelope.opened', envelope: env2.id });
    const twice = add(phone, { type: 'envelope.opened', envelope: env2.id });
    const reclaim = add(phone, { type: 'envelope.reclaimed', envelope: env.id });
    const s = state();
    expect(codeOf(s, own)).toBe('envelope_own');
    expect(codeOf(s, twice)).toBe('envelope_already_opened');
    expect(codeOf(s, reclaim)).toBeUndefined();
    expect(s.redEnvelopes![1]!.claims.map((c) => c.member)).toEqual([A]);
  });

  it('removal: the creator’s device removes directly; a person approves once, whatever the device', () => {
    add(laptop, { type: 'member.removal_approved', member: B });
    const twice = add(phone, { type: 'member.removal_approved', member: B });
    const self = add(laptop, { type: 'member.removed', member: A });
    const removed = add(phone, { type: 'member.removed', member: C });
    const s = state();
    expect(codeOf(s, twice)).toBe('already_approved');
    expect(codeOf(s, self)).toBe('cannot_remove_self');
    expect(codeOf(s, removed)).toBeUndefined();
    expect(s.members.find((m) => m.id === C)!.status).toBe('removed');
    expect(s.removals![0]!.approvals).toEqual([A]);
  });

  it('hand-over: the receiver’s device accepts, the giver’s device cancels, not to oneself', () => {
    const toAlice = add(bo, { type: 'balance.handed_over', to: A, currency: 'CNY', amount: 300 });
    const accepted = add(laptop, { type: 'balance.handover_accepted', handover: toAlice.id });
    const fromAlice = add(phone, { type: 'balance.handed_over', to: C, currency: 'CNY', amount: -200 });
    const cancelled = add(laptop, { type: 'balance.handover_cancelled', handover: fromAlice.id });
    const toSelf = add(phone, { type: 'balance.handed_over', to: A, currency: 'CNY', amount: 5 });
    const s = state();
    expect(codeOf(s, accepted)).toBeUndefined();
    expect(codeOf(s, cancelled)).toBeUndefined();
    expect(codeOf(s, toSelf)).toBe('handover_to_self');
    expect(s.handovers!.map((h) => [h.from, h.status])).toEqual([
      [B, 'accepted'],
      [A, 'cancelled'],
    ]);
  });

  it('leaving from one device stops them all; joining again from a device is not a new member', () => {
    const join = add(laptop, { type: 'member.joined', name: 'Laptop' });
    add(phone, { type: 'member.left' });
    const late = add(laptop, { type: 'chat.message', text: 'still here?' });
    const s = state();
    expect(codeOf(s, join)).toBe('already_member');
    expect(codeOf(s, late)).toBe('author_departed');
    expect(s.members.find((m) => m.id === A)!.status).toBe('left');
  });

  it('a device of a removed person is ignored', () => {
    add(alice, { type: 'member.left' });
    const link = add(alice, linkEvent(alice, testKey(13)));
    const e = add(laptop, { type: 'chat.message', text: 'hi' });
    const s = state();
    expect(codeOf(s, link)).toBe('author_departed');
    expect(codeOf(s, e)).toBe('author_departed');
  });

  it('the incremental fold detaches the person when a device renames them', () => {
    const inc = new IncrementalFold(L.groupId);
    const before = inc.fold(L.entries);
    const hash = stateHash(before);
    add(laptop, { type: 'member.renamed', name: 'Ally' });
    const after = inc.fold(L.entries);
    expect(inc.counts.continued).toBe(1);
    expect(after.members.find((m) => m.id === A)!.name).toBe('Ally');
    expect(stateHash(before)).toBe(hash);
    expect(stateHash(after)).toBe(stateHash(state()));
  });
});
