/**
 * The entries a room holds, as admission needs them: the bytes under each key (to write back a
 * value someone deleted) and, per entry, which admitted entry names it as prev (to let an
 * admitted successor vouch for it, protocol.md §8).
 *
 * Memory matters: a relay holds many rooms. Keys are the Yjs map's own key strings and bytes are
 * the arrays Yjs holds, so each entry costs two Map slots, not copies. The prev index is keyed
 * by 48 bits of the prev id (a number, not a 64-char string) and confirmed on lookup against the
 * child's header; a collision only costs a list.
 */
import type { AdmittedChildren } from '../shared/ledger/admission';
import type { ChainLink } from '../shared/ledger/chain-auth';
import { decodeHeader } from '../shared/ledger/envelope';
import type { EntryHeader } from '../shared/ledger/types';

function prevKey(id: string): number {
  return Number.parseInt(id.slice(0, 12), 16);
}

export class AdmittedEntries implements AdmittedChildren {
  readonly #bytes = new Map<string, Uint8Array>();
  /** 48-bit prefix of a prev id → key(s) of the admitted entries naming it. */
  readonly #childByPrev = new Map<number, string | string[]>();

  get size(): number {
    return this.#bytes.size;
  }

  /** The admitted bytes under `key`, if any. */
  get(key: string): Uint8Array | undefined {
    return this.#bytes.get(key);
  }

  /** Records an admitted entry (`key` is its id). */
  add(key: string, bytes: Uint8Array, header: EntryHeader): void {
    this.#bytes.set(key, bytes);
    if (header.prev === null) return;
    const slot = prevKey(header.prev);
    const known = this.#childByPrev.get(slot);
    if (known === undefined) this.#childByPrev.set(slot, key);
    else if (typeof known === 'string') this.#childByPrev.set(slot, [known, key]);
    else known.push(key);
  }

  /**
   * Points `key` at another array with the same bytes (the same entry written again by another
   * Yjs client), so the old array, which Yjs drops, is not kept alive here.
   */
  replaceBytes(key: string, bytes: Uint8Array): void {
    if (this.#bytes.has(key)) this.#bytes.set(key, bytes);
  }

  vouches(link: ChainLink): boolean {
    const known = this.#childByPrev.get(prevKey(link.id));
    if (known === undefined) return false;
    for (const key of typeof known === 'string' ? [known] : known) {
      const header = this.#headerOf(key);
      if (
        header !== undefined &&
        header.prev === link.id &&
        header.author === link.header.author &&
        header.seq === link.header.seq + 1
      ) {
        return true;
      }
    }
    return false;
  }

  #headerOf(key: string): EntryHeader | undefined {
    const bytes = this.#bytes.get(key);
    if (bytes === undefined) return undefined;
    const header = decodeHeader(bytes);
    return header.ok ? header.value : undefined;
  }
}
