/**
 * Healing the shared map. Values this device refused for a reason the relay would refuse too
 * (docs/relay.md, "Admission") are junk that no device can ever accept. Left
 * in the map they fill the room until honest writes are refused, so every device that finds
 * one removes it. The relay accepts exactly these removals; any other refusal (a bad body, a
 * broken chain) concerns an authentic entry the relay keeps, and deleting it would be undone.
 */
import type * as Y from 'yjs';
import { equalBytes, sha256Hex } from '../crypto/hash';
import { ADMISSION_CODES } from '../ledger/admission';
import type { LoggedEntry } from '../ledger/group-log';
import type { EntryId } from '../ledger/types';
import type { StoredEntry } from './store';

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

/**
 * Keeps the map a grow-only set from this device's point of view: an accepted entry whose key
 * vanished, holds other bytes, or never made it into the document (a crash before the document
 * was persisted) is put back, in one transaction.
 */
export function putBackAccepted(
  doc: Y.Doc,
  map: Y.Map<unknown>,
  log: { get(id: EntryId): LoggedEntry | undefined },
  ids: Iterable<EntryId>,
  origin: unknown,
): void {
  const fixes: LoggedEntry[] = [];
  for (const id of ids) {
    const entry = log.get(id);
    const value = map.get(id);
    const same =
      value === entry?.bytes || (value instanceof Uint8Array && entry && equalBytes(value, entry.bytes));
    if (entry && !same) fixes.push(entry);
  }
  if (fixes.length === 0) return;
  doc.transact(() => {
    for (const e of fixes) map.set(e.id, e.bytes);
  }, origin);
}

/**
 * Stored entries now known to be fork evidence: applied ones at or after the seq where their
 * author forked (the store marks them so they no longer count as the author's chain).
 */
export function staleForkEvidence(
  forks: readonly { readonly author: string; readonly seq: number }[],
  stored: readonly StoredEntry[],
): EntryId[] {
  if (forks.length === 0) return [];
  const forkSeq = new Map(forks.map((f) => [f.author, f.seq]));
  return stored
    .filter((e) => e.status === 'applied' && e.seq >= (forkSeq.get(e.author) ?? Number.POSITIVE_INFINITY))
    .map((e) => e.id);
}
