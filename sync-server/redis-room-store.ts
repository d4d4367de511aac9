/**
 * Rooms of a relay cluster in Redis: per room a meta hash (token hash, token set once a
 * hand-over wrote one, provisional flag, last use), a stream of admitted updates and a compacted snapshot. Each node keeps nothing it
 * cannot lose: a node killed at any moment leaves every update a client received in Redis,
 * because the room writes (XADD) a batch before it replies or broadcasts.
 */
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import { WalletError } from '../shared/errors';
import { addsEntry } from './managed-store';
import type { RelayStore } from './relay-backend';
import type { RedisKeys } from './redis-keys';
import type { ClusterScripts } from './redis-scripts';
import type { StreamReader } from './redis-stream-reader';
import { streamEntry } from './redis-stream-reader';
import type { LoadedRoom } from './room-store';
import { claimSet, parseTokenSet, serializeTokenSet, type TokenSet } from './token-set';

/** Compact a room's stream after this many appends by one node (or entries found at load). */
const COMPACT_EVERY = 200;
/** The compaction lock's lifetime: a node that dies holding it blocks compaction only this long. */
const COMPACT_LOCK_MS = 10_000;
/**
 * Stream entries stay at least this long after compaction, so a node whose reader lags (a GC
 * pause, a slow Redis) still finds them; a snapshot already holds them, re-applying is harmless.
 */
const STREAM_MIN_LIFETIME_MS = 60_000;
/** Rooms considered per sweep (each deletion is one script run). */
const SWEEP_CANDIDATES = 100;

export interface RedisStoreOptions {
  readonly provisionalTtlMs: number;
  readonly idleTtlMs: number;
  readonly nodeId: string;
  readonly log: Logger;
}

export class RedisRoomStore implements RelayStore {
  readonly healingCount = 0;
  readonly damageCount = 0;
  expiredCount = 0;
  /** Relay-wide room count as last read from Redis (metrics only: limits are checked in Redis). */
  private knownRooms = 0;
  /** Loaded rooms still provisional when loaded: their appends may make them real groups. */
  private readonly provisionalLoaded = new Set<string>();
  private readonly loaded = new Set<string>();
  private readonly appends = new Map<string, number>();
  private readonly damagedTokens = new Set<string>();
  private readonly deleting = new Map<string, Promise<void>>();
  private readonly compacting = new Set<Promise<void>>();

  /** Provisional count as last read (metrics); creation limits are decided in Redis (redis-access.ts). */
  readonly lifecycle = { provisionalCount: 0, secondsUntilProvisionalExpiry: (): number | null => null };

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly scripts: ClusterScripts,
    private readonly reader: StreamReader,
    private readonly options: RedisStoreOptions,
  ) {}

  get roomCount(): number {
    return this.knownRooms;
  }

  noteRoomCount(count: number): void {
    this.knownRooms = count;
  }

  async refreshCounts(): Promise<void> {
    const [rooms, provisional] = await Promise.all([
      this.redis.scard(this.keys.rooms),
      this.redis.zcard(this.keys.provisional),
    ]);
    this.knownRooms = rooms;
    this.lifecycle.provisionalCount = provisional;
  }

  /** Rooms loaded on this node (the cluster-wide list is the `rooms` set in Redis). */
  listRooms(): string[] {
    return [...this.loaded];
  }

  settled(roomId: string): Promise<void> {
    return this.deleting.get(roomId) ?? Promise.resolve();
  }

  isTokenDamaged(roomId: string): boolean {
    return this.damagedTokens.has(roomId);
  }

  async readTokenHash(roomId: string): Promise<Uint8Array | undefined> {
    const hex = await this.redis.hget(this.keys.meta(roomId), 'token');
    if (hex === null) return undefined;
    return this.tokenBytes(roomId, hex);
  }

  /** A stored token hash, or the room is marked damaged (refused 4503 until an operator acts). */
  tokenBytes(roomId: string, hex: string): Uint8Array {
    if (!/^[0-9a-f]{64}$/.test(hex)) {
      this.markTokenDamaged(roomId);
      throw new WalletError('relay_storage_corrupt', 'Room token unreadable', { roomId });
    }
    return new Uint8Array(Buffer.from(hex, 'hex'));
  }

  private markTokenDamaged(roomId: string): void {
    if (this.damagedTokens.has(roomId)) return;
    this.damagedTokens.add(roomId);
    this.options.log.error({ room: roomId }, 'room token hash unreadable in Redis; the room is refused');
  }

  async readTokenSet(roomId: string): Promise<TokenSet | undefined> {
    const { token, tokens } = await this.readTokenFields(roomId);
    return token === null ? undefined : this.tokenSetOf(roomId, token, tokens);
  }

  /** The meta fields `token` and `tokens` as stored (null: absent), read together. */
  async readTokenFields(roomId: string): Promise<{ token: string | null; tokens: string | null }> {
    const [token, tokens] = await this.redis.hmget(this.keys.meta(roomId), 'token', 'tokens');
    return { token: token ?? null, tokens: tokens ?? null };
  }

  /**
   * A room's token set from its meta fields `token` (the claim) and `tokens` (the set, once a
   * hand-over wrote it), or the room is marked damaged (refused 4503 until an operator acts).
   */
  tokenSetOf(roomId: string, token: string, tokens: string | null): TokenSet {
    const claim = this.tokenBytes(roomId, token);
    if (tokens === null) return claimSet(Buffer.from(claim).toString('hex'));
    try {
      return parseTokenSet(tokens);
    } catch (error) {
      this.markTokenDamaged(roomId);
      throw error;
    }
  }

  /** Unused by the cluster (redis-access.ts writes the set compare-and-set); kept for the interface. */
  async writeTokenSet(roomId: string, records: TokenSet): Promise<void> {
    await this.redis.hset(this.keys.meta(roomId), 'tokens', serializeTokenSet(records));
  }

  async readMetas(roomId: string): Promise<Map<string, unknown>> {
    const meta = await this.redis.hgetall(this.keys.meta(roomId));
    return new Map(Object.entries(meta));
  }

  async writeMeta(roomId: string, key: string, value: number | boolean): Promise<void> {
    await this.redis.hset(
      this.keys.meta(roomId),
      key,
      typeof value === 'boolean' ? (value ? '1' : '0') : value,
    );
  }

  /** Unused by the cluster (redis-access.ts claims rooms with every limit in one script); kept for the interface. */
  async createRoom(roomId: string, tokenHash: Uint8Array): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.meta(roomId), 'token', Buffer.from(tokenHash).toString('hex'), 'provisional', '1')
      .sadd(this.keys.rooms, roomId)
      .exec();
  }

  async loadRoom(roomId: string): Promise<Y.Doc> {
    return (await this.loadRoomChecked(roomId)).doc;
  }

  /**
   * Snapshot and stream read in one MULTI, so a compaction (which writes the snapshot and trims
   * in one script) is either wholly before or wholly after: nothing is missed or lost between.
   * The reader then follows the stream from the last entry read.
   */
  async loadRoomChecked(roomId: string): Promise<LoadedRoom> {
    const replies = await this.redis
      .multi()
      .getBuffer(this.keys.snapshot(roomId))
      .xrangeBuffer(this.keys.stream(roomId), '-', '+')
      .hget(this.keys.meta(roomId), 'provisional')
      .exec();
    if (replies === null) throw failed('Cannot load room', { roomId });
    for (const [error] of replies)
      if (error !== null) throw failed('Cannot load room', { roomId, cause: String(error) });
    const snapshot = replies[0]![1] as Buffer | null;
    const entries = replies[1]![1] as Array<[Buffer, Buffer[]]>;
    const provisional = replies[2]![1] as string | null;
    const doc = new Y.Doc();
    const unreadable: string[] = [];
    doc.transact(() => {
      const apply = (bytes: Uint8Array, what: string): void => {
        try {
          Y.applyUpdate(doc, bytes);
        } catch (error) {
          unreadable.push(`${what} does not decode (${String((error as Error).message)})`);
        }
      };
      if (snapshot !== null) apply(new Uint8Array(snapshot), 'the snapshot');
      for (const [, fields] of entries) {
        const entry = streamEntry(fields);
        if (entry === null) unreadable.push('a stream entry lacks its fields');
        else apply(entry.update, 'a stream entry');
      }
    });
    if (unreadable.length > 0)
      this.options.log.error({ room: roomId, findings: unreadable }, 'room data damaged in Redis');
    const cursor = entries.length > 0 ? entries[entries.length - 1]![0].toString() : '0-0';
    this.reader.loadedAt(roomId, cursor);
    this.loaded.add(roomId);
    if (provisional === '1') this.provisionalLoaded.add(roomId);
    else this.provisionalLoaded.delete(roomId);
    this.touch(roomId);
    if (entries.length >= COMPACT_EVERY) this.compactSoon(roomId);
    return { doc, unreadable };
  }

  /** Stored in Redis (and its AOF) before the caller replies or broadcasts. */
  async appendUpdate(roomId: string, update: Uint8Array): Promise<void> {
    await this.redis.xadd(this.keys.stream(roomId), '*', 'n', this.options.nodeId, 'u', Buffer.from(update));
    if (this.provisionalLoaded.has(roomId) && addsEntry(update)) {
      this.provisionalLoaded.delete(roomId);
      await this.scripts
        .markRoomActive([this.keys.meta(roomId), this.keys.provisional], [roomId])
        .catch((error: unknown) =>
          this.options.log.warn({ room: roomId, err: error }, 'cannot mark room active'),
        );
    }
    const appends = (this.appends.get(roomId) ?? 0) + 1;
    this.appends.set(roomId, appends);
    if (appends >= COMPACT_EVERY) {
      this.appends.set(roomId, 0);
      this.compactSoon(roomId);
    }
  }

  roomTouched(roomId: string, unloaded: boolean): void {
    this.touch(roomId);
    if (!unloaded) return;
    this.loaded.delete(roomId);
    this.provisionalLoaded.delete(roomId);
    this.appends.delete(roomId);
    this.reader.forget(roomId);
  }

  async deleteRoom(roomId: string): Promise<void> {
    await this.redis.del(this.keys.meta(roomId), this.keys.stream(roomId), this.keys.snapshot(roomId));
    await this.redis
      .multi()
      .srem(this.keys.rooms, roomId)
      .zrem(this.keys.provisional, roomId)
      .zrem(this.keys.lastActive, roomId)
      .exec();
  }

  /**
   * Every node sweeps; a room is deleted by one script that re-checks it is still expired, so
   * two nodes sweeping at once delete it once. Rooms loaded anywhere are touched by their nodes
   * first (here), so a room in use on any node never expires.
   */
  async sweep(inUse: (roomId: string) => boolean, forgetAccess: (roomId: string) => void): Promise<number> {
    await Promise.all([...this.loaded].map((roomId) => this.touchNow(roomId)));
    const now = Date.now();
    const [idle, provisional] = await Promise.all([
      this.redis.zrangebyscore(
        this.keys.lastActive,
        '-inf',
        now - this.options.idleTtlMs,
        'LIMIT',
        0,
        SWEEP_CANDIDATES,
      ),
      this.redis.zrangebyscore(
        this.keys.provisional,
        '-inf',
        now - Math.min(this.options.provisionalTtlMs, this.options.idleTtlMs),
        'LIMIT',
        0,
        SWEEP_CANDIDATES,
      ),
    ]);
    let deleted = 0;
    for (const roomId of new Set([...provisional, ...idle])) {
      if (inUse(roomId) || this.deleting.has(roomId)) continue;
      forgetAccess(roomId);
      const done = this.scripts
        .deleteExpiredRoom(
          [
            this.keys.meta(roomId),
            this.keys.stream(roomId),
            this.keys.snapshot(roomId),
            this.keys.rooms,
            this.keys.provisional,
            this.keys.lastActive,
          ],
          [roomId, this.options.idleTtlMs, this.options.provisionalTtlMs],
        )
        .then((removed) => {
          if (removed !== 1) return;
          deleted += 1;
          this.expiredCount += 1;
          this.options.log.info({ room: roomId }, 'room expired and deleted');
        })
        .finally(() => this.deleting.delete(roomId));
      this.deleting.set(roomId, done);
      await done.catch((error: unknown) =>
        this.options.log.error({ room: roomId, err: error }, 'cannot delete expired room'),
      );
    }
    await this.refreshCounts().catch(() => {});
    return deleted;
  }

  async close(): Promise<void> {
    await Promise.all([...this.deleting.values()].map((p) => p.catch(() => {})));
    await Promise.all([...this.compacting]);
  }

  private touch(roomId: string): void {
    void this.touchNow(roomId).catch(() => {});
  }

  private async touchNow(roomId: string): Promise<void> {
    await this.scripts.touchRoom(
      [this.keys.meta(roomId), this.keys.provisional, this.keys.lastActive],
      [roomId],
    );
  }

  private compactSoon(roomId: string): void {
    const job = this.compact(roomId)
      .catch((error: unknown) =>
        this.options.log.warn({ room: roomId, err: error }, 'room compaction failed'),
      )
      .finally(() => this.compacting.delete(job));
    this.compacting.add(job);
  }

  /**
   * Merges the snapshot and the stream into a new snapshot under a short lock, then trims what
   * it merged (but keeps at least STREAM_MIN_LIFETIME_MS of entries for lagging readers).
   */
  private async compact(roomId: string): Promise<void> {
    const lock = this.keys.compactLock(roomId);
    const holder = `${this.options.nodeId}:${randomBytes(6).toString('hex')}`;
    if ((await this.redis.set(lock, holder, 'PX', COMPACT_LOCK_MS, 'NX')) !== 'OK') return;
    try {
      const replies = await this.redis
        .multi()
        .getBuffer(this.keys.snapshot(roomId))
        .xrangeBuffer(this.keys.stream(roomId), '-', '+')
        .exec();
      if (replies === null || replies.some(([error]) => error !== null)) return;
      const snapshot = replies[0]![1] as Buffer | null;
      const entries = replies[1]![1] as Array<[Buffer, Buffer[]]>;
      if (entries.length === 0) return;
      const updates: Uint8Array[] = snapshot === null ? [] : [new Uint8Array(snapshot)];
      for (const [, fields] of entries) {
        const entry = streamEntry(fields);
        if (entry === null) continue;
        try {
          Y.decodeUpdate(entry.update); // a damaged entry must not poison the snapshot
          updates.push(entry.update);
        } catch {
          this.options.log.error({ room: roomId }, 'undecodable stream entry left out of the snapshot');
        }
      }
      const merged = Y.mergeUpdates(updates);
      const trimBelow = minId(
        nextId(entries[entries.length - 1]![0].toString()),
        `${Date.now() - STREAM_MIN_LIFETIME_MS}-0`,
      );
      await this.scripts.commitCompaction(
        [lock, this.keys.snapshot(roomId), this.keys.stream(roomId)],
        [holder, Buffer.from(merged), trimBelow],
      );
    } finally {
      // Normally deleted by the commit; after a failure only our own lock is released.
      const current = await this.redis.get(lock).catch(() => null);
      if (current === holder) await this.redis.del(lock).catch(() => {});
    }
  }
}

function failed(message: string, details: Record<string, unknown>): WalletError<'relay_storage_failed'> {
  return new WalletError('relay_storage_failed', message, details);
}

/** The stream id right after `id` (XTRIM MINID keeps ids ≥ it). */
function nextId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${BigInt(seq ?? '0') + 1n}`;
}

function minId(a: string, b: string): string {
  const [am, as] = a.split('-').map((part) => BigInt(part));
  const [bm, bs] = b.split('-').map((part) => BigInt(part));
  if (am! !== bm!) return am! < bm! ? a : b;
  return as! <= bs! ? a : b;
}
