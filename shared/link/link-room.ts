/**
 * A link room (docs/protocol.md §16): a provisional room at a relay, keyed by a link's one-time
 * secret, through which the two devices of a linking ceremony exchange one message each. Each
 * message is an ordinary signed, encrypted entry (seq 1) filed under its id in the room's map, so
 * the relay admits it like any group's entry and reads nothing. Nothing here is ever folded.
 */
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { deriveRelayToken } from '../crypto/group-key';
import type { Identity } from '../crypto/identity';
import { createEntry, openEntry, type WalletEventInput } from '../ledger/envelope';
import type { VerifiedEntry } from '../ledger/types';
import { ENTRIES_MAP } from '../sync/group-sync';
import type { Transport, TransportFactory } from '../sync/transport';
import type { LinkRoom } from './link-code';

export class LinkChannel {
  readonly #doc = new Y.Doc();
  readonly #map: Y.Map<unknown>;
  readonly #transport: Transport;
  readonly #seen = new Set<string>();
  readonly #mine = new Set<string>();
  #listener: ((entry: VerifiedEntry) => void) | undefined;
  #closed = false;

  constructor(
    readonly room: LinkRoom,
    transport: TransportFactory,
    private readonly now: () => number,
  ) {
    this.#map = this.#doc.getMap(ENTRIES_MAP);
    this.#map.observe((event) => {
      for (const key of event.keysChanged) void this.#open(key);
    });
    this.#transport = transport({
      doc: this.#doc,
      awareness: new Awareness(this.#doc),
      groupId: room.groupId,
      token: deriveRelayToken(room.groupKey),
      onStatus: () => {},
      onSynced: () => {},
      onError: () => {},
    });
  }

  /** Calls `listener` with every authentic message of the room, the ones already there included. */
  listen(listener: (entry: VerifiedEntry) => void): void {
    this.#listener = listener;
    for (const key of this.#map.keys()) void this.#open(key);
  }

  /** Signs and posts one message as `identity` (its only entry in this room). */
  async post(identity: Identity, event: WalletEventInput): Promise<VerifiedEntry> {
    const created = await createEntry({
      identity,
      groupId: this.room.groupId,
      groupKey: this.room.groupKey,
      seq: 1,
      prev: null,
      lamport: 1,
      time: this.now(),
      event,
    });
    this.#mine.add(created.id);
    this.#seen.add(created.id);
    this.#map.set(created.id, created.bytes);
    return created.entry;
  }

  /** Deletes the messages of this room it can see (after use: the grant holds group keys). */
  forget(): void {
    this.#doc.transact(() => {
      for (const key of [...this.#map.keys()]) this.#map.delete(key);
    });
  }

  /** Leaves the room after `graceMs` (so a last post or deletion reaches the relay). */
  close(graceMs = 0): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#listener = undefined;
    const end = () => {
      this.#transport.destroy();
      this.#doc.destroy();
    };
    if (graceMs > 0) setTimeout(end, graceMs);
    else end();
  }

  async #open(key: string): Promise<void> {
    if (this.#seen.has(key)) return;
    const bytes = this.#map.get(key);
    if (!(bytes instanceof Uint8Array)) return;
    this.#seen.add(key);
    const opened = await openEntry(bytes, this.room);
    // Junk or a value filed under another id is not a message (the relay removes it as well).
    if (opened.ok && opened.value.id === key) this.#listener?.(opened.value);
  }
}
