/**
 * What binary values a Yjs update could bring into the room's map, found before it is applied
 * (admission's first, asynchronous phase checks them, so the synchronous apply has verdicts).
 *
 * In an encoded item the parent and key are written only when the item has no neighbour to
 * infer them from: a value that replaces an earlier one under the same key carries neither. So
 * every binary item whose parent is unknown or the entries map is a candidate, keyed later by
 * its content (id = SHA-256), not by where it lands. Items of nested types are not checked:
 * admission removes them whatever they hold.
 */
import * as Y from 'yjs';

/** An entry id: the only key the map may hold. */
const ENTRY_KEY = /^[0-9a-f]{64}$/;

export interface UpdateScan {
  /** Binary contents of items that may land in the map (not those already admitted there). */
  readonly binaries: Uint8Array[];
  /**
   * Why the update may not be applied at all, or null. Removing a value leaves its item behind
   * as a tombstone that keeps its key and its root's name forever (Yjs needs them to resolve
   * concurrent writes), so a key that is not an entry id, or a root other than the map, would be
   * junk no removal can clear: such updates are refused whole. Honest clients never send them.
   */
  readonly refusal: string | null;
}

/**
 * Scans `update`'s items before it is applied. (Structs pending from earlier updates were judged
 * with those; decoding them again per update would let a peer make the relay re-read megabytes
 * for every tiny message.)
 */
export function scanUpdate(
  update: Uint8Array,
  root: string,
  alreadyAdmitted: (key: string, bytes: Uint8Array) => boolean,
): UpdateScan {
  const binaries: Uint8Array[] = [];
  for (const struct of Y.decodeUpdate(update).structs) {
    if (!(struct instanceof Y.Item)) continue;
    // Decoded (not integrated) items name a root parent by its name.
    const parent = struct.parent as unknown;
    const { parentSub } = struct;
    if (typeof parent === 'string') {
      if (parent !== root) return { binaries, refusal: 'only the entries map may be written' };
      if (parentSub !== null && !ENTRY_KEY.test(parentSub)) {
        return { binaries, refusal: 'map keys must be entry ids' };
      }
    }
    if (!(struct.content instanceof Y.ContentBinary) || (parent !== null && parent !== root)) continue;
    const value = struct.content.content;
    // The same entry set again under its key (another device re-filing what it holds): known good.
    if (parentSub !== null && alreadyAdmitted(parentSub, value)) continue;
    binaries.push(value);
  }
  return { binaries, refusal: null };
}

/** Bytes of updates the document holds back waiting for missing history (structs and deletions). */
export function pendingBytes(doc: Y.Doc): number {
  return (doc.store.pendingStructs?.update.byteLength ?? 0) + (doc.store.pendingDs?.byteLength ?? 0);
}

/** Drops what waits for missing history; its senders send it again with their next full sync. */
export function dropPending(doc: Y.Doc): void {
  doc.store.pendingStructs = null;
  doc.store.pendingDs = null;
}
