/**
 * Sharing epoch keys with a member who was never sealed them (docs/protocol.md §15): someone who
 * joins after a rotation holds only the invite's key (epoch 0), so they can neither read what
 * followed nor write. A member who knows them lets them in: a `key.shared` sealed to the X25519
 * key of their join, written under epoch 0's key so that they can open the entry at all.
 *
 * Never automatic: an invite link keeps working for joins, so a device that shared with every
 * joiner would hand a leaked link everything a key change was meant to shut it out of.
 */
import { WalletError } from '../errors';
import { newKeyShare } from '../ledger/key-rotation';
import type { EventOf } from '../ledger/events';
import type { EntryId, GroupState } from '../ledger/types';
import type { MemberId } from '../money/types';

/**
 * The key.shared giving `member` the keys they lack that `keyOf` holds.
 * @throws WalletError `keys_not_missing` when they lack none, `no_keys_to_share` when this
 *   device holds none of those they lack.
 */
export function keyShareFor(
  state: GroupState,
  member: MemberId,
  keyOf: (rotation: EntryId) => Uint8Array | undefined,
): EventOf<'key.shared'> {
  const missing = state.keys?.missingKeys?.find((m) => m.member === member);
  if (!missing) throw new WalletError('keys_not_missing', 'This member already has every group key.');
  const event = newKeyShare(state, missing, keyOf);
  if (!event) {
    throw new WalletError('no_keys_to_share', 'This device does not hold the group keys this member lacks.');
  }
  return event;
}
