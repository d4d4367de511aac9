/**
 * How a GroupSync is opened (GroupSync.open), and the defaults that touch the platform: the
 * clock, the local date, when the stored document loads.
 */
import type { DeviceCertificate } from '../crypto/device-cert';
import type { Identity } from '../crypto/identity';
import type { EntryPreparer } from '../ledger/entry-prep';
import type { EntryId, GroupId } from '../ledger/types';
import type { Store } from './store';

export interface GroupSyncOptions {
  readonly groupId: GroupId;
  readonly groupKey: Uint8Array;
  /** The key this device signs with: the person's identity, or a linked device's own key. */
  readonly identity: Identity;
  /**
   * On a linked device (protocol §16): the person's certificate for `identity`. The device then
   * writes as `certificate.person` (GroupSync.memberId) with a chain of its own.
   */
  readonly certificate?: DeviceCertificate;
  /**
   * Rotated epoch keys handed to this device when it was linked (protocol §15, §16), by the
   * key.rotated entry: rotations before the link sealed nothing to it.
   */
  readonly grantedKeys?: ReadonlyMap<EntryId, Uint8Array>;
  /**
   * The relay token an invite carried (64 hex): made after a key rotation, it reaches the room
   * once epoch 0's token has expired there (protocol §15, "Relay token").
   */
  readonly inviteRelayToken?: string | undefined;
  readonly store: Store;
  /** Name shown in presence; defaults to the member's name in the group state. */
  readonly memberName?: string;
  /** Clock for entry times and receivedAt (ms). */
  readonly now?: () => number;
  /**
   * Today's calendar date (YYYY-MM-DD) where the user is: recurring occurrences are derived up to
   * it (fold's `asOf`). Default: the local date of `now()`. See `refreshDate`.
   */
  readonly today?: () => string;
  /** Delay before re-folding after a change, so a burst of batches folds once. Default 15 ms. */
  readonly foldDelayMs?: number;
  /** Delay before persisting the document after a change. Default 500 ms. */
  readonly persistDelayMs?: number;
  /** Bound of the verifier's pending set. */
  readonly maxPending?: number;
  /** Hashes and opens large incoming batches on other threads (GroupLogOptions.preparer). */
  readonly preparer?: EntryPreparer;
  /**
   * Runs the deferred loading of the stored document, after `open` has returned the state.
   * Default: a 0 ms timer. The app passes an idle callback so the first screen paints first.
   */
  readonly scheduleDocLoad?: (load: () => void) => void;
  /**
   * How long a remaining member's device that is not the designated rotator waits before
   * rotating the key after a departure (key-rotator.ts). Default 60 s.
   */
  readonly rotationDelayMs?: number;
}

export type Listener<T> = (value: T) => void;

/** The local calendar date of a time in ms (the edge where the device's time zone comes in). */
export function localDateOf(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(d.getFullYear()).padStart(4, '0')}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

export const loadOnNextTask = (load: () => void): void => {
  setTimeout(load, 0);
};
