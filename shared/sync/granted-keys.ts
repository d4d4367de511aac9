/**
 * Rotated epoch keys handed from one of a person's devices to a newly linked one (protocol §15,
 * §16): from the group record's list (hex, by key.rotated entry) to what GroupSync opens with
 * (bytes, by entry id).
 */
import { hexToBytes } from '../crypto/hash';
import type { EntryId } from '../ledger/types';

export interface GrantedEpochKey {
  readonly rotation: EntryId;
  /** 64 lower-case hex chars. */
  readonly key: string;
}

/** The keys as GroupSync takes them; undefined when there are none. */
export function grantedKeyMap(
  list: readonly GrantedEpochKey[] | undefined,
): Map<EntryId, Uint8Array> | undefined {
  if (!list || list.length === 0) return undefined;
  return new Map(list.map((k) => [k.rotation, hexToBytes(k.key, 32)]));
}
