/**
 * IndexedDB schema of the local store, versioned from day one. A new version only ever
 * adds (tables, indexes, backfills); old versions stay declared so Dexie can upgrade
 * any database it finds, however old.
 */
import Dexie, { type Table, type Transaction } from 'dexie';
import type { EntryId, GroupId } from '../ledger/types';
import type { MemberId } from '../money/types';
import type {
  AuthorHead,
  GroupRecord,
  IdentityRecord,
  PendingRecord,
  RejectedRecord,
  StoredEntry,
} from './store';

export const IDENTITY_KEY = 'self';

export interface IdentityRow extends IdentityRecord {
  readonly key: typeof IDENTITY_KEY;
}
export interface DocRow {
  readonly groupId: GroupId;
  readonly update: Uint8Array;
}
/** A Yjs update saved after the group's compacted `docs` row (schema v5); `seq` orders them. */
export interface DocUpdateRow {
  readonly seq?: number;
  readonly groupId: GroupId;
  readonly update: Uint8Array;
}
/**
 * The app's cache of a group's folded state, so a restart can show the group before its entries
 * are loaded and folded again (renderer/src/services/viewCache.ts writes and checks it; the
 * store only keeps it). `entries` and `digest` describe the set of stored entries the state was
 * folded from: a row that no longer matches the entries table is ignored.
 */
export interface ViewRow {
  readonly groupId: GroupId;
  /** Version of the cached form (bumped when the folded state's shape or meaning changes). */
  readonly format: number;
  /** How many stored entries (applied and fork evidence) the state was folded from. */
  readonly entries: number;
  /** Order-independent digest of those entries' ids. */
  readonly digest: string;
  /** The folded state, encoded by the app. */
  readonly state: string;
}
export interface SettingRow {
  readonly key: string;
  readonly value: unknown;
}
/**
 * Schema v6: what encryption at rest keeps in the clear about itself (shared/sync/at-rest-vault.ts):
 * the wrapped device key (`id` 'device-key') and the migration's progress per table
 * (`id` 'seal:<table>'). Never sealed: it is read before the device key is known.
 */
export interface VaultRow {
  readonly id: string;
}

export class WalletDb extends Dexie {
  groups!: Table<GroupRecord, GroupId>;
  identity!: Table<IdentityRow, string>;
  entries!: Table<StoredEntry, EntryId>;
  heads!: Table<AuthorHead, [GroupId, MemberId]>;
  pending!: Table<PendingRecord, [GroupId, EntryId]>;
  rejected!: Table<RejectedRecord, [GroupId, string, string]>;
  docs!: Table<DocRow, GroupId>;
  settings!: Table<SettingRow, string>;
  views!: Table<ViewRow, GroupId>;
  docUpdates!: Table<DocUpdateRow, number>;
  vault!: Table<VaultRow, string>;
}

/** Version 1: the first shipped schema. Groups had no `lastSeenAt` yet. */
const V1 = {
  groups: 'id, createdAt',
  identity: 'key',
  entries: 'id, groupId, [groupId+lamport+author+seq], [groupId+author+seq]',
  heads: '[groupId+author], groupId',
  pending: '[groupId+id], groupId',
  rejected: '[groupId+bytesHash+code], groupId, [groupId+receivedAt]',
  docs: 'groupId',
  settings: 'key',
};

/** Version 2: "new since I last looked" — entries indexed by arrival, groups get `lastSeenAt`. */
const V2 = {
  ...V1,
  entries: `${V1.entries}, [groupId+receivedAt]`,
};

async function backfillLastSeenAt(tx: Transaction): Promise<void> {
  // Everything a user had before the upgrade counts as seen up to their last sync.
  await tx
    .table('groups')
    .toCollection()
    .modify((g: { lastSeenAt?: number; lastSyncedAt: number | null; createdAt: number }) => {
      if (g.lastSeenAt === undefined) g.lastSeenAt = g.lastSyncedAt ?? g.createdAt;
    });
}

/**
 * Version 3: entry rows may carry their decrypted `event`, so opening a group decrypts nothing.
 * No index changes and no backfill here: the upgrade has no decryption code, and rows without
 * an event stay valid (GroupSync decrypts them on open as before, then fills them in with
 * `addEntryEvents`). Declared as a version all the same, so the database records which row
 * format it may hold and a later upgrade knows rows from before it can lack `event`.
 */
const V3 = V2;

/**
 * Version 4: a cached folded state per group (`views`), so a large group shows before it is
 * loaded; and entries indexed by status and author, so "new since I last looked" is counted
 * from the indexes instead of by loading every new row.
 */
const V4 = {
  ...V3,
  entries: `${V3.entries}, [groupId+status+receivedAt], [groupId+author+status+receivedAt]`,
  views: 'groupId',
};

/**
 * Version 5: a group's Yjs document is saved as a compacted state (`docs`, as before) plus the
 * updates appended since (`docUpdates`, ordered by their auto-increment `seq`; the groupId index
 * lists one group's in that order), so saving a change no longer rewrites the whole document.
 * Existing `docs` rows stay valid as the compacted state.
 */
const V5 = {
  ...V4,
  docUpdates: '++seq, groupId',
};

/**
 * Version 6: encryption at rest (shared/sync/dexie-at-rest.ts). Sealing changes no index: the
 * sealed fields were never indexed. The `vault` table keeps the wrapped device key and the
 * progress of sealing existing rows (at-rest-migration.ts), which runs after open, with the key,
 * rather than in an upgrade function that has none.
 */
const V6 = {
  ...V5,
  vault: 'id',
};

export const LATEST_SCHEMA_VERSION = 6;

/** Declares versions 1..upTo on a fresh Dexie instance (tests open older versions to check upgrades). */
export function declareSchema(db: Dexie, upTo: number = LATEST_SCHEMA_VERSION): void {
  db.version(1).stores(V1);
  if (upTo >= 2) db.version(2).stores(V2).upgrade(backfillLastSeenAt);
  if (upTo >= 3) db.version(3).stores(V3);
  if (upTo >= 4) db.version(4).stores(V4);
  if (upTo >= 5) db.version(5).stores(V5);
  if (upTo >= 6) db.version(6).stores(V6);
}
