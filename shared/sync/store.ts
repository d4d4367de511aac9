/**
 * The local store: everything a device keeps about its groups. Two implementations
 * behave identically (one contract test suite runs against both): `MemoryStore` for
 * tests and headless tools, `DexieStore` (IndexedDB) for the app.
 *
 * The store trusts its callers: entries reach it only after the group verifier
 * accepted them. It still guards its own invariants (right group, one applied entry
 * per author+seq) so a bug upstream cannot leave it half-written.
 */
import type { DeviceCertificate } from '../crypto/device-cert';
import type { WalletEvent } from '../ledger/events';
import type { EntryId, GroupId } from '../ledger/types';
import type { MemberId } from '../money/types';

export interface GroupRecord {
  readonly id: GroupId;
  /** Display name cache (the truth is the folded state). */
  readonly name: string;
  /** 32-byte symmetric group key. */
  readonly groupKey: Uint8Array;
  readonly relayUrl: string | null;
  readonly createdAt: number;
  /** When this device last finished a sync with the relay (ms), null before the first. */
  readonly lastSyncedAt: number | null;
  /** Marker for "what changed since I last looked": entries received after this (ms) are new. */
  readonly lastSeenAt: number;
  /**
   * On a linked device: the rotated epoch keys its link grant carried (hex, by key.rotated entry;
   * protocol §15, §16). Sealed at rest with the group key.
   */
  readonly epochKeys?: readonly { readonly rotation: EntryId; readonly key: string }[];
  /**
   * The relay token the invite carried (64 hex; protocol §15, "Relay token"): made after a key
   * rotation, it is what the relay still accepts once epoch 0's token has expired. Sealed at rest.
   */
  readonly inviteRelayToken?: string;
}

/** The device's identity. The secret may be wrapped by the platform keychain: opaque bytes then. */
export interface IdentityRecord {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
  /** True when `secretKey` is wrapped (e.g. Electron safeStorage) and must be unwrapped before use. */
  readonly wrapped: boolean;
  readonly createdAt: number;
  /**
   * On a linked device (protocol §16): the person's certificate for this device's key. Then
   * `publicKey`/`secretKey` are the device's own and the member id is `certificate.person`.
   */
  readonly certificate?: DeviceCertificate;
}

/** 'applied': part of the log. 'fork-evidence': a second entry for an author+seq, kept as proof. */
export type EntryStatus = 'applied' | 'fork-evidence';

export interface StoredEntry {
  readonly id: EntryId;
  readonly groupId: GroupId;
  readonly author: MemberId;
  readonly seq: number;
  readonly lamport: number;
  /** The signed envelope exactly as received. */
  readonly bytes: Uint8Array;
  readonly receivedAt: number;
  readonly status: EntryStatus;
  /**
   * The decrypted, schema-checked event, kept so opening a group needs no decryption (the
   * group key lives in the same store, so this exposes nothing new). Absent in rows written
   * before schema v3 until `addEntryEvents` fills it in.
   */
  readonly event?: WalletEvent;
}

/** The decrypted event of a stored entry, for `addEntryEvents`. */
export interface EntryEvent {
  readonly id: EntryId;
  readonly event: WalletEvent;
}

/** The latest applied entry of one author in one group. */
export interface AuthorHead {
  readonly groupId: GroupId;
  readonly author: MemberId;
  readonly seq: number;
  readonly id: EntryId;
  readonly lamport: number;
}

/** Something that arrived and was refused: kept so the UI can show it, never applied. */
export interface RejectedRecord {
  readonly groupId: GroupId;
  /** The entry id when the bytes could be hashed as an entry, else null. */
  readonly id: EntryId | null;
  readonly code: string;
  readonly message: string;
  /** Hex SHA-256 of the offending bytes (or of a description when there were no bytes). */
  readonly bytesHash: string;
  readonly receivedAt: number;
}

/** An entry that cannot be checked yet because its predecessor has not arrived. */
export interface PendingRecord {
  readonly groupId: GroupId;
  readonly id: EntryId;
  readonly bytes: Uint8Array;
  readonly receivedAt: number;
}

export interface ListEntriesOptions {
  /** Only entries with this status; all when omitted. */
  readonly status?: EntryStatus;
  /** Only entries received strictly after this time (ms): the "new since I last looked" view. */
  readonly receivedAfter?: number;
}

export type GroupPatch = Partial<Pick<GroupRecord, 'name' | 'relayUrl' | 'lastSyncedAt' | 'lastSeenAt'>>;

export interface Store {
  // groups
  putGroup(group: GroupRecord): Promise<void>;
  getGroup(id: GroupId): Promise<GroupRecord | undefined>;
  /** Sorted by createdAt, then id. */
  listGroups(): Promise<GroupRecord[]>;
  /** Throws WalletError 'store_unknown_group' when absent. */
  updateGroup(id: GroupId, patch: GroupPatch): Promise<GroupRecord>;
  /** Removes the group and everything kept for it, in one transaction. */
  deleteGroup(id: GroupId): Promise<void>;

  // identity
  getIdentity(): Promise<IdentityRecord | undefined>;
  putIdentity(identity: IdentityRecord): Promise<void>;

  // entries
  /**
   * Appends entries and updates the author heads, all or nothing. Entries already stored
   * (same id) are skipped. Throws WalletError 'store_wrong_group' when an entry names another
   * group and 'store_conflict' when an applied entry collides with another applied entry of
   * the same author+seq (that is fork evidence and must be stored as such).
   * Returns how many entries were newly written.
   */
  appendEntries(groupId: GroupId, entries: readonly StoredEntry[]): Promise<number>;
  /**
   * Turns applied entries into fork evidence (their author forked: the log leaves them out)
   * and moves those authors' heads back to their last applied entry, in one transaction.
   * Unknown ids and entries already marked are ignored.
   */
  markForkEvidence(groupId: GroupId, ids: readonly EntryId[]): Promise<void>;
  /**
   * Fills in the cached event of stored entries of the group that have none (rows from before
   * schema v3). Never replaces an event already stored, never touches bytes, status or heads;
   * unknown ids and entries of other groups are ignored.
   */
  addEntryEvents(groupId: GroupId, events: readonly EntryEvent[]): Promise<void>;
  /** Ordered by (lamport, author, seq, id). */
  listEntries(groupId: GroupId, options?: ListEntriesOptions): Promise<StoredEntry[]>;
  getEntry(id: EntryId): Promise<StoredEntry | undefined>;
  countEntries(groupId: GroupId): Promise<number>;
  /** One head per author, sorted by author. */
  heads(groupId: GroupId): Promise<AuthorHead[]>;
  /** Highest lamport among applied entries, 0 when none. */
  maxLamport(groupId: GroupId): Promise<number>;

  // pending
  addPending(records: readonly PendingRecord[]): Promise<void>;
  /** Ordered by id. */
  listPending(groupId: GroupId): Promise<PendingRecord[]>;
  removePending(groupId: GroupId, ids: readonly EntryId[]): Promise<void>;

  // rejected
  /** Idempotent per (groupId, bytesHash, code): the same refusal is kept once. */
  addRejected(records: readonly RejectedRecord[]): Promise<void>;
  /** Ordered by receivedAt, then bytesHash, then code. */
  listRejected(groupId: GroupId): Promise<RejectedRecord[]>;

  // sync state (the Yjs document of a group): one compacted state, then the updates saved since.
  // Saving a change appends only that change, so a busy group does not rewrite its whole
  // document (megabytes for a large group) each time; compaction folds them back into one.
  /** The compacted state (if any) first, then every appended update, in the order saved. */
  getDocUpdates(groupId: GroupId): Promise<Uint8Array[]>;
  /** Adds one update after the others; returns how many updates the group now has stored. */
  appendDocUpdate(groupId: GroupId, update: Uint8Array): Promise<number>;
  /** Replaces the group's compacted state and every appended update with `state`, atomically. */
  putDocState(groupId: GroupId, state: Uint8Array): Promise<void>;

  // settings
  getSetting<T = unknown>(key: string): Promise<T | undefined>;
  setSetting(key: string, value: unknown): Promise<void>;

  close(): Promise<void>;
}

/** Shared ordering of listEntries, so both stores sort identically. */
export function compareStoredEntries(a: StoredEntry, b: StoredEntry): number {
  if (a.lamport !== b.lamport) return a.lamport - b.lamport;
  if (a.author !== b.author) return a.author < b.author ? -1 : 1;
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
