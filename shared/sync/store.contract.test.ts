/**
 * One contract, two stores: MemoryStore and DexieStore (on fake-indexeddb, passed in
 * rather than installed globally) must behave identically.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { WalletError } from '../errors';
import { generateDeviceKey } from '../crypto/device-key';
import { AtRestKeyring } from './dexie-at-rest';
import { DexieStore } from './dexie-store';
import { MemoryStore } from './memory-store';
import type { Store } from './store';
import { AUTHOR_A, AUTHOR_B, fakeEntry, fakeGroup, fakeId, GROUP_1, GROUP_2 } from './store-fixtures';

const makers: [string, () => Promise<Store>][] = [
  ['MemoryStore', async () => new MemoryStore()],
  ['DexieStore', () => new DexieStore({ name: 'contract', indexedDB: new IDBFactory(), IDBKeyRange }).open()],
  [
    'DexieStore sealed at rest',
    () => {
      const atRest = new AtRestKeyring();
      atRest.unlock(generateDeviceKey());
      return new DexieStore({ name: 'contract', indexedDB: new IDBFactory(), IDBKeyRange, atRest }).open();
    },
  ],
];

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WalletError) return e.code;
    throw e;
  }
  throw new Error('expected a WalletError');
}

describe.each(makers)('%s contract', (_name, make) => {
  let store: Store;
  afterEach(async () => {
    await store?.close();
  });

  describe('groups', () => {
    it('puts, gets, lists by creation time and updates', async () => {
      store = await make();
      await store.putGroup(fakeGroup({ id: GROUP_2, createdAt: 50, name: 'Trip' }));
      await store.putGroup(fakeGroup());
      expect((await store.listGroups()).map((g) => g.name)).toEqual(['Trip', 'Flat 3B']);
      const got = await store.getGroup(GROUP_1);
      expect(got?.groupKey).toEqual(new Uint8Array(32).fill(9));
      const updated = await store.updateGroup(GROUP_1, { lastSyncedAt: 500, name: 'Flat 3C' });
      expect(updated).toMatchObject({ id: GROUP_1, lastSyncedAt: 500, name: 'Flat 3C', createdAt: 100 });
      expect(await store.getGroup(GROUP_1)).toEqual(updated);
      expect(await store.getGroup('f'.repeat(32))).toBeUndefined();
    });

    it('refuses to update an unknown group', async () => {
      store = await make();
      expect(await codeOf(store.updateGroup(GROUP_1, { name: 'x' }))).toBe('store_unknown_group');
      expect(await store.listGroups()).toEqual([]);
    });

    it('deletes a group with everything kept for it, and nothing of other groups', async () => {
      store = await make();
      await store.putGroup(fakeGroup());
      await store.putGroup(fakeGroup({ id: GROUP_2 }));
      for (const g of [GROUP_1, GROUP_2]) {
        await store.appendEntries(g, [fakeEntry({ groupId: g, author: AUTHOR_A, seq: 1, lamport: 1 })]);
        await store.addPending([{ groupId: g, id: fakeId(), bytes: new Uint8Array([1]), receivedAt: 1 }]);
        await store.addRejected([
          { groupId: g, id: null, code: 'malformed', message: 'm', bytesHash: 'h', receivedAt: 1 },
        ]);
        await store.putDocState(g, new Uint8Array([1, 2]));
        await store.appendDocUpdate(g, new Uint8Array([3]));
      }
      await store.deleteGroup(GROUP_1);
      expect(await store.getGroup(GROUP_1)).toBeUndefined();
      expect(await store.listEntries(GROUP_1)).toEqual([]);
      expect(await store.heads(GROUP_1)).toEqual([]);
      expect(await store.listPending(GROUP_1)).toEqual([]);
      expect(await store.listRejected(GROUP_1)).toEqual([]);
      expect(await store.getDocUpdates(GROUP_1)).toEqual([]);
      expect(await store.countEntries(GROUP_2)).toBe(1);
      expect(await store.heads(GROUP_2)).toHaveLength(1);
      expect(await store.listPending(GROUP_2)).toHaveLength(1);
      expect(await store.listRejected(GROUP_2)).toHaveLength(1);
      expect(await store.getDocUpdates(GROUP_2)).toEqual([new Uint8Array([1, 2]), new Uint8Array([3])]);
    });
  });

  it('keeps one identity with opaque (possibly wrapped) secret bytes', async () => {
    store = await make();
    expect(await store.getIdentity()).toBeUndefined();
    const id = {
      publicKey: new Uint8Array(32).fill(1),
      secretKey: new Uint8Array(48).fill(2),
      wrapped: true,
      createdAt: 5,
    };
    await store.putIdentity(id);
    expect(await store.getIdentity()).toEqual(id);
    await store.putIdentity({ ...id, wrapped: false, secretKey: new Uint8Array(32).fill(3) });
    expect(await store.getIdentity()).toMatchObject({
      wrapped: false,
      secretKey: new Uint8Array(32).fill(3),
    });
  });

  describe('entries', () => {
    it('lists in (lamport, author, seq) order whatever the insertion order, and counts', async () => {
      store = await make();
      const a1 = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1 });
      const b1 = fakeEntry({ author: AUTHOR_B, seq: 1, lamport: 1 });
      const b2 = fakeEntry({ author: AUTHOR_B, seq: 2, lamport: 2 });
      const a2 = fakeEntry({ author: AUTHOR_A, seq: 2, lamport: 3 });
      expect(await store.appendEntries(GROUP_1, [a2, b2])).toBe(2);
      expect(await store.appendEntries(GROUP_1, [b1, a1])).toBe(2);
      expect((await store.listEntries(GROUP_1)).map((e) => e.id)).toEqual([a1.id, b1.id, b2.id, a2.id]);
      expect(await store.getEntry(b2.id)).toEqual(b2);
      expect(await store.getEntry(fakeId())).toBeUndefined();
      expect(await store.countEntries(GROUP_1)).toBe(4);
      expect(await store.countEntries(GROUP_2)).toBe(0);
    });

    it('skips entries it already has (in the store or twice in one batch)', async () => {
      store = await make();
      const a1 = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1 });
      const a2 = fakeEntry({ author: AUTHOR_A, seq: 2, lamport: 2 });
      expect(await store.appendEntries(GROUP_1, [a1])).toBe(1);
      expect(await store.appendEntries(GROUP_1, [a1, a2, a2])).toBe(1);
      expect(await store.countEntries(GROUP_1)).toBe(2);
    });

    it('moves each author head to its highest seq, and reports the highest lamport', async () => {
      store = await make();
      expect(await store.maxLamport(GROUP_1)).toBe(0);
      const a1 = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1 });
      const a2 = fakeEntry({ author: AUTHOR_A, seq: 2, lamport: 6 });
      const b1 = fakeEntry({ author: AUTHOR_B, seq: 1, lamport: 4 });
      await store.appendEntries(GROUP_1, [a2, b1, a1]);
      expect(await store.heads(GROUP_1)).toEqual([
        { groupId: GROUP_1, author: AUTHOR_A, seq: 2, id: a2.id, lamport: 6 },
        { groupId: GROUP_1, author: AUTHOR_B, seq: 1, id: b1.id, lamport: 4 },
      ]);
      expect(await store.maxLamport(GROUP_1)).toBe(6);
      expect(await store.heads(GROUP_2)).toEqual([]);
    });

    it('refuses an entry of another group and writes none of the batch', async () => {
      store = await make();
      const ok = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1 });
      const stray = fakeEntry({ author: AUTHOR_B, seq: 1, lamport: 1, groupId: GROUP_2 });
      expect(await codeOf(store.appendEntries(GROUP_1, [ok, stray]))).toBe('store_wrong_group');
      expect(await store.countEntries(GROUP_1)).toBe(0);
      expect(await store.countEntries(GROUP_2)).toBe(0);
      expect(await store.heads(GROUP_1)).toEqual([]);
    });

    it('refuses a second applied entry at the same author+seq, all or nothing', async () => {
      store = await make();
      const a1 = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1 });
      await store.appendEntries(GROUP_1, [a1]);
      const b1 = fakeEntry({ author: AUTHOR_B, seq: 1, lamport: 2 });
      const a1bis = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 3 });
      expect(await codeOf(store.appendEntries(GROUP_1, [b1, a1bis]))).toBe('store_conflict');
      expect((await store.listEntries(GROUP_1)).map((e) => e.id)).toEqual([a1.id]);
      expect((await store.heads(GROUP_1)).map((h) => h.id)).toEqual([a1.id]);

      const b2 = fakeEntry({ author: AUTHOR_B, seq: 2, lamport: 4 });
      const b2bis = fakeEntry({ author: AUTHOR_B, seq: 2, lamport: 5 });
      expect(await codeOf(store.appendEntries(GROUP_1, [b2, b2bis]))).toBe('store_conflict');
      expect(await store.countEntries(GROUP_1)).toBe(1);
    });

    it('keeps fork evidence beside the applied entry without moving heads', async () => {
      store = await make();
      const a1 = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1 });
      const fork = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1, status: 'fork-evidence' });
      await store.appendEntries(GROUP_1, [a1, fork]);
      expect((await store.listEntries(GROUP_1, { status: 'applied' })).map((e) => e.id)).toEqual([a1.id]);
      expect((await store.listEntries(GROUP_1, { status: 'fork-evidence' })).map((e) => e.id)).toEqual([
        fork.id,
      ]);
      expect(await store.listEntries(GROUP_1)).toHaveLength(2);
      expect((await store.heads(GROUP_1)).map((h) => h.id)).toEqual([a1.id]);
    });

    it('demotes a forked branch to evidence and moves the head back', async () => {
      store = await make();
      const a1 = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1 });
      const a2 = fakeEntry({ author: AUTHOR_A, seq: 2, lamport: 2 });
      const a3 = fakeEntry({ author: AUTHOR_A, seq: 3, lamport: 3 });
      const b1 = fakeEntry({ author: AUTHOR_B, seq: 1, lamport: 1 });
      await store.appendEntries(GROUP_1, [a1, a2, a3, b1]);
      await store.markForkEvidence(GROUP_1, [a2.id, a3.id, fakeId()]);
      expect((await store.heads(GROUP_1)).map((h) => [h.author, h.seq])).toEqual([
        [AUTHOR_A, 1],
        [AUTHOR_B, 1],
      ]);
      expect((await store.listEntries(GROUP_1, { status: 'fork-evidence' })).map((e) => e.id)).toEqual([
        a2.id,
        a3.id,
      ]);
      // The slot is free again for the applied log; the other fork may now be stored as evidence.
      const a2bis = fakeEntry({ author: AUTHOR_A, seq: 2, lamport: 2, status: 'fork-evidence' });
      expect(await store.appendEntries(GROUP_1, [a2bis])).toBe(1);
      await store.markForkEvidence(GROUP_1, [a1.id, b1.id]);
      expect(await store.heads(GROUP_1)).toEqual([]);
      expect(await store.maxLamport(GROUP_1)).toBe(0);
      expect(await store.countEntries(GROUP_1)).toBe(5);
    });

    it('lists what arrived after a marker, still in log order', async () => {
      store = await make();
      const old = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1, receivedAt: 10 });
      const newer = fakeEntry({ author: AUTHOR_B, seq: 1, lamport: 5, receivedAt: 30 });
      const newest = fakeEntry({ author: AUTHOR_A, seq: 2, lamport: 2, receivedAt: 40 });
      await store.appendEntries(GROUP_1, [old, newer, newest]);
      expect((await store.listEntries(GROUP_1, { receivedAfter: 10 })).map((e) => e.id)).toEqual([
        newest.id,
        newer.id,
      ]);
      expect(await store.listEntries(GROUP_1, { receivedAfter: 40 })).toEqual([]);
    });

    it('hands out copies: mutating what went in or came out changes nothing stored', async () => {
      store = await make();
      const a1 = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1 });
      const original = a1.bytes.slice();
      await store.appendEntries(GROUP_1, [a1]);
      a1.bytes[0] = 99;
      const [got] = await store.listEntries(GROUP_1);
      expect(got?.bytes).toEqual(original);
      got!.bytes[0] = 98;
      expect((await store.getEntry(a1.id))?.bytes).toEqual(original);
    });

    it('keeps the cached event of an entry, as a copy', async () => {
      store = await make();
      const event = {
        type: 'chat.message' as const,
        text: 'hi',
        ref: { kind: 'expense' as const, id: 'e'.repeat(64) },
      };
      const a1 = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1, event });
      const b1 = fakeEntry({ author: AUTHOR_B, seq: 1, lamport: 2 });
      await store.appendEntries(GROUP_1, [a1, b1]);
      const [gotA, gotB] = await store.listEntries(GROUP_1);
      expect(gotA?.event).toEqual(event);
      expect(gotB).not.toHaveProperty('event');
      const mutable = gotA!.event as { text: string; ref: { id: string } };
      mutable.text = 'changed';
      mutable.ref.id = 'f'.repeat(64);
      (event.ref as { id: string }).id = 'd'.repeat(64);
      expect((await store.getEntry(a1.id))?.event).toEqual({
        ...event,
        ref: { kind: 'expense', id: 'e'.repeat(64) },
      });
    });

    it('gives back cached events exactly, -0 and unusual text included', async () => {
      store = await make();
      const split = { mode: 'exact' as const, amounts: { [AUTHOR_A]: 100, [AUTHOR_B]: -0 } };
      const expense = {
        description: '  "quoted" \u2028 ☕ \ud83d\ude00 ',
        category: 'general',
        currency: 'CNY',
        amount: 100,
        date: '2026-01-01',
        payers: [{ member: AUTHOR_A, amount: 100 }],
        split,
      };
      const withZero = fakeEntry({
        author: AUTHOR_A,
        seq: 1,
        lamport: 1,
        event: { type: 'expense.created', expense },
      });
      const chat = { type: 'chat.message' as const, text: 'line\nbreak \u0000 \ud800' };
      const plain = fakeEntry({ author: AUTHOR_A, seq: 2, lamport: 2, event: chat });
      await store.appendEntries(GROUP_1, [withZero, plain]);
      const [a, b] = await store.listEntries(GROUP_1);
      const got = a?.event?.type === 'expense.created' ? a.event.expense : undefined;
      expect(got).toEqual(expense);
      expect(Object.is(got?.split.mode === 'exact' ? got.split.amounts[AUTHOR_B] : 1, -0)).toBe(true);
      expect(b?.event).toEqual(chat);
    });

    it('fills in missing events only: never replaces one, ignores unknown ids and other groups', async () => {
      store = await make();
      const old = { type: 'chat.message' as const, text: 'old' };
      const fresh = { type: 'chat.message' as const, text: 'fresh' };
      const cached = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1, event: old });
      const bare = fakeEntry({ author: AUTHOR_A, seq: 2, lamport: 2, status: 'fork-evidence' });
      const elsewhere = fakeEntry({ groupId: GROUP_2, author: AUTHOR_B, seq: 1, lamport: 1 });
      await store.appendEntries(GROUP_1, [cached, bare]);
      await store.appendEntries(GROUP_2, [elsewhere]);
      const headsBefore = await store.heads(GROUP_1);

      await store.addEntryEvents(GROUP_1, [
        { id: cached.id, event: fresh },
        { id: bare.id, event: fresh },
        { id: elsewhere.id, event: fresh },
        { id: fakeId(), event: fresh },
      ]);
      expect(await store.listEntries(GROUP_1)).toEqual([cached, { ...bare, event: fresh }]);
      expect(await store.getEntry(elsewhere.id)).toEqual(elsewhere);
      expect(await store.heads(GROUP_1)).toEqual(headsBefore);
      expect(await store.countEntries(GROUP_1)).toBe(2);
    });
  });

  it('keeps pending entries per group until removed', async () => {
    store = await make();
    const [p1, p2] = [fakeId('2'), fakeId('1')];
    await store.addPending([
      { groupId: GROUP_1, id: p1, bytes: new Uint8Array([1]), receivedAt: 1 },
      { groupId: GROUP_1, id: p2, bytes: new Uint8Array([2]), receivedAt: 2 },
      { groupId: GROUP_2, id: p1, bytes: new Uint8Array([3]), receivedAt: 3 },
    ]);
    await store.addPending([{ groupId: GROUP_1, id: p1, bytes: new Uint8Array([1]), receivedAt: 1 }]);
    expect((await store.listPending(GROUP_1)).map((p) => p.id)).toEqual([p1, p2].sort());
    await store.removePending(GROUP_1, [p1, fakeId()]);
    expect((await store.listPending(GROUP_1)).map((p) => p.id)).toEqual([p2]);
    expect((await store.listPending(GROUP_2)).map((p) => p.bytes)).toEqual([new Uint8Array([3])]);
  });

  it('keeps each refusal once, in arrival order', async () => {
    store = await make();
    const r = { groupId: GROUP_1, id: null, message: 'bad', receivedAt: 20 };
    await store.addRejected([
      { ...r, code: 'bad_signature', bytesHash: 'h2' },
      { ...r, code: 'malformed', bytesHash: 'h1', receivedAt: 10 },
    ]);
    await store.addRejected([
      { ...r, code: 'bad_signature', bytesHash: 'h2', receivedAt: 99 },
      { ...r, code: 'key_mismatch', bytesHash: 'h2', receivedAt: 30 },
      { ...r, groupId: GROUP_2, code: 'malformed', bytesHash: 'h1' },
    ]);
    const got = await store.listRejected(GROUP_1);
    expect(got.map((x) => [x.code, x.bytesHash, x.receivedAt])).toEqual([
      ['malformed', 'h1', 10],
      ['bad_signature', 'h2', 20],
      ['key_mismatch', 'h2', 30],
    ]);
    expect(await store.listRejected(GROUP_2)).toHaveLength(1);
  });

  it('stores the Yjs document per group as a compacted state plus the updates appended since', async () => {
    store = await make();
    expect(await store.getDocUpdates(GROUP_1)).toEqual([]);
    // Appends before any compaction, in order, counted.
    expect(await store.appendDocUpdate(GROUP_1, new Uint8Array([1]))).toBe(1);
    expect(await store.appendDocUpdate(GROUP_1, new Uint8Array([2]))).toBe(2);
    expect(await store.appendDocUpdate(GROUP_2, new Uint8Array([9]))).toBe(1);
    expect(await store.getDocUpdates(GROUP_1)).toEqual([new Uint8Array([1]), new Uint8Array([2])]);
    // Compaction replaces everything of that group, and only of that group.
    await store.putDocState(GROUP_1, new Uint8Array([1, 2]));
    expect(await store.getDocUpdates(GROUP_1)).toEqual([new Uint8Array([1, 2])]);
    expect(await store.appendDocUpdate(GROUP_1, new Uint8Array([3]))).toBe(2);
    await store.putDocState(GROUP_1, new Uint8Array([1, 2, 3]));
    await store.putDocState(GROUP_1, new Uint8Array([1, 2, 3, 4]));
    expect(await store.getDocUpdates(GROUP_1)).toEqual([new Uint8Array([1, 2, 3, 4])]);
    expect(await store.getDocUpdates(GROUP_2)).toEqual([new Uint8Array([9])]);
  });

  it('keeps no reference to document bytes handed in or out', async () => {
    store = await make();
    const update = new Uint8Array([5, 6]);
    await store.appendDocUpdate(GROUP_1, update);
    update[0] = 0;
    const [read] = await store.getDocUpdates(GROUP_1);
    read![1] = 0;
    expect(await store.getDocUpdates(GROUP_1)).toEqual([new Uint8Array([5, 6])]);
  });

  it('stores settings as structured values', async () => {
    store = await make();
    expect(await store.getSetting('locale')).toBeUndefined();
    await store.setSetting('locale', 'zh-CN');
    await store.setSetting('ui', { theme: 'dark', recent: [1, 2] });
    expect(await store.getSetting<string>('locale')).toBe('zh-CN');
    expect(await store.getSetting('ui')).toEqual({ theme: 'dark', recent: [1, 2] });
  });
});
