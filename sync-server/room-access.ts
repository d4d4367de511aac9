import { hashToken, tokenHashesEqual } from './auth';
import type { RoomStore } from './room-store';

/** A new room may not be created now (rate, provisional cap): the refusal to send. */
export interface CreationDenied {
  readonly reason: string;
  readonly retryAfterSeconds: number;
}

export type AccessVerdict = 'ok' | 'unauthorized' | 'too_many_rooms' | CreationDenied;

/**
 * Decides whether a token opens a room. The first valid token for an unknown room claims it
 * (its SHA-256 is stored with the room); later connections must present the same token.
 * Token hashes are cached; a claim is visible synchronously so two racing first connections
 * with different tokens cannot both win.
 */
export class RoomAccess {
  /** roomId → stored token hash (undefined: no such room yet). Entries settle in order. */
  private readonly hashes = new Map<string, Promise<Uint8Array | undefined>>();

  constructor(
    private readonly store: RoomStore,
    private readonly maxRooms: number,
  ) {}

  /** Drops the cached hash of a room that is being deleted (the next claim starts afresh). */
  forget(roomId: string): void {
    this.hashes.delete(roomId);
  }

  /**
   * `mayCreate` is asked (synchronously, so it can charge a budget race-free) only when the
   * token would create a new room.
   */
  async authorize(
    roomId: string,
    token: string,
    mayCreate: () => CreationDenied | null = () => null,
  ): Promise<AccessVerdict> {
    const presented = hashToken(token);
    for (;;) {
      let entry = this.hashes.get(roomId);
      if (entry === undefined) {
        entry = this.store.readTokenHash(roomId);
        this.hashes.set(roomId, entry);
        // A failed read must not be remembered.
        entry.catch(() => {
          if (this.hashes.get(roomId) === entry) this.hashes.delete(roomId);
        });
      }
      const stored = await entry;
      if (stored !== undefined) return tokenHashesEqual(stored, presented) ? 'ok' : 'unauthorized';
      if (this.hashes.get(roomId) !== entry) continue; // someone claimed it while we waited
      if (this.store.roomCount >= this.maxRooms) {
        this.hashes.delete(roomId);
        return 'too_many_rooms';
      }
      const denied = mayCreate();
      if (denied !== null) {
        this.hashes.delete(roomId);
        return denied;
      }
      const claim = this.store.createRoom(roomId, presented).then(() => presented);
      this.hashes.set(roomId, claim);
      try {
        await claim;
      } catch (error) {
        if (this.hashes.get(roomId) === claim) this.hashes.delete(roomId);
        throw error;
      }
      return 'ok';
    }
  }
}
