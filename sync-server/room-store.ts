import { mkdir } from 'node:fs/promises';
import { LeveldbPersistence } from 'y-leveldb';
import * as Y from 'yjs';
import { WalletError } from '../shared/errors';

export type RoomStoreErrorCode = 'relay_storage_unavailable' | 'relay_storage_failed';

/**
 * Where rooms live between restarts: each room's token hash and its Yjs update log.
 * `createRoom` reserves the room synchronously (so `roomCount` is race-free) before it writes.
 */
export interface RoomStore {
  readonly roomCount: number;
  readTokenHash(roomId: string): Promise<Uint8Array | undefined>;
  createRoom(roomId: string, tokenHash: Uint8Array): Promise<void>;
  loadRoom(roomId: string): Promise<Y.Doc>;
  /** Resolves once the update is written (to the OS for LevelDB: it survives a killed process). */
  appendUpdate(roomId: string, update: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

const TOKEN_HASH_META = 'tokenHash';
/** An update with no content: written at room creation so the room shows up in listings. */
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());
/** Merge a live room's update log into one record every this many appends. */
const COMPACT_EVERY = 500;

function failed(message: string, details: Record<string, unknown>): WalletError<RoomStoreErrorCode> {
  return new WalletError('relay_storage_failed', message, details);
}

/** Keeps rooms in memory only: for tests and throwaway relays. */
export class MemoryRoomStore implements RoomStore {
  private readonly rooms = new Map<string, { tokenHash: Uint8Array; updates: Uint8Array[] }>();

  get roomCount(): number {
    return this.rooms.size;
  }

  async readTokenHash(roomId: string): Promise<Uint8Array | undefined> {
    return this.rooms.get(roomId)?.tokenHash;
  }

  async createRoom(roomId: string, tokenHash: Uint8Array): Promise<void> {
    this.rooms.set(roomId, { tokenHash, updates: [] });
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

  async readTokenHash(roomId: string): Promise<Uint8Array | undefined> {
    // getMeta resolves undefined for a missing key and null when the read failed.
    const value: unknown = await this.persistence.getMeta(roomId, TOKEN_HASH_META);
    if (value === null) throw failed('Cannot read room token', { roomId });
    if (value === undefined) return undefined;
    if (!(value instanceof Uint8Array)) throw failed('Stored room token is corrupt', { roomId });
    return value;
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
    const doc = await this.persistence.getYDoc(roomId);
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
