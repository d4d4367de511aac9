/**
 * The key side of a GroupLog (docs/protocol.md §15): the keyring that opens bodies, the epoch
 * key of each key.rotated this device could open, the key new entries are written under, and
 * the authentic entries no key opens yet. Those are "unreadable for now", never refused: the
 * key.rotated that brings their key may arrive later (then they are placed), or never, for a
 * member removed before they were written (then they are only counted).
 */
import { WalletError } from '../errors';
import type { ChainLink } from './chain-auth';
import { Keyring } from './keyring';
import type { LoggedEntry } from './log-report';
import { boundedSet, type Candidate, type Opened } from './placement';
import type { EntryId } from './types';

/** An epoch key and the key.rotated entry that started its epoch. */
export interface OpenedKey {
  readonly rotation: EntryId;
  readonly key: Uint8Array;
}

/** The epoch keys an accepted entry gives this device (its box of a key.rotated, a key.shared to it). */
export type KeyOpener = (entry: LoggedEntry) => readonly OpenedKey[];

/** Unreadable entries kept to retry; beyond it the oldest is forgotten (the sync doc still has it). */
export const MAX_UNREADABLE = 10_000;

export function isUndecryptable(opened: Opened): boolean {
  return !opened.ok && opened.error.code === 'decrypt_failed';
}

export class LogKeys {
  readonly #groupKey: Uint8Array;
  readonly #ring: Keyring;
  readonly #opener: KeyOpener | undefined;
  readonly #byRotation = new Map<EntryId, Uint8Array>();
  /** Keys from key.shared entries addressed to this device, by the entry that carried them. */
  readonly #shared: { readonly source: EntryId; readonly rotation: EntryId; readonly key: Uint8Array }[] = [];
  #writeKey: Uint8Array | undefined;
  readonly #unreadable = new Map<EntryId, Candidate>();
  /** Waiting key entries whose boxes were tried already (each once). */
  readonly #openedWaiting = new Set<EntryId>();

  constructor(groupKey: Uint8Array, opener: KeyOpener | undefined) {
    this.#groupKey = groupKey;
    this.#ring = new Keyring(groupKey);
    this.#opener = opener;
    this.#writeKey = groupKey;
  }

  open(bytes: Uint8Array): Opened {
    return this.#ring.open(bytes);
  }

  /** Epoch 0's key (the invite's). */
  get inviteKey(): Uint8Array {
    return this.#groupKey;
  }

  /** @throws WalletError `no_epoch_key` when the current epoch's key was not sealed to this device. */
  get writeKey(): Uint8Array {
    if (this.#writeKey === undefined) {
      throw new WalletError(
        'no_epoch_key',
        'The group key was rotated without this device: it can no longer write to the group.',
      );
    }
    return this.#writeKey;
  }

  writeUnderRotation(id: EntryId | null): boolean {
    this.#writeKey = id === null ? this.#groupKey : this.#byRotation.get(id);
    return this.#writeKey !== undefined;
  }

  rotationKey(id: EntryId): Uint8Array | undefined {
    return this.#byRotation.get(id);
  }

  /** Every rotated key this device holds, by its key.rotated entry (a link grant hands them on). */
  rotationKeys(): Map<EntryId, Uint8Array> {
    return new Map(this.#byRotation);
  }

  get unreadableCount(): number {
    return this.#unreadable.size;
  }

  isUnreadable(id: EntryId): boolean {
    return this.#unreadable.has(id);
  }

  /**
   * True when an unreadable entry names `c` as its author's previous entry: authentic, it vouches
   * for `c` as a refused one would (chain-auth.ts). Only asked about forged-looking entries: rare.
   */
  vouches(c: ChainLink): boolean {
    const { author, seq } = c.header;
    for (const u of this.#unreadable.values()) {
      if (u.header.prev === c.id && u.header.author === author && u.header.seq === seq + 1) return true;
    }
    return false;
  }

  /** The candidates some key opened (or refused for another reason); the rest are kept as unreadable. */
  readable(candidates: readonly Candidate[]): Candidate[] {
    const out: Candidate[] = [];
    for (const c of candidates) {
      if (c.opened && isUndecryptable(c.opened)) boundedSet(this.#unreadable, c.id, c, MAX_UNREADABLE);
      else out.push(c);
    }
    return out;
  }

  /**
   * Opens the keys of the key.rotated and key.shared entries in `accepted[from…]`; true when the ring grew and
   * unreadable entries wait (retryUnreadable may open some now).
   */
  learn(accepted: readonly LoggedEntry[], from: number): boolean {
    const opener = this.#opener;
    if (!opener) return false;
    let grew = false;
    for (let i = from; i < accepted.length; i++) {
      const e = accepted[i]!;
      const type = e.event.type;
      if (type !== 'key.rotated' && type !== 'key.shared') continue;
      for (const { rotation, key } of opener(e)) {
        if (this.#ring.add(key)) grew = true;
        // Any key may try to open bodies, but only a box of the rotation itself, or a share the
        // fold accepted (adoptShared), says which key this device writes under.
        if (type === 'key.rotated') this.#byRotation.set(rotation, key);
        else this.#shared.push({ source: e.id, rotation, key });
      }
    }
    return grew && this.#unreadable.size > 0;
  }

  /**
   * Opens the keys of key.rotated and key.shared entries still waiting to be placed: a share is
   * written under epoch 0's key for a joiner, but its author's previous entry may be under a key
   * the joiner lacks, and the share would wait for it for ever. Trying a key is harmless (the AEAD
   * says whether it fits); only shares the fold accepts decide the write key (adoptShared), and a
   * rotation decides it only once placed. True as for `learn`.
   */
  learnWaiting(waiting: Iterable<LoggedEntry>): boolean {
    const opener = this.#opener;
    if (!opener) return false;
    let grew = false;
    for (const e of waiting) {
      const type = e.event.type;
      if ((type !== 'key.rotated' && type !== 'key.shared') || this.#openedWaiting.has(e.id)) continue;
      this.#openedWaiting.add(e.id);
      for (const { key } of opener(e)) if (this.#ring.add(key)) grew = true;
    }
    return grew && this.#unreadable.size > 0;
  }

  /**
   * Takes the keys of the key.shared entries the fold accepted (`valid`) for rotations this device
   * has no key of its own for, first come first kept. A share the fold ignored (say, by a departed
   * member) never decides what this device writes under.
   */
  adoptShared(valid: ReadonlySet<EntryId>): void {
    for (const s of this.#shared) {
      if (valid.has(s.source) && !this.#byRotation.has(s.rotation)) this.#byRotation.set(s.rotation, s.key);
    }
  }

  /** Ids of the unreadable entries, oldest first. */
  unreadableIds(): EntryId[] {
    return [...this.#unreadable.keys()];
  }

  /** Takes every unreadable entry out (restore: stored entries that no longer open are refused). */
  dropUnreadable(): Candidate[] {
    const out = [...this.#unreadable.values()];
    this.#unreadable.clear();
    return out;
  }

  /** Every unreadable entry, opened again with the whole ring (they leave the unreadable set). */
  retryUnreadable(): Candidate[] {
    const retry = [...this.#unreadable.values()].map((c) => ({
      ...c,
      index: -1,
      opened: this.open(c.bytes),
    }));
    this.#unreadable.clear();
    return retry;
  }
}
