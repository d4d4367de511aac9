/**
 * In-memory Store for tests and headless tools. Behaves like DexieStore: values are
 * copied in and out (structured clone), operations run one at a time, and a batch
 * append is planned completely before anything is written.
 */
import { WalletError } from '../errors';
import { copyTogether } from '../crypto/hash';
import type { EntryId, GroupId } from '../ledger/types';
import { AuthorSlots, planAppend } from './append-plan';
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

const clone = <T>(value: T): T => structuredClone(value);

/**
 * Deep copy of JSON data. Events were parsed from JSON, so this copies them completely, and
 * several times faster than structuredClone (which serialises), over thousands of rows.
 */
function copyJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyJson((value as Record<string, unknown>)[key]);
  return out as T;
}

/** The same copy as `clone` for an entry row: strings and numbers, plus bytes and the event. */
function copyEntry(entry: StoredEntry): StoredEntry {
  // new Uint8Array(x) always copies (a Node Buffer's slice() would share memory).
  return copyEntryWith(entry, new Uint8Array(entry.bytes));
}

/** copyEntry with its bytes already copied. */
function copyEntryWith(entry: StoredEntry, bytes: Uint8Array): StoredEntry {
  const copy: { -readonly [K in keyof StoredEntry]: StoredEntry[K] } = { ...entry, bytes };
  if (entry.event !== undefined) copy.event = copyJson(entry.event);
  return copy;
}

export class MemoryStore implements Store {
  private readonly groups = new Map<GroupId, GroupRecord>();
  private identity: IdentityRecord | undefined;
  private readonly entries = new Map<EntryId, StoredEntry>();
  /** `${groupId}:${author}` -> head */
  private readonly headRows = new Map<string, AuthorHead>();
  /** Per group: the applied entry at each author+seq. */
  private readonly appliedSlots = new Map<GroupId, AuthorSlots>();
  private readonly pending = new Map<string, PendingRecord>();
  private readonly rejected = new Map<string, RejectedRecord>();
  /** Per group: the compacted document state (if any), then the updates appended since. */
  private readonly docs = new Map<GroupId, Uint8Array[]>();
  private readonly settings = new Map<string, unknown>();
  /** Serialises operations, like IndexedDB's transaction queue. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private run<T>(op: () => T | Promise<T>): Promise<T> {
    const next = this.queue.then(() => {
      if (this.closed) throw new WalletError('store_closed', 'The store is closed');
      return op();
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  private slotsOf(groupId: GroupId): AuthorSlots {
    let slots = this.appliedSlots.get(groupId);
    if (!slots) {
      slots = new AuthorSlots();
      this.appliedSlots.set(groupId, slots);
    }
    return slots;
  }

  putGroup(group: GroupRecord): Promise<void> {
    return this.run(() => {
      this.groups.set(group.id, clone(group));
    });
  }

  getGroup(id: GroupId): Promise<GroupRecord | undefined> {
    return this.run(() => clone(this.groups.get(id)));
  }

  listGroups(): Promise<GroupRecord[]> {
    return this.run(() =>
      [...this.groups.values()]
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(clone),
    );
  }

  updateGroup(id: GroupId, patch: GroupPatch): Promise<GroupRecord> {
    return this.run(() => {
      const group = this.groups.get(id);
      if (!group) throw new WalletError('store_unknown_group', `No group ${id}`, { groupId: id });
      const next = { ...group, ...clone(patch) };
      this.groups.set(id, next);
      return clone(next);
    });
  }

  deleteGroup(id: GroupId): Promise<void> {
    return this.run(() => {
      this.groups.delete(id);
      this.docs.delete(id);
      for (const [key, e] of this.entries) if (e.groupId === id) this.entries.delete(key);
      this.appliedSlots.delete(id);
      for (const map of [this.headRows, this.pending]) {
        for (const key of map.keys()) if (key.startsWith(`${id}:`)) map.delete(key);
      }
      for (const [key, r] of this.rejected) if (r.groupId === id) this.rejected.delete(key);
    });
  }

  getIdentity(): Promise<IdentityRecord | undefined> {
    return this.run(() => clone(this.identity));
  }

  putIdentity(identity: IdentityRecord): Promise<void> {
    return this.run(() => {
      this.identity = clone(identity);
    });
  }

  appendEntries(groupId: GroupId, batch: readonly StoredEntry[]): Promise<number> {
    return this.run(async () => {
      const plan = await planAppend(groupId, batch, {
        hasEntry: (id) => this.entries.has(id),
        appliedAt: (g, author, seq) => this.appliedSlots.get(g)?.get(author, seq),
        head: (g, author) => this.headRows.get(`${g}:${author}`),
      });
      // Nothing below can throw: the batch lands whole.
      // One buffer for the batch's bytes (thousands of small arrays were most of a large append);
      // readers get their own copies (copyEntry), so it never leaves the store.
      const bytes = copyTogether(plan.entries.map((e) => e.bytes)).views;
      const slots = this.slotsOf(groupId);
      for (const [i, entry] of plan.entries.entries()) {
        this.entries.set(entry.id, copyEntryWith(entry, bytes[i]!));
        if (entry.status === 'applied') slots.set(entry.author, entry.seq, entry.id);
      }
      for (const head of plan.heads) this.headRows.set(`${groupId}:${head.author}`, head);
      return plan.entries.length;
    });
  }

  markForkEvidence(groupId: GroupId, ids: readonly EntryId[]): Promise<void> {
    return this.run(() => {
      const authors = new Set<string>();
      for (const id of ids) {
        const entry = this.entries.get(id);
        if (!entry || entry.groupId !== groupId || entry.status !== 'applied') continue;
        this.entries.set(id, { ...entry, status: 'fork-evidence' });
        this.appliedSlots.get(groupId)?.delete(entry.author, entry.seq);
        authors.add(entry.author);
      }
      for (const author of authors) {
        let head: AuthorHead | undefined;
        for (const e of this.entries.values()) {
          if (
            e.groupId === groupId &&
            e.author === author &&
            e.status === 'applied' &&
            (!head || e.seq > head.seq)
          ) {
            head = { groupId, author, seq: e.seq, id: e.id, lamport: e.lamport };
          }
        }
        if (head) this.headRows.set(`${groupId}:${author}`, head);
        else this.headRows.delete(`${groupId}:${author}`);
      }
    });
  }

  addEntryEvents(groupId: GroupId, events: readonly EntryEvent[]): Promise<void> {
    return this.run(() => {
      for (const { id, event } of events) {
        const entry = this.entries.get(id);
        if (!entry || entry.groupId !== groupId || entry.event !== undefined) continue;
        this.entries.set(id, { ...entry, event: copyJson(event) });
      }
    });
  }

  listEntries(groupId: GroupId, options: ListEntriesOptions = {}): Promise<StoredEntry[]> {
    return this.run(() =>
      [...this.entries.values()]
        .filter(
          (e) =>
            e.groupId === groupId &&
            (options.status === undefined || e.status === options.status) &&
            (options.receivedAfter === undefined || e.receivedAt > options.receivedAfter),
        )
        .sort(compareStoredEntries)
        .map(copyEntry),
    );
  }

  getEntry(id: EntryId): Promise<StoredEntry | undefined> {
    return this.run(() => {
      const entry = this.entries.get(id);
      return entry && copyEntry(entry);
    });
  }

  countEntries(groupId: GroupId): Promise<number> {
    return this.run(() => {
      let n = 0;
      for (const e of this.entries.values()) if (e.groupId === groupId) n++;
      return n;
    });
  }

  heads(groupId: GroupId): Promise<AuthorHead[]> {
    return this.run(() =>
      [...this.headRows.values()]
        .filter((h) => h.groupId === groupId)
        .sort((a, b) => (a.author < b.author ? -1 : a.author > b.author ? 1 : 0))
        .map(clone),
    );
  }

  maxLamport(groupId: GroupId): Promise<number> {
    return this.run(() => {
      let max = 0;
      for (const h of this.headRows.values()) if (h.groupId === groupId && h.lamport > max) max = h.lamport;
      return max;
    });
  }

  addPending(records: readonly PendingRecord[]): Promise<void> {
    return this.run(() => {
      for (const r of records) this.pending.set(`${r.groupId}:${r.id}`, clone(r));
    });
  }

  listPending(groupId: GroupId): Promise<PendingRecord[]> {
    return this.run(() =>
      [...this.pending.values()]
        .filter((r) => r.groupId === groupId)
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map(clone),
    );
  }

  removePending(groupId: GroupId, ids: readonly EntryId[]): Promise<void> {
    return this.run(() => {
      for (const id of ids) this.pending.delete(`${groupId}:${id}`);
    });
  }

  addRejected(records: readonly RejectedRecord[]): Promise<void> {
    return this.run(() => {
      for (const r of records) {
        const key = `${r.groupId}:${r.bytesHash}:${r.code}`;
        if (!this.rejected.has(key)) this.rejected.set(key, clone(r));
      }
    });
  }

  listRejected(groupId: GroupId): Promise<RejectedRecord[]> {
    return this.run(() =>
      [...this.rejected.values()]
        .filter((r) => r.groupId === groupId)
        .sort(
          (a, b) =>
            a.receivedAt - b.receivedAt ||
            (a.bytesHash < b.bytesHash ? -1 : a.bytesHash > b.bytesHash ? 1 : 0) ||
            (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
        )
        .map(clone),
    );
  }

  getDocUpdates(groupId: GroupId): Promise<Uint8Array[]> {
    return this.run(() => clone(this.docs.get(groupId) ?? []));
  }

  appendDocUpdate(groupId: GroupId, update: Uint8Array): Promise<number> {
    return this.run(() => {
      const updates = this.docs.get(groupId) ?? [];
      updates.push(clone(update));
      this.docs.set(groupId, updates);
      return updates.length;
    });
  }

  putDocState(groupId: GroupId, state: Uint8Array): Promise<void> {
    return this.run(() => {
      this.docs.set(groupId, [clone(state)]);
    });
  }

  getSetting<T = unknown>(key: string): Promise<T | undefined> {
    return this.run(() => clone(this.settings.get(key)) as T | undefined);
  }

  setSetting(key: string, value: unknown): Promise<void> {
    return this.run(() => {
      this.settings.set(key, clone(value));
    });
  }

  close(): Promise<void> {
    return this.run(() => {
      this.closed = true;
    });
  }
}
