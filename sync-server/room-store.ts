import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { decodeAny } from 'lib0/buffer';
import { LeveldbPersistence } from 'y-leveldb';
import * as Y from 'yjs';
import { WalletError } from '../shared/errors';
import { claimSet, hashHex, parseTokenSet, serializeTokenSet, type TokenSet } from './token-set';

export type RoomStoreErrorCode =
  | 'relay_storage_unavailable'
  | 'relay_storage_failed'
  | 'relay_storage_corrupt';

/** What `loadRoom` could read: the document, and what it could not read (empty when intact). */
export interface LoadedRoom {
  readonly doc: Y.Doc;
  /** Human-readable findings, e.g. "3 of 120 update records unreadable". */
  readonly unreadable: readonly string[];
}

/**
 * Where rooms live between restarts: each room's token hash and its Yjs update log.
 * `createRoom` reserves the room synchronously (so `roomCount` is race-free) before it writes.
 */
export interface RoomStore {
  readonly roomCount: number;
  /** Every stored room id (the in-memory index built at open and kept since). */
  listRooms(): string[];
  readTokenHash(roomId: string): Promise<Uint8Array | undefined>;
  /**
   * The relay tokens the room accepts (token-set.ts): its `tokens` meta, or the claim alone for
   * a room with no hand-over yet (or stored before token sets existed). Undefined: no such room.
   * Throws `relay_storage_corrupt` when the stored set is damaged.
   */
  readTokenSet(roomId: string): Promise<TokenSet | undefined>;
  /** Replaces the room's token set; the claim (`tokenHash`) stays as it was. */
  writeTokenSet(roomId: string, records: TokenSet): Promise<void>;
  /** Every meta value of a room (token hash, lifecycle keys); throws when unreadable. */
  readMetas(roomId: string): Promise<Map<string, unknown>>;
  /** Writes are queued in call order, so a meta written before createRoom lands before it. */
  writeMeta(roomId: string, key: string, value: number | boolean): Promise<void>;
  /** Removes a room and everything stored for it. */
  deleteRoom(roomId: string): Promise<void>;
  /** Reads a room's updates, skipping records it cannot read instead of failing. */
  loadRoomChecked(roomId: string): Promise<LoadedRoom>;
  createRoom(roomId: string, tokenHash: Uint8Array): Promise<void>;
  loadRoom(roomId: string): Promise<Y.Doc>;
  /** Resolves once the update is written (to the OS for LevelDB: it survives a killed process). */
  appendUpdate(roomId: string, update: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

const TOKEN_HASH_META = 'tokenHash';
/** Meta key of the room's token set (JSON, token-set.ts), written at the first hand-over. */
export const TOKENS_META = 'tokens';
/** An update with no content: written at room creation so the room shows up in listings. */
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());
/** Merge a live room's update log into one record every this many appends. */
const COMPACT_EVERY = 500;

function failed(message: string, details: Record<string, unknown>): WalletError<RoomStoreErrorCode> {
  return new WalletError('relay_storage_failed', message, details);
}

/** A room's token set from its two meta values (either may be missing). */
export function tokenSetOfMetas(claim: unknown, tokens: unknown): TokenSet | undefined {
  if (tokens !== undefined) return parseTokenSet(tokens);
  if (claim === undefined) return undefined;
  if (!(claim instanceof Uint8Array) || claim.byteLength !== 32) {
    throw new WalletError('relay_storage_corrupt', 'Stored room token is corrupt', {});
  }
  return claimSet(hashHex(claim));
}

/** Keeps rooms in memory only: for tests and throwaway relays. */
export class MemoryRoomStore implements RoomStore {
  private readonly rooms = new Map<
    string,
    { tokenHash: Uint8Array; updates: Uint8Array[]; meta: Map<string, unknown> }
  >();
  /** Meta written before the room exists (lifecycle keys precede createRoom). */
  private readonly pendingMeta = new Map<string, Map<string, unknown>>();

  get roomCount(): number {
    return this.rooms.size;
  }

  listRooms(): string[] {
    return [...this.rooms.keys()];
  }

  async readMetas(roomId: string): Promise<Map<string, unknown>> {
    const room = this.rooms.get(roomId);
    const metas = new Map(room?.meta ?? this.pendingMeta.get(roomId) ?? []);
    if (room !== undefined) metas.set(TOKEN_HASH_META, room.tokenHash);
    return metas;
  }

  async writeMeta(roomId: string, key: string, value: number | boolean): Promise<void> {
    const room = this.rooms.get(roomId);
    if (room !== undefined) room.meta.set(key, value);
    else this.pendingMeta.set(roomId, (this.pendingMeta.get(roomId) ?? new Map()).set(key, value));
  }

  async deleteRoom(roomId: string): Promise<void> {
    this.rooms.delete(roomId);
    this.pendingMeta.delete(roomId);
  }

  async loadRoomChecked(roomId: string): Promise<LoadedRoom> {
    return { doc: await this.loadRoom(roomId), unreadable: [] };
  }

  async readTokenHash(roomId: string): Promise<Uint8Array | undefined> {
    return this.rooms.get(roomId)?.tokenHash;
  }

  async readTokenSet(roomId: string): Promise<TokenSet | undefined> {
    const room = this.rooms.get(roomId);
    return room === undefined ? undefined : tokenSetOfMetas(room.tokenHash, room.meta.get(TOKENS_META));
  }

  async writeTokenSet(roomId: string, records: TokenSet): Promise<void> {
    const room = this.rooms.get(roomId);
    if (room === undefined) throw failed('Token set for a room that does not exist', { roomId });
    room.meta.set(TOKENS_META, serializeTokenSet(records));
  }

  async createRoom(roomId: string, tokenHash: Uint8Array): Promise<void> {
    const meta = this.pendingMeta.get(roomId) ?? new Map<string, unknown>();
    this.pendingMeta.delete(roomId);
    this.rooms.set(roomId, { tokenHash, updates: [], meta });
  }

  async loadRoom(roomId: string): Promise<Y.Doc> {
    const doc = new Y.Doc();
    const updates = this.rooms.get(roomId)?.updates ?? [];
    doc.transact(() => {
      for (const update of updates) Y.applyUpdate(doc, update);
    });
    return doc;
  }

  async appendUpdate(roomId: string, update: Uint8Array): Promise<void> {
    const room = this.rooms.get(roomId);
    if (room === undefined) throw failed('Update for a room that does not exist', { roomId });
    room.updates.push(update);
    if (room.updates.length >= COMPACT_EVERY) room.updates = [Y.mergeUpdates(room.updates)];
  }

  async close(): Promise<void> {}
}

/**
 * Rooms in a LevelDB folder through y-leveldb. y-leveldb reports failures by resolving
 * `null` (it logs and swallows the error), so every call here checks for that.
 */
export class LevelRoomStore implements RoomStore {
  private readonly appendsSinceCompaction = new Map<string, number>();

  private constructor(
    private readonly persistence: LeveldbPersistence,
    private readonly rooms: Set<string>,
  ) {}

  /** Opens (or creates) the store; fails fast with `relay_storage_unavailable` (e.g. folder locked). */
  static async open(dir: string): Promise<LevelRoomStore> {
    try {
      await mkdir(dir, { recursive: true });
    } catch (cause) {
      throw new WalletError('relay_storage_unavailable', `Cannot create relay data folder ${dir}`, {
        dir,
        cause: String(cause),
      });
    }
    const persistence = new LeveldbPersistence(dir);
    // y-leveldb opens the database lazily and swallows errors; borrow its handle (through its
    // typed, serialised `_transact`) and open it ourselves, so a locked or unreadable folder
    // is reported here instead of as silent null results on every write.
    const db = (await persistence._transact(async (handle) => handle)) as { open(): Promise<void> } | null;
    if (db === null)
      throw new WalletError('relay_storage_unavailable', `Cannot open relay data in ${dir}`, { dir });
    try {
      await db.open();
    } catch (cause) {
      throw new WalletError('relay_storage_unavailable', `Cannot open relay data in ${dir}`, {
        dir,
        cause: String((cause as { cause?: unknown }).cause ?? cause),
      });
    }
    const names = await persistence.getAllDocNames();
    if (names === null) {
      await persistence.destroy();
      throw new WalletError('relay_storage_unavailable', `Cannot list rooms in ${dir}`, { dir });
    }
    return new LevelRoomStore(persistence, new Set(names));
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  listRooms(): string[] {
    return [...this.rooms];
  }

  /**
   * Runs `read` inside y-leveldb's serialised queue but keeps its error: y-leveldb itself would
   * log it with console.warn and resolve null, hiding what went wrong.
   */
  private async raw<T>(read: (db: LevelHandle) => Promise<T>): Promise<T> {
    const result = (await this.persistence._transact(async (db) => {
      try {
        return { ok: true as const, value: await read(db as LevelHandle) };
      } catch (error) {
        return { ok: false as const, error };
      }
    })) as { ok: true; value: T } | { ok: false; error: unknown } | null;
    if (result === null) throw failed('Storage queue failed', {});
    if (!result.ok) throw result.error;
    return result.value;
  }

  async readMetas(roomId: string): Promise<Map<string, unknown>> {
    try {
      const entries = await this.raw((db) =>
        db.iterator({ gte: ['v1', roomId, 'meta', ''], lt: ['v1', roomId, 'metb'] }).all(),
      );
      return new Map(entries.map(([key, value]) => [String(key[3]), decodeAny(value)]));
    } catch (cause) {
      throw corrupt('Cannot read room meta', roomId, cause);
    }
  }

  async writeMeta(roomId: string, key: string, value: number | boolean): Promise<void> {
    if ((await this.persistence.setMeta(roomId, key, value)) === null) {
      throw failed('Cannot store room meta', { roomId, key });
    }
  }

  async deleteRoom(roomId: string): Promise<void> {
    this.rooms.delete(roomId);
    this.appendsSinceCompaction.delete(roomId);
    // clearDocument removes the listing key, every update and every meta key of the room.
    await this.raw(async (db) => {
      await db.del(['v1_sv', roomId]);
      await db.clear({ gte: ['v1', roomId], lt: ['v1', roomId, 'zzzzzzz'] });
    });
  }

  /**
   * Reads the room's update records in one range read; if LevelDB reports corruption there,
   * reads them one by one from the newest back (records are numbered without gaps since the
   * last compaction), so one damaged block costs only the records inside it.
   */
  async loadRoomChecked(roomId: string): Promise<LoadedRoom> {
    const range = { gte: ['v1', roomId, 'update', 0], lt: ['v1', roomId, 'update', 2 ** 32 - 1] };
    let updates: Uint8Array[];
    const unreadable: string[] = [];
    try {
      updates = await this.raw((db) => db.values(range).all());
    } catch (cause) {
      unreadable.push(`update records unreadable as a range (${errorText(cause)})`);
      updates = [];
      try {
        const salvaged = await this.raw((db) => salvageUpdates(db, roomId));
        updates = salvaged.updates;
        if (salvaged.lost > 0) unreadable.push(`${salvaged.lost} update records unreadable`);
        if (salvaged.lastUnknown) unreadable.push('newest update record unreadable; appends may fail');
      } catch (salvageCause) {
        unreadable.push(`no update record readable (${errorText(salvageCause)})`);
      }
    }
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const update of updates) {
        try {
          Y.applyUpdate(doc, update);
        } catch (cause) {
          // LevelDB returned bytes that are not a Yjs update (damage its checksums missed).
          unreadable.push(`an update record does not decode (${errorText(cause)})`);
        }
      }
    });
    const misfiled = misfiledValues(doc);
    if (misfiled > 0) unreadable.push(`${misfiled} entries whose bytes no longer match their id`);
    return { doc, unreadable };
  }

  async readTokenHash(roomId: string): Promise<Uint8Array | undefined> {
    // getMeta resolves undefined for a missing key and null when the read failed.
    const value: unknown = await this.persistence.getMeta(roomId, TOKEN_HASH_META);
    if (value === null) throw failed('Cannot read room token', { roomId });
    if (value === undefined) return undefined;
    if (!(value instanceof Uint8Array)) throw failed('Stored room token is corrupt', { roomId });
    return value;
  }

  async readTokenSet(roomId: string): Promise<TokenSet | undefined> {
    const tokens: unknown = await this.persistence.getMeta(roomId, TOKENS_META);
    if (tokens === null) throw failed('Cannot read room tokens', { roomId });
    if (tokens !== undefined) return tokenSetOfMetas(undefined, tokens);
    const claim = await this.readTokenHash(roomId);
    return claim === undefined ? undefined : tokenSetOfMetas(claim, undefined);
  }

  async writeTokenSet(roomId: string, records: TokenSet): Promise<void> {
    if (!this.rooms.has(roomId)) throw failed('Token set for a room that does not exist', { roomId });
    if ((await this.persistence.setMeta(roomId, TOKENS_META, serializeTokenSet(records))) === null) {
      throw failed('Cannot store room tokens', { roomId });
    }
  }

  async createRoom(roomId: string, tokenHash: Uint8Array): Promise<void> {
    this.rooms.add(roomId);
    try {
      const metaWritten = this.persistence.setMeta(roomId, TOKEN_HASH_META, tokenHash);
      if (metaWritten === null) throw failed('Cannot store room token', { roomId });
      await this.appendUpdate(roomId, EMPTY_UPDATE);
    } catch (error) {
      this.rooms.delete(roomId);
      throw error;
    }
  }

  async loadRoom(roomId: string): Promise<Y.Doc> {
    const doc = (await this.persistence.getYDoc(roomId)) as Y.Doc | null;
    if (doc === null) throw failed('Cannot load room', { roomId });
    return doc;
  }

  async appendUpdate(roomId: string, update: Uint8Array): Promise<void> {
    const clock = await this.persistence.storeUpdate(roomId, update);
    if (typeof clock !== 'number') throw failed('Cannot store update', { roomId });
    const appends = (this.appendsSinceCompaction.get(roomId) ?? 0) + 1;
    if (appends >= COMPACT_EVERY) {
      this.appendsSinceCompaction.delete(roomId);
      // Queued behind the writes above inside y-leveldb; not awaited so the caller is not slowed.
      void this.persistence.flushDocument(roomId);
    } else {
      this.appendsSinceCompaction.set(roomId, appends);
    }
  }

  /** Waits for every queued write, then closes the database. */
  async close(): Promise<void> {
    await this.persistence.destroy();
  }
}

/** The parts of the abstract-level handle y-leveldb opens (keys are y-leveldb key arrays). */
type LevelKey = Array<string | number>;
interface LevelHandle {
  iterator(range: object): { all(): Promise<Array<[LevelKey, Uint8Array]>> };
  values(range: object): { all(): Promise<Uint8Array[]> };
  keys(range: object): { all(): Promise<LevelKey[]> };
  get(key: LevelKey): Promise<Uint8Array | undefined>;
  del(key: LevelKey): Promise<void>;
  clear(range: object): Promise<void>;
}

function errorText(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

function corrupt(message: string, roomId: string, cause: unknown): WalletError<RoomStoreErrorCode> {
  return new WalletError('relay_storage_corrupt', message, { roomId, cause: errorText(cause) });
}

/** How many missing records in a row mean "this is where the record numbers start". */
const SALVAGE_GAP = 64;

/** Reads a room's records one by one, newest first; counts the ones LevelDB cannot read. */
async function salvageUpdates(
  db: LevelHandle,
  roomId: string,
): Promise<{ updates: Uint8Array[]; lost: number; lastUnknown: boolean }> {
  const range = { gte: ['v1', roomId, 'update', 0], lt: ['v1', roomId, 'update', 2 ** 32 - 1] };
  let newest: number;
  try {
    const [key] = await db.keys({ ...range, reverse: true, limit: 1 }).all();
    if (key === undefined) return { updates: [], lost: 0, lastUnknown: false };
    newest = Number(key[3]);
  } catch {
    return { updates: [], lost: 0, lastUnknown: true };
  }
  const updates: Uint8Array[] = [];
  let lost = 0;
  let missingInARow = 0;
  for (let clock = newest; clock >= 0 && missingInARow < SALVAGE_GAP; clock--) {
    try {
      const value = await db.get(['v1', roomId, 'update', clock]);
      if (value === undefined) {
        missingInARow += 1;
        continue;
      }
      updates.push(value);
    } catch (cause) {
      if ((cause as { code?: string }).code === 'LEVEL_NOT_FOUND') {
        missingInARow += 1;
        continue;
      }
      lost += 1;
    }
    missingInARow = 0;
  }
  return { updates: updates.reverse(), lost, lastUnknown: false };
}

/**
 * Entries are stored under their own id (SHA-256 of their bytes, see the admission rules), so a
 * value changed on disk shows as a mismatch: LevelDB does not verify block checksums on reads,
 * so flipped bytes in an uncompressed block would otherwise come back silently.
 */
function misfiledValues(doc: Y.Doc): number {
  let misfiled = 0;
  for (const [key, value] of doc.getMap<unknown>('entries')) {
    if (!(value instanceof Uint8Array)) continue;
    if (createHash('sha256').update(value).digest('hex') !== key) misfiled += 1;
  }
  return misfiled;
}
