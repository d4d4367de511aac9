/**
 * The app's Store on IndexedDB (Dexie). Every write that touches more than one row runs
 * in one read-write transaction: an entry and the head it moves land together or not at
 * all, and a crash mid-batch leaves nothing behind.
 */
import Dexie, { type DexieOptions } from 'dexie';
import { WalletError } from '../errors';
import type { EntryId, GroupId } from '../ledger/types';
import type { MemberId } from '../money/types';
import { type AppendLookups, AuthorSlots, planAppend } from './append-plan';
import { DEVICE_KEY_ROW, type DeviceKeyRow, type VaultStorage } from './at-rest-vault';
import { type AtRestKeyring, atRestMiddleware } from './dexie-at-rest';
import { declareSchema, IDENTITY_KEY, type ViewRow, WalletDb } from './dexie-schema';
import {
  type AuthorHead,
  compareStoredEntries,
  type EntryEvent,
  type GroupPatch,
  type GroupRecord,
  type IdentityRecord,
  type ListEntriesOptions,
  type PendingRecord,
  type RejectedRecord,
  type Store,
  type StoredEntry,
} from './store';

export interface DexieStoreOptions {
  /** Database name; one per profile. */
  readonly name?: string;
  /** IndexedDB implementation (browsers: the global; Node tests: fake-indexeddb). */
  readonly indexedDB?: DexieOptions['indexedDB'];
  readonly IDBKeyRange?: DexieOptions['IDBKeyRange'];
  /**
   * Encryption at rest (dexie-at-rest.ts): sensitive fields are sealed with the keyring's device
   * key before IndexedDB sees them. Absent: rows are stored as they are (tools, tests).
   */
  readonly atRest?: AtRestKeyring;
}

export class DexieStore implements Store {
  /** Exposed for tests and migrations; application code goes through the Store methods. */
  readonly db: WalletDb;

  constructor(options: DexieStoreOptions = {}) {
    const dexieOptions: DexieOptions = {};
    if (options.indexedDB) dexieOptions.indexedDB = options.indexedDB;
    if (options.IDBKeyRange) dexieOptions.IDBKeyRange = options.IDBKeyRange;
    this.db = new WalletDb(options.name ?? 'tally', dexieOptions);
    declareSchema(this.db);
    if (options.atRest) this.db.use(atRestMiddleware(options.atRest));
  }

  /** Opens (and upgrades) the database now rather than on first use, so errors surface early. */
  async open(): Promise<this> {
    await this.db.open();
    return this;
  }

  async putGroup(group: GroupRecord): Promise<void> {
    await this.db.groups.put(group);
  }

  getGroup(id: GroupId): Promise<GroupRecord | undefined> {
    return this.db.groups.get(id);
  }

  listGroups(): Promise<GroupRecord[]> {
    return this.db.groups.orderBy('createdAt').toArray();
  }

  updateGroup(id: GroupId, patch: GroupPatch): Promise<GroupRecord> {
    return this.db.transaction('rw', this.db.groups, async () => {
      const group = await this.db.groups.get(id);
      if (!group) throw new WalletError('store_unknown_group', `No group ${id}`, { groupId: id });
      const next = { ...group, ...patch };
      await this.db.groups.put(next);
      return next;
    });
  }

  deleteGroup(id: GroupId): Promise<void> {
    const { db } = this;
    return db.transaction(
      'rw',
      [db.groups, db.entries, db.heads, db.pending, db.rejected, db.docs, db.docUpdates, db.views],
      async () => {
        await db.groups.delete(id);
        await db.docs.delete(id);
        await db.docUpdates.where('groupId').equals(id).delete();
        await db.views.delete(id);
        await db.entries.where('groupId').equals(id).delete();
        await db.heads.where('groupId').equals(id).delete();
        await db.pending.where('groupId').equals(id).delete();
        await db.rejected.where('groupId').equals(id).delete();
      },
    );
  }

  async getIdentity(): Promise<IdentityRecord | undefined> {
    const row = await this.db.identity.get(IDENTITY_KEY);
    if (!row) return undefined;
    const { key: _key, ...identity } = row;
    return identity;
  }

  async putIdentity(identity: IdentityRecord): Promise<void> {
    await this.db.identity.put({ ...identity, key: IDENTITY_KEY });
  }

  appendEntries(groupId: GroupId, batch: readonly StoredEntry[]): Promise<number> {
    const { db } = this;
    return db.transaction('rw', [db.entries, db.heads], async () => {
      const plan = await planAppend(groupId, batch, await this.#appendLookups(groupId, batch));
      await db.entries.bulkAdd(plan.entries);
      await db.heads.bulkPut(plan.heads);
      return plan.entries.length;
    });
  }

  /**
   * What planAppend asks about the stored rows, read up front in a few bulk requests (inside the
   * caller's transaction): asking row by row cost three IndexedDB requests per entry, which
   * dominated storing a group's history on a fresh device.
   */
  async #appendLookups(groupId: GroupId, batch: readonly StoredEntry[]): Promise<AppendLookups> {
    const { db } = this;
    const mine = batch.filter((e) => e.groupId === groupId);
    const known = new Set<EntryId>();
    for (const row of await db.entries.bulkGet(mine.map((e) => e.id))) if (row) known.add(row.id);
    // Per author: the seq range the batch touches, then its applied rows in that range.
    const ranges = new Map<MemberId, { min: number; max: number }>();
    for (const e of mine) {
      const r = ranges.get(e.author);
      if (!r) ranges.set(e.author, { min: e.seq, max: e.seq });
      else {
        r.min = Math.min(r.min, e.seq);
        r.max = Math.max(r.max, e.seq);
      }
    }
    const applied = new AuthorSlots();
    for (const [author, { min, max }] of ranges) {
      const rows = await db.entries
        .where('[groupId+author+seq]')
        .between([groupId, author, min], [groupId, author, max], true, true)
        .filter((e) => e.status === 'applied')
        .toArray();
      for (const row of rows) applied.set(row.author, row.seq, row.id);
    }
    const authors = [...ranges.keys()];
    const heads = new Map<MemberId, AuthorHead>();
    const headRows = await db.heads.bulkGet(authors.map((a) => [groupId, a]));
    for (const [i, head] of headRows.entries()) if (head) heads.set(authors[i]!, head);
    return {
      hasEntry: (id) => known.has(id),
      appliedAt: (_g, author, seq) => applied.get(author, seq),
      head: (_g, author) => heads.get(author),
    };
  }

  markForkEvidence(groupId: GroupId, ids: readonly EntryId[]): Promise<void> {
    const { db } = this;
    return db.transaction('rw', [db.entries, db.heads], async () => {
      const authors = new Set<string>();
      for (const entry of await db.entries.bulkGet([...ids])) {
        if (!entry || entry.groupId !== groupId || entry.status !== 'applied') continue;
        await db.entries.update(entry.id, { status: 'fork-evidence' });
        authors.add(entry.author);
      }
      for (const author of authors) {
        const applied = await db.entries
          .where('[groupId+author+seq]')
          .between([groupId, author, Dexie.minKey], [groupId, author, Dexie.maxKey])
          .filter((e) => e.status === 'applied')
          .last();
        if (applied) {
          await db.heads.put({ groupId, author, seq: applied.seq, id: applied.id, lamport: applied.lamport });
        } else {
          await db.heads.delete([groupId, author]);
        }
      }
    });
  }

  addEntryEvents(groupId: GroupId, events: readonly EntryEvent[]): Promise<void> {
    const { db } = this;
    return db.transaction('rw', db.entries, async () => {
      const rows = await db.entries.bulkGet(events.map((e) => e.id));
      const filled: StoredEntry[] = [];
      rows.forEach((row, i) => {
        if (row && row.groupId === groupId && row.event === undefined) {
          filled.push({ ...row, event: events[i]!.event });
        }
      });
      await db.entries.bulkPut(filled);
    });
  }

  async listEntries(groupId: GroupId, options: ListEntriesOptions = {}): Promise<StoredEntry[]> {
    const { status, receivedAfter } = options;
    const rows =
      receivedAfter === undefined
        ? await this.db.entries
            .where('[groupId+lamport+author+seq]')
            .between(
              [groupId, Dexie.minKey, Dexie.minKey, Dexie.minKey],
              [groupId, Dexie.maxKey, Dexie.maxKey, Dexie.maxKey],
            )
            .toArray()
        : await this.db.entries
            .where('[groupId+receivedAt]')
            .between([groupId, receivedAfter], [groupId, Dexie.maxKey], false, true)
            .toArray()
            .then((found) => found.sort(compareStoredEntries));
    return status === undefined ? rows : rows.filter((e) => e.status === status);
  }

  getEntry(id: EntryId): Promise<StoredEntry | undefined> {
    return this.db.entries.get(id);
  }

  countEntries(groupId: GroupId): Promise<number> {
    return this.db.entries.where('groupId').equals(groupId).count();
  }

  async heads(groupId: GroupId): Promise<AuthorHead[]> {
    return this.db.heads
      .where('[groupId+author]')
      .between([groupId, Dexie.minKey], [groupId, Dexie.maxKey])
      .toArray();
  }

  async maxLamport(groupId: GroupId): Promise<number> {
    let max = 0;
    for (const h of await this.db.heads.where('groupId').equals(groupId).toArray()) {
      if (h.lamport > max) max = h.lamport;
    }
    return max;
  }

  async addPending(records: readonly PendingRecord[]): Promise<void> {
    await this.db.pending.bulkPut([...records]);
  }

  listPending(groupId: GroupId): Promise<PendingRecord[]> {
    return this.db.pending
      .where('[groupId+id]')
      .between([groupId, Dexie.minKey], [groupId, Dexie.maxKey])
      .toArray();
  }

  async removePending(groupId: GroupId, ids: readonly EntryId[]): Promise<void> {
    await this.db.pending.bulkDelete(ids.map((id): [GroupId, EntryId] => [groupId, id]));
  }

  async addRejected(records: readonly RejectedRecord[]): Promise<void> {
    const { db } = this;
    await db.transaction('rw', db.rejected, async () => {
      for (const r of records) {
        // First refusal wins: keep its receivedAt, like the memory store.
        if ((await db.rejected.get([r.groupId, r.bytesHash, r.code])) === undefined) await db.rejected.add(r);
      }
    });
  }

  listRejected(groupId: GroupId): Promise<RejectedRecord[]> {
    return this.db.rejected
      .where('[groupId+receivedAt]')
      .between([groupId, Dexie.minKey], [groupId, Dexie.maxKey])
      .toArray();
  }

  getDocUpdates(groupId: GroupId): Promise<Uint8Array[]> {
    const { db } = this;
    return db.transaction('r', [db.docs, db.docUpdates], async () => {
      const base = await db.docs.get(groupId);
      // Rows with equal index keys come in primary-key (seq) order: the order they were saved.
      const rest = await db.docUpdates.where('groupId').equals(groupId).toArray();
      return [...(base ? [base.update] : []), ...rest.map((r) => r.update)];
    });
  }

  appendDocUpdate(groupId: GroupId, update: Uint8Array): Promise<number> {
    const { db } = this;
    return db.transaction('rw', [db.docs, db.docUpdates], async () => {
      await db.docUpdates.add({ groupId, update });
      const appended = await db.docUpdates.where('groupId').equals(groupId).count();
      return appended + ((await db.docs.get(groupId)) ? 1 : 0);
    });
  }

  putDocState(groupId: GroupId, state: Uint8Array): Promise<void> {
    const { db } = this;
    return db.transaction('rw', [db.docs, db.docUpdates], async () => {
      await db.docs.put({ groupId, update: state });
      await db.docUpdates.where('groupId').equals(groupId).delete();
    });
  }

  // ------------------------------------------------ beyond the Store contract: the app's view cache

  getView(groupId: GroupId): Promise<ViewRow | undefined> {
    return this.db.views.get(groupId);
  }

  async putView(view: ViewRow): Promise<void> {
    await this.db.views.put(view);
  }

  /**
   * How many applied entries of the group by someone other than `me` arrived strictly after
   * `since` (what `listEntries(g, { receivedAfter: since, status: 'applied' })` holds from
   * others), counted from two indexes in one transaction: no row is loaded.
   */
  countArrivals(groupId: GroupId, since: number, me: string): Promise<number> {
    const { db } = this;
    return db.transaction('r', db.entries, async () => {
      const [all, mine] = await Promise.all([
        db.entries
          .where('[groupId+status+receivedAt]')
          .between([groupId, 'applied', since], [groupId, 'applied', Dexie.maxKey], false, true)
          .count(),
        db.entries
          .where('[groupId+author+status+receivedAt]')
          .between([groupId, me, 'applied', since], [groupId, me, 'applied', Dexie.maxKey], false, true)
          .count(),
      ]);
      return all - mine;
    });
  }

  async getSetting<T = unknown>(key: string): Promise<T | undefined> {
    return (await this.db.settings.get(key))?.value as T | undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await this.db.settings.put({ key, value });
  }

  /** Where encryption at rest keeps the wrapped device key (at-rest-vault.ts). */
  vaultStorage(): VaultStorage {
    const { vault } = this.db;
    return {
      get: async () => (await vault.get(DEVICE_KEY_ROW)) as DeviceKeyRow | undefined,
      create: (row) =>
        this.db.transaction('rw', vault, async () => {
          if (await vault.get(row.id)) return false;
          await vault.add(row);
          return true;
        }),
      put: async (row) => {
        await vault.put(row);
      },
    };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
