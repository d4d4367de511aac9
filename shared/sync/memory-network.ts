/**
 * An in-process stand-in for the relay, for tests: a hub document (the relay's copy) and a
 * queue of messages between it and the connected peers. Tests decide when and in what order
 * messages arrive — shuffled, duplicated, cut off by disconnects — to shake out ordering bugs
 * that a well-behaved socket would hide.
 */
import {
  Awareness,
  applyAwarenessUpdate,
  encodeAwarenessUpdate,
  removeAwarenessStates,
} from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Transport, TransportContext, TransportFactory } from './transport';

type Message =
  | { readonly kind: 'to-hub'; readonly from: Peer; readonly update: Uint8Array }
  | { readonly kind: 'to-peer'; readonly to: Peer; readonly update: Uint8Array; readonly initial: boolean }
  | { readonly kind: 'awareness'; readonly to: Peer; readonly update: Uint8Array };

interface Peer {
  readonly ctx: TransportContext;
  connected: boolean;
  /** Initial sync messages not yet delivered; synced when it reaches 0. */
  awaitingInitial: number;
}

export interface MemoryNetworkOptions {
  /** Source of randomness for delivery order; Math.random when omitted. */
  readonly random?: () => number;
  /** Probability that a delivered message is delivered again later. */
  readonly duplicateRate?: number;
}

export class MemoryNetwork {
  /** The relay's copy of the document: keeps everything, so late joiners get the history. */
  readonly hub = new Y.Doc();
  private readonly peers = new Set<Peer>();
  private queue: Message[] = [];
  private readonly random: () => number;
  private readonly duplicateRate: number;

  constructor(options: MemoryNetworkOptions = {}) {
    this.random = options.random ?? Math.random;
    this.duplicateRate = options.duplicateRate ?? 0;
    this.hub.on('update', (update: Uint8Array, origin: unknown) => {
      for (const peer of this.peers) {
        if (peer !== origin) this.queue.push({ kind: 'to-peer', to: peer, update, initial: false });
      }
    });
  }

  get queued(): number {
    return this.queue.length;
  }

  readonly transport: TransportFactory = (ctx) => this.connect(ctx);

  /** Connects a bare document (a malicious or scripted peer) with no binding on top. */
  connectDoc(doc: Y.Doc): Transport {
    return this.connect({
      doc,
      awareness: new Awareness(doc),
      groupId: 'test',
      token: 'test',
      onStatus: () => {},
      onSynced: () => {},
      onError: () => {},
    });
  }

  /** Delivers one queued message, chosen at random; false when the queue is empty. */
  deliverOne(): boolean {
    if (this.queue.length === 0) return false;
    const index = Math.floor(this.random() * this.queue.length);
    const [message] = this.queue.splice(index, 1);
    if (!message) return false;
    if (this.duplicateRate > 0 && this.random() < this.duplicateRate) this.queue.push(message);
    this.deliver(message);
    return true;
  }

  /** Delivers until nothing is left (deliveries may enqueue more). */
  deliverAll(): void {
    while (this.deliverOne()) {
      // keep going
    }
  }

  private deliver(message: Message): void {
    if (message.kind === 'to-hub') {
      Y.applyUpdate(this.hub, message.update, message.from);
      return;
    }
    const peer = message.to;
    if (!peer.connected) return;
    if (message.kind === 'awareness') {
      applyAwarenessUpdate(peer.ctx.awareness, message.update, this);
      return;
    }
    Y.applyUpdate(peer.ctx.doc, message.update, this);
    if (message.initial) {
      peer.awaitingInitial -= 1;
      if (peer.awaitingInitial === 0) peer.ctx.onSynced(true);
    }
  }

  private connect(ctx: TransportContext): Transport {
    const peer: Peer = { ctx, connected: true, awaitingInitial: 1 };
    const { doc, awareness } = ctx;
    ctx.onStatus('connecting');
    this.peers.add(peer);
    ctx.onStatus('connected');
    // Sync step 2 both ways, as y-websocket does on open.
    this.queue.push({
      kind: 'to-hub',
      from: peer,
      update: Y.encodeStateAsUpdate(doc, Y.encodeStateVector(this.hub)),
    });
    this.queue.push({
      kind: 'to-peer',
      to: peer,
      update: Y.encodeStateAsUpdate(this.hub, Y.encodeStateVector(doc)),
      initial: true,
    });
    for (const other of this.peers) {
      if (other === peer) continue;
      this.queue.push({
        kind: 'awareness',
        to: other,
        update: encodeAwarenessUpdate(awareness, [doc.clientID]),
      });
      this.queue.push({
        kind: 'awareness',
        to: peer,
        update: encodeAwarenessUpdate(other.ctx.awareness, [other.ctx.doc.clientID]),
      });
    }

    const onUpdate = (update: Uint8Array, origin: unknown) => {
      if (origin !== this && peer.connected) this.queue.push({ kind: 'to-hub', from: peer, update });
    };
    const onAwareness = (
      { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
      origin: unknown,
    ) => {
      if (origin === this || !peer.connected) return;
      const update = encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed]);
      for (const other of this.peers)
        if (other !== peer) this.queue.push({ kind: 'awareness', to: other, update });
    };
    doc.on('update', onUpdate);
    awareness.on('update', onAwareness);

    return {
      destroy: () => {
        if (!peer.connected) return;
        peer.connected = false;
        this.peers.delete(peer);
        doc.off('update', onUpdate);
        awareness.off('update', onAwareness);
        // Messages still in flight to it are lost with the socket.
        this.queue = this.queue.filter((m) => m.kind === 'to-hub' || m.to !== peer);
        for (const other of this.peers) {
          removeAwarenessStates(other.ctx.awareness, [doc.clientID], this);
          removeAwarenessStates(awareness, [other.ctx.doc.clientID], this);
        }
        ctx.onStatus('disconnected');
        ctx.onSynced(false);
      },
    };
  }
}
