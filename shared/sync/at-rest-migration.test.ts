/** Sealing an existing installation's plain rows in place, including after a crash mid-way. */
import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { generateDeviceKey } from '../crypto/device-key';
import { progressId, sealExistingRows } from './at-rest-migration';
import { AtRestKeyring, SEALED, SEALED_FIELDS } from './dexie-at-rest';
import { declareSchema } from './dexie-schema';
import { DexieStore } from './dexie-store';
import { AUTHOR_A, AUTHOR_B, fakeEntry, fakeGroup, GROUP_1, GROUP_2 } from './store-fixtures';

const DB = 'tally';

/** A version-5 style installation: everything in the clear, a bit of every sealed table. */
async function plainInstallation(indexedDB: IDBFactory) {
  const store = await new DexieStore({ name: DB, indexedDB, IDBKeyRange }).open();
  await store.putIdentity({
    publicKey: new Uint8Array(32).fill(1),
    secretKey: new Uint8Array(32).fill(2),
    wrapped: false,
    createdAt: 5,
  });
  await store.setSetting('displayName', 'Ann');
  await store.putGroup(fakeGroup({ name: 'Flat 3B' }));
  await store.putGroup(fakeGroup({ id: GROUP_2, name: 'Trip', createdAt: 200 }));
  const entries = Array.from({ length: 7 }, (_, i) =>
    fakeEntry({
      author: i % 2 ? AUTHOR_A : AUTHOR_B,
      seq: Math.floor(i / 2) + 1,
      lamport: i + 1,
      event: { type: 'chat.message', text: `message ${i}` },
    }),
  );
  await store.appendEntries(GROUP_1, entries);
  await store.putView({ groupId: GROUP_1, format: 1, entries: 7, digest: 'd', state: '{"name":"Flat 3B"}' });
  await store.addRejected([
    { groupId: GROUP_1, id: null, code: 'bad', message: 'why', bytesHash: 'h', receivedAt: 1 },
  ]);
  await store.close();
}

/** Everything the Store gives back, to compare before and after. */
async function everything(store: DexieStore) {
  return {
    identity: await store.getIdentity(),
    name: await store.getSetting('displayName'),
    groups: await store.listGroups(),
    entries: await store.listEntries(GROUP_1),
    view: await store.getView(GROUP_1),
    rejected: await store.listRejected(GROUP_1),
  };
}

/** Rows of the sealed tables as IndexedDB holds them, split by sealed or not. */
async function rawCounts(indexedDB: IDBFactory) {
  const db = new Dexie(DB, { indexedDB, IDBKeyRange });
  declareSchema(db);
  await db.open();
  const counts: Record<string, { sealed: number; plain: number }> = {};
  for (const name of Object.keys(SEALED_FIELDS)) {
    const rows = await db.table(name).toArray();
    counts[name] = {
      sealed: rows.filter((r) => r[SEALED] !== undefined).length,
      plain: rows.filter((r) => r[SEALED] === undefined).length,
    };
  }
  db.close();
  return counts;
}

describe('sealExistingRows', () => {
  it('seals every plain row in place; the store gives back the same values', async () => {
    const indexedDB = new IDBFactory();
    await plainInstallation(indexedDB);
    const before = await everything(await new DexieStore({ name: DB, indexedDB, IDBKeyRange }).open());

    const keyring = new AtRestKeyring();
    keyring.unlock(generateDeviceKey());
    const store = await new DexieStore({ name: DB, indexedDB, IDBKeyRange, atRest: keyring }).open();
    expect(await sealExistingRows(store.db, keyring, { batchSize: 3 })).toBe(1 + 1 + 2 + 7 + 1 + 1);
    expect(await everything(store)).toEqual(before);
    for (const name of Object.keys(SEALED_FIELDS)) expect(keyring.isSealed(name)).toBe(true);
    // A second start has nothing left to do.
    expect(await sealExistingRows(store.db, keyring)).toBe(0);
    await store.close();

    const counts = await rawCounts(indexedDB);
    expect(counts).toEqual({
      groups: { sealed: 2, plain: 0 },
      identity: { sealed: 1, plain: 0 },
      entries: { sealed: 7, plain: 0 },
      views: { sealed: 1, plain: 0 },
      settings: { sealed: 1, plain: 0 },
      rejected: { sealed: 1, plain: 0 },
    });
  });

  it('survives a crash mid-way: each batch is old or new, reads take both, the next start finishes', async () => {
    const indexedDB = new IDBFactory();
    await plainInstallation(indexedDB);
    const before = await everything(await new DexieStore({ name: DB, indexedDB, IDBKeyRange }).open());
    const key = generateDeviceKey();

    const keyring = new AtRestKeyring();
    keyring.unlock(key);
    const store = await new DexieStore({ name: DB, indexedDB, IDBKeyRange, atRest: keyring }).open();
    let entryBatches = 0;
    const crash = sealExistingRows(store.db, keyring, {
      batchSize: 3,
      onBatch: (table) => {
        // The power goes out during the second batch of entries, after its rows were written.
        if (table === 'entries' && ++entryBatches === 2) throw new Error('power cut');
      },
    });
    await expect(crash).rejects.toThrow('power cut');
    expect(keyring.isSealed('entries')).toBe(false);
    await store.close();

    // The first batch of entries committed, the second rolled back whole.
    const mid = await rawCounts(indexedDB);
    expect(mid.entries).toEqual({ sealed: 3, plain: 4 });
    expect(mid.groups).toEqual({ sealed: 2, plain: 0 });
    expect(mid.views).toEqual({ sealed: 0, plain: 1 });

    // Reads meanwhile see every row, sealed or not, with the same values.
    const readerKeyring = new AtRestKeyring();
    readerKeyring.unlock(key);
    const reader = await new DexieStore({ name: DB, indexedDB, IDBKeyRange, atRest: readerKeyring }).open();
    expect(await everything(reader)).toEqual(before);
    const progress = await reader.db.vault.get(progressId('entries'));
    expect(progress).toMatchObject({ done: false });

    // The next start carries on after the last committed batch and seals the rest.
    expect(await sealExistingRows(reader.db, readerKeyring, { batchSize: 3 })).toBe(4 + 1 + 1 + 1);
    expect(await everything(reader)).toEqual(before);
    await reader.close();
    const after = await rawCounts(indexedDB);
    for (const counts of Object.values(after)) expect(counts.plain).toBe(0);
  });
});
