/**
 * The extra transports of one group, beside its usual relay: e.g. a relay served by a roommate's
 * laptop on the local network (docs/sync.md, "Several transports"). Yjs needs nothing special to
 * sync one document over two providers (updates are idempotent), but awareness does: y-websocket
 * (and MemoryNetwork) remove every remote presence state from the awareness they were given when
 * their connection drops. With one shared awareness, the usual relay going down would wipe the
 * presence learned over the LAN, and nobody could tell which member sits behind which transport.
 *
 * So each extra transport gets its own Awareness on the same document (same client id), which
 * mirrors this device's local state: what a transport learns and forgets stays its own, and
 * "who is on the other end" is read per transport.
 */
import { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { GroupId } from '../ledger/types';
import type { TransportFactory } from './transport';
import { TransportSession } from './transport-session';
import type { RelayTokens } from './relay-tokens';

export interface TransportSetOptions {
  readonly doc: Y.Doc;
  readonly groupId: GroupId;
  /** The relay tokens of the group, newest first; the last is epoch 0's. */
  readonly relayTokens: RelayTokens;
  /** Anything changed in a session: status, synced or error. */
  readonly onChange: () => void;
  /** A transport's awareness changed (presence), or a transport came or went. */
  readonly onPresence: () => void;
}

export interface ExtraTransport {
  readonly id: string;
  readonly session: TransportSession;
  readonly awareness: Awareness;
}

export class TransportSet {
  readonly #o: TransportSetOptions;
  readonly #byId = new Map<string, ExtraTransport>();
  /** This device's presence, copied into every transport's awareness. */
  #local: Record<string, unknown> | null = null;

  constructor(options: TransportSetOptions) {
    this.#o = options;
  }

  get size(): number {
    return this.#byId.size;
  }

  list(): readonly ExtraTransport[] {
    return [...this.#byId.values()];
  }

  get(id: string): ExtraTransport | undefined {
    return this.#byId.get(id);
  }

  /** Starts (or replaces) transport `id`; it is created once `ready` resolves (see TransportSession). */
  add(
    id: string,
    factory: TransportFactory,
    ready: Promise<void> | undefined,
    isClosed: () => boolean,
  ): void {
    this.remove(id);
    const awareness = new Awareness(this.#o.doc);
    if (this.#local) awareness.setLocalState({ ...this.#local });
    else awareness.setLocalState(null);
    awareness.on('change', this.#o.onPresence);
    const session = new TransportSession({
      doc: this.#o.doc,
      awareness,
      groupId: this.#o.groupId,
      relayTokens: this.#o.relayTokens,
      onChange: this.#o.onChange,
    });
    this.#byId.set(id, { id, session, awareness });
    session.connect(factory, ready, isClosed);
  }

  /** Stops transport `id` and forgets what it learned; false when there was none. */
  remove(id: string): boolean {
    const t = this.#byId.get(id);
    if (!t) return false;
    this.#byId.delete(id);
    t.session.disconnect();
    t.awareness.off('change', this.#o.onPresence);
    t.awareness.destroy();
    this.#o.onPresence();
    return true;
  }

  removeAll(): void {
    for (const id of [...this.#byId.keys()]) this.remove(id);
  }

  /** Mirrors this device's presence into every transport's awareness. */
  setLocalState(state: Record<string, unknown>): void {
    this.#local = { ...state };
    for (const t of this.#byId.values()) t.awareness.setLocalState({ ...state });
  }
}
