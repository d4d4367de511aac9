/**
 * "N changes waiting to be sent" and "last synced at", for one group (docs/sync.md, "Waiting to
 * be sent").
 *
 * The relay does not acknowledge single updates, so "sent" is defined by what the transport
 * guarantees: an entry this device wrote has been *handed over* once a transport is linked
 * (finished its full exchange with the other side and still connected) after it was written:
 * - written while linked: y-websocket sends the update on the open socket at once;
 * - written while not linked: the next full exchange sends everything the other side lacks
 *   (the other side's state vector comes first, then our answer, then its answer that
 *   completes the exchange).
 * Everything else this device wrote is waiting. `lastSyncedAt` is the last moment the group
 * was known to be in sync: when a transport became linked, and when the last one stopped being
 * linked (so a group that was live until 14:02 says "last synced 14:02").
 *
 * Across restarts only `lastSyncedAt` is stored: at open, own entries received (written) after
 * it count as waiting. Entries written while linked after that moment, by a device that then
 * crashed before unlinking, count as waiting until the next exchange: over-counting, never
 * under-counting.
 */
import type { MemberId } from '../money/types';

export interface SendTrackerOptions {
  /** When the group was last known to be in sync (null: never). */
  readonly lastSyncedAt: number | null;
  /** Own entries not yet handed over (unsentAtOpen). */
  readonly unsent: number;
  readonly now: () => number;
  /** Stores the new `lastSyncedAt` (best effort). */
  readonly persist: (lastSyncedAt: number) => void;
}

export class SendTracker {
  #linked = false;
  #unsent: number;
  #lastSyncedAt: number | null;
  readonly #o: SendTrackerOptions;

  constructor(options: SendTrackerOptions) {
    this.#o = options;
    this.#unsent = options.unsent;
    this.#lastSyncedAt = options.lastSyncedAt;
  }

  /** Own entries written and not yet handed to a linked transport. */
  get unsent(): number {
    return this.#unsent;
  }

  get lastSyncedAt(): number | null {
    return this.#lastSyncedAt;
  }

  /** This device wrote an entry (call after it is in the document). */
  appended(): void {
    if (!this.#linked) this.#unsent++;
  }

  /** The transports' current state: true while at least one is linked. */
  update(linked: boolean): void {
    if (linked === this.#linked) return;
    this.#linked = linked;
    if (linked) this.#unsent = 0;
    const now = this.#o.now();
    this.#lastSyncedAt = now;
    this.#o.persist(now);
  }
}

/**
 * Own entries a device wrote after the group was last in sync: what still waits at open. An
 * entry written in the very millisecond of the last sync counts as waiting (over-count, never under).
 */
export function unsentAtOpen(
  stored: ReadonlyArray<{ readonly author: MemberId; readonly receivedAt: number; readonly status: string }>,
  me: MemberId,
  lastSyncedAt: number | null,
): number {
  let count = 0;
  for (const e of stored) {
    if (
      e.author === me &&
      e.status === 'applied' &&
      (lastSyncedAt === null || e.receivedAt >= lastSyncedAt)
    ) {
      count++;
    }
  }
  return count;
}
