/**
 * Healing the shared map: values this device refused for a reason the relay would refuse too
 * (docs/relay.md, "Admission") are junk that no device can ever accept. Left
 * in the map they fill the room until honest writes are refused, so every device that finds
 * one removes it. The relay accepts exactly these removals; any other refusal (a bad body, a
 * broken chain) concerns an authentic entry the relay keeps, and deleting it would be undone.
 */
import type * as Y from 'yjs';
import { equalBytes, sha256Hex } from '../crypto/hash';
import { ADMISSION_CODES } from '../ledger/admission';

/** Refusal codes that mean "the relay would not admit this value". */
const INADMISSIBLE = new Set<string>(ADMISSION_CODES);

export function isInadmissible(code: string): boolean {
  return INADMISSIBLE.has(code);
}

/** A refused map value: the key, and the value as it was judged (undefined: only its id is known). */
export interface Junk {
  readonly key: string;
  readonly value: unknown;
}

/** True when the map still holds what was refused (a newer value under the key is not ours to judge). */
function stillThere(current: unknown, junk: Junk): boolean {
  if (current === undefined) return false;
  if (current === junk.value) return true;
  if (junk.value instanceof Uint8Array)
    return current instanceof Uint8Array && equalBytes(current, junk.value);
  // Judged by id only (an entry released from the pending set): the bytes whose id is the key.
  if (junk.value === undefined) return current instanceof Uint8Array && sha256Hex(current) === junk.key;
  return false;
}

/**
 * Deletes the junk still in the map, in one transaction (one update to save and send).
 * Returns how many keys were deleted.
 */
export function removeJunk(doc: Y.Doc, map: Y.Map<unknown>, junk: readonly Junk[], origin: unknown): number {
  const doomed = junk.filter((j) => stillThere(map.get(j.key), j)).map((j) => j.key);
  if (doomed.length === 0) return 0;
  doc.transact(() => {
    for (const key of doomed) map.delete(key);
  }, origin);
  return doomed.length;
}
