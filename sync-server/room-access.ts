import type { HandOverOutcome } from '../shared/sync/relay-handover';
import { hashToken } from './auth';
import type { RoomStore } from './room-store';
import {
  admittedRecord,
  applyHandOver,
  claimSet,
  type HandOver,
  type HandOverRules,
  hashHex,
  type TokenSet,
} from './token-set';

/** A new room may not be created now (rate, provisional cap): the refusal to send. */
export interface CreationDenied {
  readonly reason: string;
  readonly retryAfterSeconds: number;
}

export type AccessVerdict = 'ok' | 'unauthorized' | 'too_many_rooms' | CreationDenied;

/** The hand-over rules a relay's limits set (config.ts). */
export function handOverRules(limits: {
  readonly tokenGraceDays: number;
  readonly maxTokensPerRoom: number;
}): HandOverRules {
  return { graceMs: limits.tokenGraceDays * 86_400_000, maxLiveTokens: limits.maxTokensPerRoom };
}

/**
 * Decides whether a token opens a room. The first valid token for an unknown room claims it
 * (its SHA-256 is stored with the room); later connections must present a token whose hash is
 * a live record of the room's token set (token-set.ts), which signed hand-overs extend.
 * Token sets are cached; a claim is visible synchronously so two racing first connections
 * with different tokens cannot both win, and hand-overs of one room run one at a time so none
 * is lost.
 */
export class RoomAccess {
  /** roomId → stored token set (undefined: no such room yet). Entries settle in order. */
  private readonly sets = new Map<string, Promise<TokenSet | undefined>>();
  /** roomId → the hand-over in progress (the next waits for it). */
  private readonly handOvers = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: RoomStore,
    private readonly maxRooms: number,
    private readonly rules: HandOverRules = handOverRules({ tokenGraceDays: 30, maxTokensPerRoom: 16 }),
    private readonly now: () => number = Date.now,
  ) {}

  /** Drops the cached set of a room that is being deleted (the next claim starts afresh). */
  forget(roomId: string): void {
    this.sets.delete(roomId);
  }

  /** The room's token set, from the cache or the store (undefined: no such room). */
  tokenSet(roomId: string): Promise<TokenSet | undefined> {
    let entry = this.sets.get(roomId);
    if (entry === undefined) {
      entry = this.store.readTokenSet(roomId);
      this.sets.set(roomId, entry);
      const read = entry;
      // A failed read must not be remembered.
      read.catch(() => {
        if (this.sets.get(roomId) === read) this.sets.delete(roomId);
      });
    }
    return entry;
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
    const presentedHex = hashHex(presented);
    for (;;) {
      const entry = this.tokenSet(roomId);
      const stored = await entry;
      if (stored !== undefined) {
        return admittedRecord(stored, presentedHex, this.now()) !== null ? 'ok' : 'unauthorized';
      }
      if (this.sets.get(roomId) !== entry) continue; // someone claimed it while we waited
      if (this.store.roomCount >= this.maxRooms) {
        this.sets.delete(roomId);
        return 'too_many_rooms';
      }
      const denied = mayCreate();
      if (denied !== null) {
        this.sets.delete(roomId);
        return denied;
      }
      const claim = this.store.createRoom(roomId, presented).then(() => claimSet(presentedHex));
      this.sets.set(roomId, claim);
      try {
        await claim;
      } catch (error) {
        if (this.sets.get(roomId) === claim) this.sets.delete(roomId);
        throw error;
      }
      return 'ok';
    }
  }

  /**
   * Applies a hand-over whose signature and author the caller checked, and writes the new set
   * before resolving (the reply promises it survives a restart).
   */
  handOver(roomId: string, request: HandOver): Promise<HandOverOutcome> {
    const previous = this.handOvers.get(roomId) ?? Promise.resolve();
    const run = previous.then(
      () => this.applyOne(roomId, request),
      () => this.applyOne(roomId, request),
    );
    this.handOvers.set(roomId, run);
    void run
      .finally(() => {
        if (this.handOvers.get(roomId) === run) this.handOvers.delete(roomId);
      })
      .catch(() => {});
    return run;
  }

  private async applyOne(roomId: string, request: HandOver): Promise<HandOverOutcome> {
    const records = await this.tokenSet(roomId);
    if (records === undefined) return 'token_expired'; // the room is gone, and its tokens with it
    const result = applyHandOver(records, request, this.now(), this.rules);
    if (!result.ok) return result.reason;
    if (!result.changed) return 'ok';
    await this.store.writeTokenSet(roomId, result.records);
    this.sets.set(roomId, Promise.resolve(result.records));
    return 'ok';
  }
}
