/**
 * The epoch keys one device holds for a group (docs/protocol.md §15): epoch 0's (the invite's)
 * and every rotated key it could open. A body carries no key id (the header layout is fixed),
 * so opening tries the key that opened the previous body first (histories come in runs of one
 * epoch), then the others newest first; the AEAD tag tells which one fits. A group that never
 * rotated costs exactly what it did before: one key, one try.
 */
import { bytesToHex } from '../crypto/hash';
import { decryptEntryBody } from './envelope';
import type { Opened } from './placement';

export class Keyring {
  readonly #keys: Uint8Array[];
  readonly #hex = new Set<string>();
  #last = 0;

  constructor(first: Uint8Array) {
    this.#keys = [first];
    this.#hex.add(bytesToHex(first));
  }

  get size(): number {
    return this.#keys.length;
  }

  /** Adds a key; false when the ring already holds it. */
  add(key: Uint8Array): boolean {
    const hex = bytesToHex(key);
    if (this.#hex.has(hex)) return false;
    this.#hex.add(hex);
    this.#keys.push(key);
    return true;
  }

  /**
   * Opens an entry body that passed decodeHeader with the first key that fits. `decrypt_failed`
   * only when none does; a schema failure under a fitting key is that key's verdict.
   */
  open(bytes: Uint8Array): Opened {
    const keys = this.#keys;
    let opened = decryptEntryBody(bytes, keys[this.#last]!);
    if (opened.ok || opened.error.code !== 'decrypt_failed') return opened;
    for (let i = keys.length - 1; i >= 0; i--) {
      if (i === this.#last) continue;
      opened = decryptEntryBody(bytes, keys[i]!);
      if (opened.ok || opened.error.code !== 'decrypt_failed') {
        this.#last = i;
        return opened;
      }
    }
    return opened;
  }
}
