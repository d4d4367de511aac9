import type { RoomStore } from './room-store';

/**
 * Durable per-room life-cycle keys (y-leveldb meta keys next to the token hash), so expiry
 * clocks and the provisional cap survive restarts.
 */
export const META_LAST_ACTIVE = 'lastActive';
export const META_PROVISIONAL = 'provisional';

export interface LifecycleSettings {
  /** A provisional room is deleted this long after its last connection closed. */
  readonly provisionalTtlMs: number;
  /** Any room is deleted after this long without a connection. */
  readonly idleTtlMs: number;
}

interface RoomLife {
  /** When the room last had a connection (ms since the epoch). */
  lastActive: number;
  /** Never received a valid group entry: a throwaway until proven otherwise. */
  provisional: boolean;
}

/**
 * Which rooms exist, whether they are provisional and when they were last used; decides which
 * have expired. Holds the index in memory (read from the store's meta at start) and writes
 * every change through, so the store stays the truth after a restart.
 */
export class RoomLifecycle {
  private readonly rooms = new Map<string, RoomLife>();
  private provisionalRooms = 0;

  constructor(
    private readonly store: RoomStore,
    private readonly settings: LifecycleSettings,
    private readonly nowMs: () => number = Date.now,
  ) {}

  get provisionalCount(): number {
    return this.provisionalRooms;
  }

  /**
   * A room found in the store at start. Rooms stored before life cycles existed have no keys:
   * they count as real groups (never provisional) whose idle clock starts now.
   */
  adopt(roomId: string, metas: Map<string, unknown>): void {
    const lastActive = metas.get(META_LAST_ACTIVE);
    const provisional = metas.get(META_PROVISIONAL) === true;
    const life = { lastActive: typeof lastActive === 'number' ? lastActive : this.nowMs(), provisional };
    this.set(roomId, life);
    if (typeof lastActive !== 'number') void this.write(roomId, META_LAST_ACTIVE, life.lastActive);
  }

  /** Called synchronously before the store creates the room, so the keys are written first. */
  created(roomId: string): Promise<void> {
    const life = { lastActive: this.nowMs(), provisional: true };
    this.set(roomId, life);
    return Promise.all([
      this.store.writeMeta(roomId, META_PROVISIONAL, true),
      this.store.writeMeta(roomId, META_LAST_ACTIVE, life.lastActive),
    ]).then(() => {});
  }

  /** The room got its first connection, or lost its last one: its idle clock restarts. */
  touched(roomId: string): void {
    const life = this.rooms.get(roomId);
    if (life === undefined) return;
    life.lastActive = this.nowMs();
    void this.write(roomId, META_LAST_ACTIVE, life.lastActive);
  }

  isProvisional(roomId: string): boolean {
    return this.rooms.get(roomId)?.provisional === true;
  }

  /** The room received a valid group entry: it is a real group now, never provisional again. */
  markActive(roomId: string): void {
    const life = this.rooms.get(roomId);
    if (life === undefined || !life.provisional) return;
    life.provisional = false;
    this.provisionalRooms -= 1;
    life.lastActive = this.nowMs();
    void this.write(roomId, META_PROVISIONAL, false);
    void this.write(roomId, META_LAST_ACTIVE, life.lastActive);
  }

  forget(roomId: string): void {
    const life = this.rooms.get(roomId);
    if (life === undefined) return;
    if (life.provisional) this.provisionalRooms -= 1;
    this.rooms.delete(roomId);
  }

  /**
   * Up to `limit` rooms past their time that are not in use. A scan of the in-memory index
   * (a comparison per room, well under a millisecond for the default 10,000 rooms); the
   * deletions, which touch the disk, are what the limit bounds.
   */
  expired(limit: number, inUse: (roomId: string) => boolean): string[] {
    const now = this.nowMs();
    const out: string[] = [];
    for (const [roomId, life] of this.rooms) {
      if (out.length >= limit) break;
      const { provisionalTtlMs, idleTtlMs } = this.settings;
      const ttl = life.provisional ? Math.min(provisionalTtlMs, idleTtlMs) : idleTtlMs;
      if (now - life.lastActive >= ttl && !inUse(roomId)) out.push(roomId);
    }
    return out;
  }

  /** Seconds until the next provisional room may expire (for a retry-after), or null if none. */
  secondsUntilProvisionalExpiry(): number | null {
    let soonest: number | null = null;
    for (const life of this.rooms.values()) {
      if (!life.provisional) continue;
      const at = life.lastActive + this.settings.provisionalTtlMs;
      if (soonest === null || at < soonest) soonest = at;
    }
    return soonest === null ? null : Math.max(0, Math.ceil((soonest - this.nowMs()) / 1000));
  }

  private set(roomId: string, life: RoomLife): void {
    this.forget(roomId);
    this.rooms.set(roomId, life);
    if (life.provisional) this.provisionalRooms += 1;
  }

  /** Life-cycle keys are advisory: a failed write is retried by the next change, never fatal. */
  private async write(roomId: string, key: string, value: number | boolean): Promise<void> {
    await this.store.writeMeta(roomId, key, value).catch(() => {});
  }
}
