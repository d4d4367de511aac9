/**
 * The device side of key epochs (docs/protocol.md §15): after every fold, write under the
 * current epoch's key, and rotate when a departed member can still read the current epoch.
 *
 * Who rotates: the device whose entry made the departure final (the creator's removal, the
 * deciding approval, the unlink of a device, §16) at once; for a member who left, the remaining
 * member with the lowest id (on the device holding their own key).
 * Every other remaining device rotates too if the group still needs it after `delayMs` (the
 * designated one may be offline for good). Concurrent rotations are harmless (fold-keys.ts: the
 * first in total order wins, the others' keys stay readable by their recipients).
 */
import { isWalletError } from '../errors';
import type { WalletEventInput } from '../ledger/envelope';
import type { GroupLog } from '../ledger/group-log';
import { newRotation } from '../ledger/key-rotation';
import type { GroupState, MemberState } from '../ledger/types';
import type { MemberId } from '../money/types';

/** How long a remaining device that is not the designated rotator waits. */
export const DEFAULT_ROTATION_DELAY_MS = 60_000;

export interface KeyRotatorDeps {
  readonly log: GroupLog;
  readonly memberId: MemberId;
  /** The key this device signs with: `memberId`, or a linked device's own key (§16). */
  readonly signerId?: MemberId;
  /** Writes an event as this device (GroupSync.append). */
  readonly append: (event: WalletEventInput) => Promise<unknown>;
  /** The latest folded state. */
  readonly state: () => GroupState;
  readonly onError: (message: string) => void;
  readonly delayMs?: number;
}

export class KeyRotator {
  readonly #deps: KeyRotatorDeps;
  #rotating: Promise<void> | undefined;
  /** What the last automatic rotation answered (epoch, current key, departed readers). */
  #attempted: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(deps: KeyRotatorDeps) {
    this.#deps = deps;
  }

  /** Called with every newly folded state. */
  afterFold(state: GroupState): void {
    const keys = state.keys;
    if (keys?.shares?.length) this.#deps.log.adoptSharedKeys(new Set(keys.shares.map((s) => s.id)));
    if (!this.#deps.log.writeUnderRotation(keys?.current ?? null) && this.#writesUnderEpoch0(state)) {
      // A departed member's (or unlinked device's) own entries count nowhere and hold only what
      // they write: epoch 0's key costs nobody anything, and their app keeps working as it did
      // (no_epoch_key is for an active member left out of a rotation, whose entries a departed
      // member must not read).
      this.#deps.log.writeUnderRotation(null);
    }
    if (!keys?.needsRotation || this.#closed || !this.#mayRotate(state)) return;
    const situation = `${keys.epoch}:${keys.current}:${departedReaders(state).join(',')}`;
    if (this.#attempted === situation) return;
    if (this.#designated(state)) {
      this.#attempted = situation;
      void this.rotate();
    } else {
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        if (!this.#closed && this.#deps.state().keys?.needsRotation) {
          this.#attempted = situation;
          void this.rotate();
        }
      }, this.#deps.delayMs ?? DEFAULT_ROTATION_DELAY_MS);
    }
  }

  /**
   * Rotates now, as of the latest state (one rotation at a time). Errors go to `onError`:
   * automatic rotation must never break a sync.
   */
  rotate(): Promise<void> {
    this.#rotating ??= (async () => {
      try {
        await this.#deps.append(newRotation(this.#deps.state(), this.#deps.memberId).event);
      } catch (e) {
        this.#deps.onError(isWalletError(e) ? e.message : String(e));
      } finally {
        this.#rotating = undefined;
      }
    })();
    return this.#rotating;
  }

  /** The rotation being written, if any. */
  get busy(): Promise<void> | undefined {
    return this.#rotating;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  /**
   * Who writes under epoch 0's key when the current one was not sealed to them: a departed member
   * or unlinked device (see afterFold), and someone not yet a member, whose join is how the others
   * learn their X25519 key and share them the epoch keys (key-sharer.ts). Only the join: once a
   * member, they wait for the keys (`no_epoch_key`).
   */
  #writesUnderEpoch0(state: GroupState): boolean {
    return this.#departed(state) || !state.members.some((m) => m.id === this.#deps.memberId);
  }

  #departed(state: GroupState): boolean {
    const signer = this.#deps.signerId;
    const device = signer === undefined ? undefined : state.devices?.find((d) => d.device === signer);
    if (device?.unlinkedBy !== undefined) return true;
    return state.members.find((m) => m.id === this.#deps.memberId)?.status !== undefined;
  }

  /** An active member with a published X25519 key who holds the current epoch's key. */
  #mayRotate(state: GroupState): boolean {
    if (this.#departed(state)) return false; // an unlinked device's rotation would count nowhere
    const me = state.members.find((m) => m.id === this.#deps.memberId);
    if (!me || me.status !== undefined || me.x25519 === undefined) return false;
    const current = state.keys?.current ?? null;
    return current === null || this.#deps.log.rotationKey(current) !== undefined;
  }

  /** Whether this device (its signing key) is the one to rotate at once; others wait `delayMs`. */
  #designated(state: GroupState): boolean {
    const me = this.#deps.memberId;
    const signer = this.#deps.signerId ?? me;
    const authorOf = (entry: string | undefined) =>
      entry === undefined ? undefined : this.#deps.log.get(entry)?.header.author;
    for (const id of departedReaders(state)) {
      const device = state.devices?.find((d) => d.device === id);
      if (device) {
        // Unlinked: the device that wrote the unlink rotates; a departed person's device is
        // decided by the person's own departure.
        if (device.unlinkedBy !== undefined && authorOf(device.unlinkedBy) === signer) return true;
        continue;
      }
      const author = authorOf(state.members.find((m) => m.id === id)?.departedBy);
      if (author === signer) return true;
      if (author !== id) continue; // removed: its remover's device rotates
      const first = state.members.filter(canRotate).sort(byId)[0];
      if (first?.id === me && signer === me) return true; // the person's own key, not their devices
    }
    return false;
  }
}

const canRotate = (m: MemberState): boolean => m.status === undefined && m.x25519 !== undefined;
const byId = (a: MemberState, b: MemberState): number => (a.id < b.id ? -1 : 1);

/**
 * Departed members, and unlinked devices or devices of departed members, who can read the current
 * epoch (fold-keys.ts `needsRotation`), sorted.
 */
function departedReaders(state: GroupState): MemberId[] {
  const current = state.keys?.rotations.find((r) => r.id === state.keys?.current);
  const devices = state.devices ?? [];
  const readers = new Set(
    current ? current.recipients : [...state.members.map((m) => m.id), ...devices.map((d) => d.device)],
  );
  const departed = new Set(state.members.filter((m) => m.status !== undefined).map((m) => m.id));
  const out = [...departed].filter((id) => readers.has(id));
  for (const d of devices) {
    if (readers.has(d.device) && (d.unlinkedBy !== undefined || departed.has(d.person))) out.push(d.device);
  }
  return out.sort();
}
