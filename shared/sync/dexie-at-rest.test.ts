/** Encryption at rest in the Dexie store: what IndexedDB holds, and what it refuses. */
import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { generateDeviceKey } from '../crypto/device-key';
import { sealExistingRows } from './at-rest-migration';
import { AtRestKeyring, atRestMiddleware, SEALED } from './dexie-at-rest';
import { declareSchema } from './dexie-schema';
import { DexieStore } from './dexie-store';
import { AUTHOR_A, fakeEntry, fakeGroup, GROUP_1, GROUP_2 } from './store-fixtures';

function unlocked(): AtRestKeyring {
  const keyring = new AtRestKeyring();
  keyring.unlock(generateDeviceKey());
  return keyring;
}

/** The same database without the middleware: what IndexedDB really holds. */
async function raw(indexedDB: IDBFactory, name: string): Promise<Dexie> {
  const db = new Dexie(name, { indexedDB, IDBKeyRange });
  declareSchema(db);
  return db.open();
}

describe('DexieStore sealed at rest', () => {
  it('stores sensitive fields sealed and keeps indexed ones usable', async () => {
    const indexedDB = new IDBFactory();
    const store = await new DexieStore({ name: 'db', indexedDB, IDBKeyRange, atRest: unlocked() }).open();
    await store.putGroup(fakeGroup({ name: 'Secret Flat' }));
    const entry = fakeEntry({
      author: AUTHOR_A,
      seq: 1,
      lamport: 1,
      event: { type: 'chat.message', text: 'hello there' },
    });
    await store.appendEntries(GROUP_1, [entry]);
    await store.putView({
      groupId: GROUP_1,
      format: 1,
      entries: 1,
      digest: 'd',
      state: '{"name":"Secret Flat"}',
    });
    await store.setSetting('displayName', 'Ann');

    const db = await raw(indexedDB, 'db');
    const group = await db.table('groups').get(GROUP_1);
    expect(Object.keys(group).sort()).toEqual(
      [SEALED, 'createdAt', 'id', 'lastSeenAt', 'lastSyncedAt'].sort(),
    );
    expect(group[SEALED]).toBeInstanceOf(Uint8Array);
    const row = await db.table('entries').get(entry.id);
    expect(row.event).toBeUndefined();
    expect(row).toMatchObject({ groupId: GROUP_1, author: AUTHOR_A, seq: 1, status: 'applied' });
    expect((await db.table('views').get(GROUP_1)).state).toBeUndefined();
    expect((await db.table('settings').get('displayName')).value).toBeUndefined();
    db.close();

    // Index queries still find rows, and rows come back whole.
    expect((await store.listGroups()).map((g) => g.name)).toEqual(['Secret Flat']);
    expect(await store.listEntries(GROUP_1, { receivedAfter: 0, status: 'applied' })).toEqual([entry]);
    expect(await store.countArrivals(GROUP_1, 0, 'b'.repeat(64))).toBe(1);
    expect(await store.getSetting('displayName')).toBe('Ann');
    await store.close();
  });

  it('detects a sealed value moved to another row', async () => {
    const indexedDB = new IDBFactory();
    const store = await new DexieStore({ name: 'db', indexedDB, IDBKeyRange, atRest: unlocked() }).open();
    await store.putGroup(fakeGroup({ id: GROUP_1, name: 'Mine' }));
    await store.putGroup(fakeGroup({ id: GROUP_2, name: 'Theirs' }));
    const db = await raw(indexedDB, 'db');
    const one = await db.table('groups').get(GROUP_1);
    await db.table('groups').update(GROUP_2, { [SEALED]: one[SEALED] });
    db.close();
    await expect(store.getGroup(GROUP_2)).rejects.toMatchObject({ code: 'at_rest_tampered' });
    await expect(store.listGroups()).rejects.toMatchObject({ code: 'at_rest_tampered' });
    expect((await store.getGroup(GROUP_1))?.name).toBe('Mine');
    await store.close();
  });

  it('refuses reads and writes while locked, and works again after unlocking', async () => {
    const keyring = new AtRestKeyring();
    const key = generateDeviceKey();
    keyring.unlock(key);
    const store = await new DexieStore({
      name: 'db',
      indexedDB: new IDBFactory(),
      IDBKeyRange,
      atRest: keyring,
    }).open();
    await store.putGroup(fakeGroup());
    keyring.lock();
    await expect(store.getGroup(GROUP_1)).rejects.toMatchObject({ code: 'at_rest_locked' });
    await expect(store.putGroup(fakeGroup({ id: GROUP_2 }))).rejects.toMatchObject({
      code: 'at_rest_locked',
    });
    // Tables without sealed fields keep working (the relay's sync state, heads).
    expect(await store.heads(GROUP_1)).toEqual([]);
    keyring.unlock(key);
    expect((await store.getGroup(GROUP_1))?.name).toBe('Flat 3B');
    await store.close();
  });

  it('refuses a plain row once its table is sealed', async () => {
    const indexedDB = new IDBFactory();
    const keyring = unlocked();
    const store = await new DexieStore({ name: 'db', indexedDB, IDBKeyRange, atRest: keyring }).open();
    await sealExistingRows(store.db, keyring);
    const db = await raw(indexedDB, 'db');
    await db.table('groups').put(fakeGroup({ name: 'Planted' }));
    db.close();
    await expect(store.getGroup(GROUP_1)).rejects.toMatchObject({ code: 'at_rest_unsealed' });
    await store.close();
  });

  it('refuses values JSON would not give back exactly', async () => {
    const store = await new DexieStore({
      name: 'db',
      indexedDB: new IDBFactory(),
      IDBKeyRange,
      atRest: unlocked(),
    }).open();
    await expect(store.setSetting('when', new Date(0))).rejects.toMatchObject({
      code: 'at_rest_unsupported_value',
    });
    await expect(store.setSetting('n', Number.NaN)).rejects.toMatchObject({
      code: 'at_rest_unsupported_value',
    });
    await store.setSetting('ok', { list: [1, -0, 'x'], bytes: new Uint8Array([1, 2]), nested: { a: null } });
    const back = await store.getSetting<{ list: unknown[]; bytes: Uint8Array }>('ok');
    expect(back).toEqual({ list: [1, -0, 'x'], bytes: new Uint8Array([1, 2]), nested: { a: null } });
    expect(Object.is(back?.list[1], -0)).toBe(true);
    await store.close();
  });

  it('will not seal an indexed field', async () => {
    const db = new Dexie('x', { indexedDB: new IDBFactory(), IDBKeyRange });
    declareSchema(db);
    db.use(atRestMiddleware(unlocked(), { groups: ['createdAt'] }));
    await expect(db.open()).rejects.toThrow(/indexed/);
  });
});
