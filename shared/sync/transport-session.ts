/**
 * The connection side of GroupSync: one transport at a time, what it reports (status, first
 * exchange done, typed error), and the rule for when an error stops being news. Callbacks of a
 * replaced transport are ignored, so a late 'disconnected' from an old socket cannot mark the
 * current one offline.
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { GroupId } from '../ledger/types';
import type {
  Transport,
  TransportContext,
  TransportError,
  TransportFactory,
  TransportStatus,
} from './transport';
import type { RelayTokens } from './relay-tokens';

export interface TransportSessionOptions {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly groupId: GroupId;
  /** The relay tokens of the group, newest first; the last is epoch 0's. */
  readonly relayTokens: RelayTokens;
  /** Anything changed: status, synced or error. */
  readonly onChange: () => void;
}

export class TransportSession {
  readonly #o: TransportSessionOptions;
  #transport: Transport | undefined;
  #session: object | undefined;
  #status: TransportStatus = 'disconnected';
  #synced = false;
  #error: TransportError | undefined;

  constructor(options: TransportSessionOptions) {
    this.#o = options;
  }

  /** True from `connect` until `disconnect` (the transport may still wait to start). */
  get active(): boolean {
    return this.#session !== undefined;
  }

  get status(): TransportStatus {
    return this.#status;
  }

  get synced(): boolean {
    return this.#synced;
  }

  /** The transport's latest error, until it is over (see onStatus / onSynced below). */
  get error(): TransportError | undefined {
    return this.#error;
  }

  /**
   * Starts a session: the transport itself is created once `ready` resolves (GroupSync waits for
   * the stored document, or the first sync would download the whole group again). A factory that
   * throws is recorded as the error; it throws here only when it runs at once.
   */
  connect(factory: TransportFactory, ready: Promise<void> | undefined, isClosed: () => boolean): void {
    this.disconnect();
    const session = {};
    this.#session = session;
    this.#status = 'connecting';
    // A new attempt: an old error is no longer what is happening.
    this.#error = undefined;
    this.#o.onChange();
    const mine = () => this.#session === session;
    const context: TransportContext = {
      doc: this.#o.doc,
      awareness: this.#o.awareness,
      groupId: this.#o.groupId,
      token: this.#o.relayTokens.list().at(-1)!.token,
      relayTokens: this.#o.relayTokens,
      onStatus: (status) => {
        if (!mine()) return;
        this.#status = status;
        // Reaching the relay ends "unreachable"; what the relay itself said (busy, full, wrong
        // key) lasts until a full exchange succeeds, since the relay accepts and then closes.
        if (status === 'connected' && this.#error?.code === 'unreachable') this.#error = undefined;
        this.#o.onChange();
      },
      onSynced: (synced) => {
        if (!mine()) return;
        this.#synced = synced;
        if (synced) this.#error = undefined;
        this.#o.onChange();
      },
      onError: (error) => {
        if (!mine()) return;
        this.#error = error;
        this.#o.onChange();
      },
    };
    const start = () => {
      try {
        this.#transport = factory(context);
      } catch (error) {
        this.#session = undefined;
        this.#status = 'disconnected';
        const message = error instanceof Error ? error.message : String(error);
        this.#error = { code: 'unreachable', message };
        this.#o.onChange();
        throw error;
      }
      this.#o.onChange();
    };
    if (!ready) {
      start();
      return;
    }
    void ready.then(() => {
      if (!mine() || isClosed()) return;
      try {
        start();
      } catch {
        // Recorded as the error by start().
      }
    });
  }

  /** Ends the session (the transport releases its sockets and timers). */
  disconnect(): void {
    if (!this.#session) return;
    const transport = this.#transport;
    this.#transport = undefined;
    this.#session = undefined;
    transport?.destroy();
    this.#status = 'disconnected';
    this.#synced = false;
    this.#o.onChange();
  }
}
