import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { RelayLimits } from './config';
import { TokenBucket } from './rate-limit';

/** Bytes of one encoded awareness entry besides its state text (two varuints, a length). */
const ENTRY_OVERHEAD = 30;
const utf8 = new TextEncoder();

/** Who may change which presence state: the per-room view the gate needs. */
export interface PresenceOwners {
  /** The connection that announced `clientId`, if any. */
  ownerOf(clientId: number): object | undefined;
  /** Client ids `conn` announced. */
  ownedBy(conn: object): ReadonlySet<number>;
  /** Presence states the room holds now. */
  stateCount(): number;
}

/**
 * Bounds presence (Yjs awareness), which the relay holds in memory and fans out to every
 * connection of a room but never stores: a size per state, states per connection and per
 * room, and a rate per connection. What is over a bound is dropped, never forwarded. A
 * connection may change only the states it announced.
 */
export class PresenceGate {
  private readonly rates = new WeakMap<object, TokenBucket>();

  constructor(
    private readonly limits: RelayLimits,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /**
   * The part of an awareness update from `conn` that may be applied, re-encoded; null when
   * nothing may. Throws on bytes that are not an awareness update (the caller closes 1007).
   */
  filter(conn: object, update: Uint8Array, owners: PresenceOwners): Uint8Array | null {
    const { awarenessStateBytes, awarenessStatesPerConnection, awarenessStatesPerRoom } = this.limits;
    // Cheap refusal before decoding megabytes that could never pass.
    if (update.byteLength > awarenessStatesPerConnection * (awarenessStateBytes + ENTRY_OVERHEAD))
      return null;
    if (!this.rate(conn).take()) return null;
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const kept: Array<{ clientId: number; clock: number; state: string }> = [];
    const mine = owners.ownedBy(conn);
    let ownedAfter = mine.size;
    let roomAfter = owners.stateCount();
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const state = decoding.readVarString(decoder);
      JSON.parse(state); // malformed JSON is a malformed message, as y-protocols would find
      const owner = owners.ownerOf(clientId);
      if (owner !== undefined && owner !== conn) continue; // someone else's presence
      if (utf8.encode(state).byteLength > awarenessStateBytes) continue;
      const removal = state === 'null';
      if (owner === undefined && !removal) {
        if (ownedAfter >= awarenessStatesPerConnection || roomAfter >= awarenessStatesPerRoom) continue;
        ownedAfter += 1;
        roomAfter += 1;
      }
      kept.push({ clientId, clock, state });
    }
    if (kept.length === 0) return null;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, kept.length);
    for (const entry of kept) {
      encoding.writeVarUint(encoder, entry.clientId);
      encoding.writeVarUint(encoder, entry.clock);
      encoding.writeVarString(encoder, entry.state);
    }
    return encoding.toUint8Array(encoder);
  }

  /** A request for every presence state: shares the connection's presence rate. */
  allowQuery(conn: object): boolean {
    return this.rate(conn).take();
  }

  private rate(conn: object): TokenBucket {
    let bucket = this.rates.get(conn);
    if (bucket === undefined) {
      const rate = this.limits.awarenessUpdatesPerSecond;
      bucket = new TokenBucket(rate, 2 * rate, this.nowMs);
      this.rates.set(conn, bucket);
    }
    return bucket;
  }
}
