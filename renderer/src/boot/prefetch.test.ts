// The start-up prefetch reads the DexieStore's database directly: it must find exactly what the
// store itself reports, and never create or change anything.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { bareState } from '../../../shared/ledger/test-fixtures';
import type { GroupState } from '../../../shared/ledger/types';
import { generateDeviceKey } from '../../../shared/crypto/device-key';
import { sealExistingRows } from '../../../shared/sync/at-rest-migration';
import { AtRestKeyring } from '../../../shared/sync/dexie-at-rest';
import { declareSchema, WalletDb } from '../../../shared/sync/dexie-schema';
import { DexieStore } from '../../../shared/sync/dexie-store';
import {
  AUTHOR_A,
  AUTHOR_B,
  fakeEntry,
  fakeGroup,
  GROUP_1,
  GROUP_2,
} from '../../../shared/sync/store-fixtures';
import { readFirstLook } from '../services/firstLook';
import { digestOf, encodeView } from '../services/viewRows';
import { readFirstLookFromIndexedDB } from './prefetch';

function stateOf(groupId: string, entryCount: number): GroupState {
  return bareState(groupId, entryCount, {
    createdBy: AUTHOR_A,
    members: [{ id: AUTHOR_A, name: 'Ann', joinedBy: 'f'.repeat(64), joinedAt: 1 }],
  });
}

/** A profile as the app leaves it: identity, name, two groups, entries in several states, views. */
async function profile(indexedDB: IDBFactory, name: string) {
  const store = await new DexieStore({ name, indexedDB, IDBKeyRange }).open();
  const me = new Uint8Array(32).fill(0xaa); // hex: AUTHOR_A
  await store.putIdentity({
    publicKey: me,
    secretKey: new Uint8Array(32).fill(1),
    wrapped: false,
    createdAt: 5,
  });
  await store.setSetting('displayName', 'Ann');
  // Created second, listed second.
  await store.putGroup(fakeGroup({ id: GROUP_2, name: 'Later', createdAt: 200, lastSeenAt: 1_500 }));
  await store.putGroup(fakeGroup({ id: GROUP_1, name: 'First', createdAt: 100, lastSeenAt: 500 }));
  const g1 = [
    fakeEntry({ author: AUTHOR_A, seq: 1, lamport: 1, receivedAt: 400 }),
    fakeEntry({ author: AUTHOR_B, seq: 1, lamport: 2, receivedAt: 600 }),
    fakeEntry({ author: AUTHOR_A, seq: 2, lamport: 3, receivedAt: 700 }),
    fakeEntry({ author: AUTHOR_B, seq: 2, lamport: 4, receivedAt: 800 }),
  ];
  await store.appendEntries(GROUP_1, g1);
  const g2 = [
    fakeEntry({ groupId: GROUP_2, author: AUTHOR_A, seq: 1, lamport: 1, receivedAt: 1_000 }),
    fakeEntry({ groupId: GROUP_2, author: AUTHOR_B, seq: 1, lamport: 2, receivedAt: 2_000 }),
    fakeEntry({ groupId: GROUP_2, author: AUTHOR_B, seq: 2, lamport: 3, receivedAt: 2_100 }),
  ];
  await store.appendEntries(GROUP_2, g2);
  await store.markForkEvidence(GROUP_2, [g2[2]!.id]);
  // Group 1's view matches its entries; group 2's was saved before its last entries.
  const heads1 = await store.heads(GROUP_1);
  await store.putView(encodeView(GROUP_1, { state: stateOf(GROUP_1, 4), sheets: [] }, digestOf(4, heads1)!));
  const old = digestOf(1, [{ author: AUTHOR_A, seq: 1, id: g2[0]!.id }])!;
  await store.putView(encodeView(GROUP_2, { state: stateOf(GROUP_2, 1), sheets: [] }, old));
  return store;
}

describe('readFirstLookFromIndexedDB', () => {
  it('reads what the store reads: identity, name, groups in order, usable views, unseen counts', async () => {
    const indexedDB = new IDBFactory();
    const store = await profile(indexedDB, 'same');
    const viaStore = await readFirstLook(store);
    const direct = await readFirstLookFromIndexedDB(indexedDB, IDBKeyRange, 'same');
    expect(direct).toEqual(viaStore);

    // And what both read is right.
    expect(direct?.displayName).toBe('Ann');
    expect(direct?.identity?.createdAt).toBe(5);
    expect(direct?.groups.map((g) => g.record.name)).toEqual(['First', 'Later']);
    expect(direct?.groups[0]?.view?.state).toEqual(stateOf(GROUP_1, 4));
    expect(direct?.groups[1]?.view).toBeUndefined(); // stale: the group opens the slow way
    // Group 1: B's entries after 500 (600, 800). Group 2: B's applied entry after 1500 (2000);
    // B's 2100 is fork evidence now.
    expect(direct?.groups.map((g) => g.unseen)).toEqual([2, 1]);
    await store.close();
  });

  it('gives up without creating anything when there is no database', async () => {
    const indexedDB = new IDBFactory();
    expect(await readFirstLookFromIndexedDB(indexedDB, IDBKeyRange, 'nothing')).toBeNull();
    expect((await indexedDB.databases()).map((d) => d.name)).not.toContain('nothing');
    // The store then creates it as usual.
    const store = await new DexieStore({ name: 'nothing', indexedDB, IDBKeyRange }).open();
    expect(await store.listGroups()).toEqual([]);
    await store.close();
  });

  it('gives up on a database from before the view cache, which the store then upgrades', async () => {
    const indexedDB = new IDBFactory();
    const v3 = new WalletDb('old', { indexedDB, IDBKeyRange });
    declareSchema(v3, 3);
    await v3.open();
    await v3.groups.put(fakeGroup());
    v3.close();
    expect(await readFirstLookFromIndexedDB(indexedDB, IDBKeyRange, 'old')).toBeNull();
    const store = await new DexieStore({ name: 'old', indexedDB, IDBKeyRange }).open();
    expect((await store.listGroups()).map((g) => g.id)).toEqual([GROUP_1]);
    await store.close();
  });

  it('steps aside for rows sealed at rest; the store then reads the same first look', async () => {
    const indexedDB = new IDBFactory();
    const plain = await profile(indexedDB, 'sealed');
    const before = await readFirstLook(plain);
    await plain.close();
    const atRest = new AtRestKeyring();
    atRest.unlock(generateDeviceKey());
    const store = await new DexieStore({ name: 'sealed', indexedDB, IDBKeyRange, atRest }).open();
    await sealExistingRows(store.db, atRest);
    expect(await readFirstLookFromIndexedDB(indexedDB, IDBKeyRange, 'sealed')).toBeNull();
    expect(await readFirstLook(store)).toEqual(before);
    await store.close();
  });

  it('does not hold up the store opening after it', async () => {
    const indexedDB = new IDBFactory();
    const store = await profile(indexedDB, 'busy');
    await store.close();
    const reading = readFirstLookFromIndexedDB(indexedDB, IDBKeyRange, 'busy');
    const again = await new DexieStore({ name: 'busy', indexedDB, IDBKeyRange }).open();
    expect((await reading)?.groups).toHaveLength(2);
    expect(await again.countEntries(GROUP_1)).toBe(4);
    await again.close();
  });
});
