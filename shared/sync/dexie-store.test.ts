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
});
