/** DexieStore beyond the shared contract: interrupted writes and schema upgrades. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { declareSchema, LATEST_SCHEMA_VERSION, WalletDb } from './dexie-schema';
import { DexieStore } from './dexie-store';
import { AUTHOR_A, AUTHOR_B, fakeEntry, GROUP_1, GROUP_2 } from './store-fixtures';

describe('DexieStore', () => {
  it('leaves no half-written entry when the transaction dies after writing rows', async () => {
    const indexedDB = new IDBFactory();
    const store = await new DexieStore({ name: 'abort', indexedDB, IDBKeyRange }).open();
    const a1 = fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1 });
    await store.appendEntries(GROUP_1, [a1]);

    const a2 = fakeEntry({ author: AUTHOR_A, seq: 2, lamport: 2 });
    const b1 = fakeEntry({ author: AUTHOR_B, seq: 1, lamport: 2 });
    const { db } = store;
    // appendEntries joins this outer transaction; the crash after its rows are written aborts everything.
    await expect(
      db.transaction('rw', [db.entries, db.heads], async () => {
        expect(await store.appendEntries(GROUP_1, [a2, b1])).toBe(2);
        expect(await db.entries.count()).toBe(3);
        throw new Error('power cut');
      }),
    ).rejects.toThrow('power cut');
    await store.close();

    const reopened = await new DexieStore({ name: 'abort', indexedDB, IDBKeyRange }).open();
    expect((await reopened.listEntries(GROUP_1)).map((e) => e.id)).toEqual([a1.id]);
    expect(await reopened.heads(GROUP_1)).toEqual([
      { groupId: GROUP_1, author: AUTHOR_A, seq: 1, id: a1.id, lamport: 1 },
    ]);
    expect(await reopened.maxLamport(GROUP_1)).toBe(1);
    await reopened.close();
  });

  it('leaves nothing when a batch is refused midway, also after reopening', async () => {
    const indexedDB = new IDBFactory();
    const store = await new DexieStore({ name: 'midway', indexedDB, IDBKeyRange }).open();
    const batch = [
      fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1 }),
      fakeEntry({ author: AUTHOR_B, seq: 1, lamport: 1 }),
      fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 2 }),
    ];
    await expect(store.appendEntries(GROUP_1, batch)).rejects.toMatchObject({ code: 'store_conflict' });
    await store.close();
    const reopened = await new DexieStore({ name: 'midway', indexedDB, IDBKeyRange }).open();
    expect(await reopened.countEntries(GROUP_1)).toBe(0);
    expect(await reopened.heads(GROUP_1)).toEqual([]);
    await reopened.close();
  });

  it('opens a version 1 database under the latest schema with its data intact', async () => {
    const indexedDB = new IDBFactory();
    const v1 = new WalletDb('upgrade', { indexedDB, IDBKeyRange });
    declareSchema(v1, 1);
    await v1.open();
    // A v1 group row: no lastSeenAt yet.
    await v1.table('groups').bulkPut([
      {
        id: GROUP_1,
        name: 'Old',
        groupKey: new Uint8Array(32).fill(4),
        relayUrl: null,
        createdAt: 10,
        lastSyncedAt: 70,
      },
      {
        id: GROUP_2,
        name: 'Never synced',
        groupKey: new Uint8Array(32),
        relayUrl: null,
        createdAt: 20,
        lastSyncedAt: null,
      },
    ]);
    const entries = [
      fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1, receivedAt: 50 }),
      fakeEntry({ author: AUTHOR_B, seq: 1, lamport: 2, receivedAt: 90 }),
    ];
    await v1.entries.bulkAdd(entries);
    await v1.heads.bulkPut(
      entries.map((e) => ({ groupId: GROUP_1, author: e.author, seq: e.seq, id: e.id, lamport: e.lamport })),
    );
    await v1.settings.put({ key: 'locale', value: 'zh-CN' });
    expect(v1.verno).toBe(1);
    v1.close();

    const store = await new DexieStore({ name: 'upgrade', indexedDB, IDBKeyRange }).open();
    expect(store.db.verno).toBe(LATEST_SCHEMA_VERSION);
    expect(await store.getGroup(GROUP_1)).toMatchObject({ name: 'Old', lastSyncedAt: 70, lastSeenAt: 70 });
    expect(await store.getGroup(GROUP_2)).toMatchObject({ lastSeenAt: 20 });
    expect((await store.getGroup(GROUP_1))?.groupKey).toEqual(new Uint8Array(32).fill(4));
    expect(await store.listEntries(GROUP_1)).toEqual(entries);
    expect(await store.maxLamport(GROUP_1)).toBe(2);
    expect(await store.getSetting('locale')).toBe('zh-CN');
    // The index added in v2 serves old rows too.
    expect((await store.listEntries(GROUP_1, { receivedAfter: 60 })).map((e) => e.id)).toEqual([
      entries[1]!.id,
    ]);
    await store.close();
  });

  it('opens a version 2 database under v3: rows without a cached event stay valid and can get one', async () => {
    const indexedDB = new IDBFactory();
    const v2 = new WalletDb('upgrade-3', { indexedDB, IDBKeyRange });
    declareSchema(v2, 2);
    await v2.open();
    await v2.groups.put({
      id: GROUP_1,
      name: 'Flat',
      groupKey: new Uint8Array(32).fill(5),
      relayUrl: null,
      createdAt: 10,
      lastSyncedAt: 40,
      lastSeenAt: 40,
    });
    const entries = [
      fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1, receivedAt: 50 }),
      fakeEntry({ author: AUTHOR_A, seq: 2, lamport: 2, receivedAt: 60 }),
    ];
    await v2.entries.bulkAdd(entries);
    await v2.heads.put({ groupId: GROUP_1, author: AUTHOR_A, seq: 2, id: entries[1]!.id, lamport: 2 });
    await v2.pending.put({
      groupId: GROUP_1,
      id: 'c'.repeat(64),
      bytes: new Uint8Array([3]),
      receivedAt: 70,
    });
    await v2.docs.put({ groupId: GROUP_1, update: new Uint8Array([0, 0]) });
    expect(v2.verno).toBe(2);
    v2.close();

    const store = await new DexieStore({ name: 'upgrade-3', indexedDB, IDBKeyRange }).open();
    expect(store.db.verno).toBe(LATEST_SCHEMA_VERSION);
    expect(await store.getGroup(GROUP_1)).toMatchObject({ name: 'Flat', lastSeenAt: 40 });
    expect(await store.listEntries(GROUP_1)).toEqual(entries);
    expect(await store.heads(GROUP_1)).toEqual([
      { groupId: GROUP_1, author: AUTHOR_A, seq: 2, id: entries[1]!.id, lamport: 2 },
    ]);
    expect(await store.listPending(GROUP_1)).toHaveLength(1);
    expect(await store.getDocUpdates(GROUP_1)).toEqual([new Uint8Array([0, 0])]);
    const event = { type: 'chat.message' as const, text: 'from before v3' };
    await store.addEntryEvents(GROUP_1, [{ id: entries[0]!.id, event }]);
    expect(await store.listEntries(GROUP_1)).toEqual([{ ...entries[0]!, event }, entries[1]]);
    // A new row carries its event from the start.
    const a3 = fakeEntry({ author: AUTHOR_A, seq: 3, lamport: 3, event });
    await store.appendEntries(GROUP_1, [a3]);
    expect((await store.getEntry(a3.id))?.event).toEqual(event);
    await store.close();
  });

  it('opens a version 3 database under v4 with no cached views, then keeps, reads and drops them', async () => {
    const indexedDB = new IDBFactory();
    const v3 = new WalletDb('upgrade-4', { indexedDB, IDBKeyRange });
    declareSchema(v3, 3);
    await v3.open();
    const entries = [
      fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1 }),
      fakeEntry({ author: AUTHOR_B, seq: 1, lamport: 2 }),
    ];
    await v3.entries.bulkAdd(entries);
    await v3.entries.add(fakeEntry({ groupId: GROUP_2, author: AUTHOR_A, seq: 1, lamport: 1 }));
    expect(v3.verno).toBe(3);
    v3.close();

    const store = await new DexieStore({ name: 'upgrade-4', indexedDB, IDBKeyRange }).open();
    expect(store.db.verno).toBe(LATEST_SCHEMA_VERSION);
    expect(await store.getView(GROUP_1)).toBeUndefined();

    const view = { groupId: GROUP_1, format: 1, entries: 2, digest: 'd', state: '{}' };
    await store.putView(view);
    await store.putView({ ...view, groupId: GROUP_2 });
    expect(await store.getView(GROUP_1)).toEqual(view);
    await store.putView({ ...view, digest: 'e' });
    expect(await store.getView(GROUP_1)).toEqual({ ...view, digest: 'e' });
    // Leaving a group leaves no copy of its state behind.
    await store.deleteGroup(GROUP_1);
    expect(await store.getView(GROUP_1)).toBeUndefined();
    expect(await store.getView(GROUP_2)).toMatchObject({ groupId: GROUP_2 });
    await store.close();
  });

  it('counts arrivals from others like listEntries does, old rows included, without loading rows', async () => {
    const indexedDB = new IDBFactory();
    const v3 = new WalletDb('arrivals', { indexedDB, IDBKeyRange });
    declareSchema(v3, 3);
    await v3.open();
    // Rows from before v4: the upgrade indexes them too.
    await v3.entries.bulkAdd([
      fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1, receivedAt: 10 }),
      fakeEntry({ author: AUTHOR_B, seq: 1, lamport: 2, receivedAt: 20 }),
    ]);
    v3.close();
    const store = await new DexieStore({ name: 'arrivals', indexedDB, IDBKeyRange }).open();
    const later = [
      fakeEntry({ author: AUTHOR_A, seq: 2, lamport: 3, receivedAt: 30 }),
      fakeEntry({ author: AUTHOR_B, seq: 2, lamport: 4, receivedAt: 30 }),
      fakeEntry({ author: AUTHOR_B, seq: 3, lamport: 5, receivedAt: 40 }),
    ];
    await store.appendEntries(GROUP_1, later);
    await store.appendEntries(GROUP_2, [
      fakeEntry({ groupId: GROUP_2, author: AUTHOR_B, seq: 1, lamport: 1, receivedAt: 50 }),
    ]);
    await store.markForkEvidence(GROUP_1, [later[2]!.id]);

    const expected = async (since: number, me: string) =>
      (await store.listEntries(GROUP_1, { receivedAfter: since, status: 'applied' })).filter(
        (e) => e.author !== me,
      ).length;
    for (const since of [0, 10, 20, 30, 40]) {
      for (const me of [AUTHOR_A, AUTHOR_B]) {
        expect(await store.countArrivals(GROUP_1, since, me), `${since} ${me}`).toBe(
          await expected(since, me),
        );
      }
    }
    // Concretely: after 10, B's entry at 20 and B's at 30 (B's at 40 is fork evidence now).
    expect(await store.countArrivals(GROUP_1, 10, AUTHOR_A)).toBe(2);
    expect(await store.countArrivals(GROUP_1, 0, AUTHOR_B)).toBe(2);
    await store.close();
  });

  it('upgrades a v4 document row to the compacted state of v5, and a compaction cut short keeps what was saved', async () => {
    const indexedDB = new IDBFactory();
    const v4 = new WalletDb('docs-v5', { indexedDB, IDBKeyRange });
    declareSchema(v4, 4);
    await v4.open();
    await v4.docs.put({ groupId: GROUP_1, update: new Uint8Array([1]) });
    v4.close();

    const store = await new DexieStore({ name: 'docs-v5', indexedDB, IDBKeyRange }).open();
    expect(await store.getDocUpdates(GROUP_1)).toEqual([new Uint8Array([1])]);
    expect(await store.appendDocUpdate(GROUP_1, new Uint8Array([2]))).toBe(2);
    const { db } = store;
    // putDocState joins this outer transaction; the crash after it wrote aborts both of its writes.
    await expect(
      db.transaction('rw', [db.docs, db.docUpdates], async () => {
        await store.putDocState(GROUP_1, new Uint8Array([1, 2]));
        expect(await db.docUpdates.count()).toBe(0);
        throw new Error('power cut');
      }),
    ).rejects.toThrow('power cut');
    await store.close();
    const reopened = await new DexieStore({ name: 'docs-v5', indexedDB, IDBKeyRange }).open();
    expect(await reopened.getDocUpdates(GROUP_1)).toEqual([new Uint8Array([1]), new Uint8Array([2])]);
    await reopened.close();
  });
});
