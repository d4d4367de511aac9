/**
 * The key side of one GroupSync (docs/protocol.md §15, §16): which key this device writes under,
 * the epoch keys it holds, rotating (by hand, or when a departed member or unlinked device could
 * still read: key-rotator.ts), and letting in a member who joined after a rotation
 * (key-sharer.ts). GroupSync calls `afterFold` with every new state.
 */
import type { Identity } from '../crypto/identity';
import type { WalletEventInput } from '../ledger/envelope';
import type { GroupLog, KeyOpener } from '../ledger/group-log';
import { keyOpenerFor } from '../ledger/key-rotation';
import type { EntryId, GroupId, GroupState } from '../ledger/types';
import type { MemberId } from '../money/types';
import { KeyRotator } from './key-rotator';
import { keyShareFor } from './key-sharer';
import type { RelayTokenChain } from './relay-tokens';

export interface GroupKeysDeps {
  readonly groupId: GroupId;
  readonly log: GroupLog;
  readonly identity: Identity;
  readonly grantedKeys?: ReadonlyMap<EntryId, Uint8Array> | undefined;
  /** The relay tokens of the epochs this device holds keys of; re-derived after every fold. */
  readonly relayTokens: RelayTokenChain;
  /** The person this device writes as, and the key it signs with (they differ on a linked device). */
  readonly memberId: MemberId;
  readonly signerId: MemberId;
  readonly append: (event: WalletEventInput) => Promise<unknown>;
  readonly state: () => GroupState;
  readonly onError: (message: string) => void;
  readonly rotationDelayMs?: number | undefined;
}

export class GroupKeys {
  readonly #deps: GroupKeysDeps;
  readonly #rotator: KeyRotator;

  constructor(deps: GroupKeysDeps) {
    this.#deps = deps;
    this.#rotator = new KeyRotator({
      log: deps.log,
      memberId: deps.memberId,
      signerId: deps.signerId,
      append: deps.append,
      state: deps.state,
      onError: deps.onError,
      ...(deps.rotationDelayMs !== undefined ? { delayMs: deps.rotationDelayMs } : {}),
    });
  }

  afterFold(state: GroupState): void {
    const log = this.#deps.log;
    // The rotator first: it adopts the keys of accepted shares, whose tokens belong in the list.
    this.#rotator.afterFold(state);
    this.#deps.relayTokens.update(state.keys, (id) => log.rotationKey(id));
  }

  /**
   * What an invite made now carries besides the group key (protocol §15, "Relay token"): the
   * newest relay token this device holds, unless that is epoch 0's (the key gives it).
   */
  get inviteRelayToken(): string | undefined {
    const newest = this.#deps.relayTokens.newest;
    return newest.epoch === 0 ? undefined : newest.token;
  }

  /**
   * The key this device's new entries are encrypted under: the current epoch's.
   * @throws WalletError `no_epoch_key` when that key was not sealed to this device.
   */
  get writeKey(): Uint8Array {
    return this.#deps.log.writeKey;
  }

  /** Every rotated epoch key this device holds, by key.rotated entry (a link grant hands them on). */
  rotationKeys(): Map<EntryId, Uint8Array> {
    return this.#deps.log.rotationKeys();
  }

  /** Opens this device's boxes in key.rotated and key.shared entries (a backup of a rotated group needs it). */
  get opener(): KeyOpener {
    const { identity, groupId, grantedKeys } = this.#deps;
    return keyOpenerFor(identity, groupId, grantedKeys);
  }

  /**
   * Rotates the group key now (a leaked invite): a new epoch key sealed to every active member
   * and linked device with a published X25519 key. Errors end up in `snapshot.lastError`.
   */
  rotate(): Promise<void> {
    return this.#rotator.rotate();
  }

  /**
   * Lets a member who joined after a key change read and write: a key.shared with every epoch key
   * this device holds that they lack. A person's choice, never automatic: anyone holding an old
   * invite link can join, and a key change is how a leaked link is shut out.
   * @throws WalletError `keys_not_missing`, `no_keys_to_share`, or append's codes.
   */
  async shareWith(member: MemberId): Promise<void> {
    const log = this.#deps.log;
    await this.#deps.append(keyShareFor(this.#deps.state(), member, (id) => log.rotationKey(id)));
  }

  /** A rotation being written, if any. */
  get busy(): Promise<void> | undefined {
    return this.#rotator.busy;
  }

  close(): void {
    this.#rotator.close();
  }
}
