/**
 * Encryption at rest (docs/threat-model.md): what sealing costs on the paths that matter.
 *
 * - `atrest.decrypt.10k.ms`: the middleware opening 10,000 sealed entry rows (cached expense
 *   events, ~0.5 KB each) as one query returns them: decrypt, parse, merge. The rows come from an
 *   in-memory core below the middleware, so the figure is sealing's own cost, not IndexedDB's.
 *   Baseline: reading the same 10,000 plain rows through a DexieStore on fake-indexeddb (what a
 *   read costs anyway). Also with the portable noble cipher (the browser before its first sync
 *   installs libsodium's).
 * - `atrest.read.10k.ms`: `listEntries` of those rows on a sealed DexieStore, against the same on a
 *   plain one.
 * - `unlock.ms`: from passcode to an unlocked keyring: scrypt (the shipped parameters) and the
 *   unwrap. Baseline: unlocking a key with no passcode. (The figure also counts the first
 *   screen; this one is the KDF part.)
 */
import type { DBCore, DBCoreTable } from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import {
  installSymmetricPrimitives,
  resetSymmetricPrimitives,
  symmetricPrimitives,
} from '../../shared/crypto/primitives';
import type { WalletEvent } from '../../shared/ledger/events';
import { DeviceKeyVault, type DeviceKeyRow, type VaultStorage } from '../../shared/sync/at-rest-vault';
import { AtRestKeyring, atRestMiddleware } from '../../shared/sync/dexie-at-rest';
import { DexieStore } from '../../shared/sync/dexie-store';
import type { StoredEntry } from '../../shared/sync/store';
import { atMost, type BenchSuite, bestOf, round } from '../harness';

const GROUP = '1'.repeat(32);
const MEMBERS = ['a', 'b', 'c', 'd'].map((c) => c.repeat(64));

function entries(n: number): StoredEntry[] {
  return Array.from({ length: n }, (_, i) => {
    const author = MEMBERS[i % MEMBERS.length]!;
    const event: WalletEvent = {
      type: 'expense.created',
      expense: {
        description: `Groceries and household things, week ${i}`,
        category: 'groceries',
        currency: 'EUR',
        amount: 1000 + i,
        date: '2026-03-01',
        payers: [{ member: author, amount: 1000 + i }],
        split: { mode: 'equal', members: MEMBERS },
      },
    } as WalletEvent;
    return {
      id: i.toString(16).padStart(64, '0'),
      groupId: GROUP,
      author,
      seq: Math.floor(i / MEMBERS.length) + 1,
      lamport: i + 1,
      bytes: new Uint8Array(180).fill(i & 255),
      receivedAt: 1_700_000_000_000 + i,
      status: 'applied',
      event,
    };
  });
}

/** The rows exactly as IndexedDB holds them in a sealed store. */
async function sealedRows(keyring: AtRestKeyring, rows: StoredEntry[]): Promise<unknown[]> {
  const indexedDB = new IDBFactory();
  const sealed = await new DexieStore({ name: 's', indexedDB, IDBKeyRange, atRest: keyring }).open();
  await sealed.appendEntries(GROUP, rows);
  await sealed.close();
  const raw = await new DexieStore({ name: 's', indexedDB, IDBKeyRange }).open();
  const out = await raw.db.entries.toArray();
  await raw.close();
  return out;
}

/** The middleware over a core that hands back `rows` for any query: sealing's cost alone. */
function openingCore(keyring: AtRestKeyring, rows: unknown[]): DBCoreTable {
  const schema = {
    name: 'entries',
    primaryKey: { name: null, isPrimaryKey: true, keyPath: 'id', extractKey: null },
    indexes: [],
    getIndexByKeyPath: () => undefined,
  };
  const table = {
    name: 'entries',
    schema,
    query: async () => ({ result: rows }),
  } as unknown as DBCoreTable;
  const down = { stack: 'dbcore', table: () => table } as unknown as DBCore;
  return (atRestMiddleware(keyring).create(down) as DBCore).table('entries');
}

/** Best wall time and best CPU time of `runs` (the machine is shared: CPU time is what the work itself costs). */
async function timeOpen(core: DBCoreTable, runs: number, n: number): Promise<{ wall: number; cpu: number }> {
  let wall = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const res = await core.query({ trans: {} as never, values: true, query: {} as never });
    wall = Math.min(wall, performance.now() - t0);
    const used = process.cpuUsage(cpu0);
    cpu = Math.min(cpu, (used.user + used.system) / 1000);
    if (res.result.length !== n) throw new Error('lost rows');
  }
  return { wall, cpu };
}

function memoryVault(): VaultStorage {
  let row: DeviceKeyRow | undefined;
  return {
    get: async () => row,
    create: async (r) => {
      if (row) return false;
      row = r;
      return true;
    },
    put: async (r) => {
      row = r;
    },
  };
}

export const atRestSuite: BenchSuite = {
  name: 'at-rest',
  async run({ quick }) {
    const n = quick ? 500 : 10_000;
    const runs = quick ? 1 : 5;
    const rows = entries(n);
    const keyring = new AtRestKeyring();
    keyring.unlock(crypto.getRandomValues(new Uint8Array(32)));

    const raw = await sealedRows(keyring, rows);
    const core = openingCore(keyring, raw);
    const decrypt = await timeOpen(core, runs, n);
    const installed = symmetricPrimitives();
    resetSymmetricPrimitives();
    const decryptNoble = await timeOpen(core, runs, n);
    installSymmetricPrimitives(installed);

    const plainStore = await new DexieStore({ name: 'p', indexedDB: new IDBFactory(), IDBKeyRange }).open();
    await plainStore.appendEntries(GROUP, rows);
    const sealedStore = await new DexieStore({
      name: 's',
      indexedDB: new IDBFactory(),
      IDBKeyRange,
      atRest: keyring,
    }).open();
    await sealedStore.appendEntries(GROUP, rows);
    const plainRead = await bestOf(runs, () => plainStore.listEntries(GROUP));
    const sealedRead = await bestOf(runs, () => sealedStore.listEntries(GROUP));
    await plainStore.close();
    await sealedStore.close();

    // unlock: the shipped scrypt parameters, best of a few (a shared machine).
    const storage = memoryVault();
    const setup = new DeviceKeyVault(storage, new AtRestKeyring(), undefined);
    await setup.open();
    await setup.setPasscode('correct horse battery');
    const unlockRuns = quick ? 1 : 3;
    const unlock = await bestOf(unlockRuns, async () => {
      const vault = new DeviceKeyVault(storage, new AtRestKeyring(), undefined);
      await vault.open();
      await vault.unlockWithPasscode('correct horse battery');
    });
    const plainVault = memoryVault();
    await new DeviceKeyVault(plainVault, new AtRestKeyring(), undefined).open();
    const unlockPlain = await bestOf(unlockRuns, async () => {
      await new DeviceKeyVault(plainVault, new AtRestKeyring(), undefined).open();
    });

    const plainBaseline = { name: 'store.read.10k.plain.ms', value: round(plainRead), unit: 'ms' };
    return [
      {
        name: 'atrest.decrypt.10k.ms',
        value: round(decrypt.wall),
        unit: 'ms',
        baseline: plainBaseline,
        ...atMost(decrypt.wall, 100),
        note: `${n} sealed entry rows opened by the middleware (${installed.name} primitives); best CPU time ${round(decrypt.cpu)} ms`,
      },
      {
        name: 'atrest.decrypt.10k.noble.ms',
        value: round(decryptNoble.wall),
        unit: 'ms',
        baseline: { name: 'atrest.decrypt.10k.ms', value: round(decrypt.wall), unit: 'ms' },
        note: `the portable cipher (a browser before libsodium's loads); best CPU time ${round(decryptNoble.cpu)} ms`,
      },
      {
        name: 'atrest.read.10k.ms',
        value: round(sealedRead),
        unit: 'ms',
        baseline: plainBaseline,
        note: 'listEntries on fake-indexeddb, sealed vs plain',
      },
      {
        name: 'unlock.ms',
        value: round(unlock),
        unit: 'ms',
        baseline: { name: 'unlock.nopasscode.ms', value: round(unlockPlain, 3), unit: 'ms' },
        ...atMost(unlock, 600),
        note: 'scrypt N=2^15 r=8 p=1 + unwrap; the first screen is not included',
      },
    ];
  },
};
