import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { AddressBudgets } from './address-budgets';
import type { RelayLimits } from './config';
import { CloseCode, RelayConnection } from './connection';
import type { AdmissionCounters } from './metrics';
import type { PresenceGate, PresenceOwners } from './presence-gate';
import type { RemotePresence, RemoteUpdates } from './relay-backend';
import { RoomAdmission, syncUpdateMessage } from './room-admission';
import type { RoomStore } from './room-store';
import { FullStateReply, MESSAGE_SYNC, syncReply } from './sync-replies';
import {
  answerHandOver,
  type HandOverHost,
  MESSAGE_RELAY_TOKEN,
  readHandOverMessage,
} from './token-handover';

/** y-websocket message types (first varuint of every message). */
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;
/** A connection with more than this built for it and unsent gets no new sync reply built. */
export const REPLY_HOLD_BYTES = 1024 * 1024;
/** How often a held reply looks again whether its connection has read what it was sent. */
const HELD_RECHECK_MS = 200;

/** `takesHandOvers` / `handOverTokens`: the relay's side of token hand-overs (token-handover.ts). */
export interface RoomHost extends HandOverHost {
  readonly store: RoomStore;
  readonly limits: RelayLimits;
  readonly log: Logger;
  readonly budgets: AddressBudgets;
  readonly presenceGate: PresenceGate;
  /** The room cannot go on (storage failed): the host drops it so a reconnect starts afresh. */
  roomFailed(room: Room): void;
  /** Admission's counters, shared by the host's rooms; without them each room counts alone. */
  readonly admissionCounters?: AdmissionCounters;
  /** Cluster nodes only: updates other nodes stored for a loaded room. */
  readonly remote?: RemoteUpdates;
  /** Cluster nodes only: presence of the clients of other nodes. */
  readonly presence?: RemotePresence;
}

/** Awareness origin of states published by other cluster nodes. */
const REMOTE_PRESENCE = Symbol('remote presence');
/** The owner, for the presence gate, of every state another node announced: no local connection may change it. */
const ANOTHER_NODE = Object.freeze({ node: 'another' });

/** Transaction origin of updates another cluster node admitted and stored (no connection sent them). */
export const REMOTE_ORIGIN = Symbol('remote node');

/** A message to send once the batch that produced it is persisted. */
type Outgoing =
  | { readonly to: RelayConnection; readonly message: Uint8Array; readonly reserved?: number }
  | { readonly except: RelayConnection | null; readonly message: Uint8Array };

/**
 * `greet`: a new connection, once the room is loaded; `message`: bytes it sent; `owed`: its held
 * sync request may be answered now.
 */
type Job =
  | { readonly kind: 'greet'; readonly conn: RelayConnection }
  | { readonly kind: 'message'; readonly conn: RelayConnection; readonly data: Uint8Array }
  | { readonly kind: 'owed'; readonly conn: RelayConnection }
  | { readonly kind: 'remote'; readonly update: Uint8Array };

class MalformedMessage extends Error {}

function encodeMessage(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/**
 * One group's document on the relay. Incoming messages are handled strictly in arrival order,
 * in batches: apply every message of the batch to the document, write the new updates to the
 * store as one record, and only then send the replies and broadcasts. So anything a client
 * has received from the relay is already on disk (group commit: one write per batch).
 */
export class Room {
  readonly conns = new Set<RelayConnection>();
  private readonly inbox: Job[] = [];
  private readonly ready: Promise<void>;
  private draining: Promise<void> | null = null;
  private doc: Y.Doc | null = null;
  private admission: RoomAdmission | null = null;
  private awareness: awarenessProtocol.Awareness | null = null;
  private fullReply: FullStateReply | null = null;
  /** Presence client id → the connection that announced it. */
  private readonly presenceOwner = new Map<number, RelayConnection>();
  /** Presence client ids announced through other cluster nodes. */
  private readonly remotePresence = new Set<number>();
  private unfollowPresence: (() => void) | null = null;
  /** Outgoing list of the batch being handled (awareness changes join it), else null. */
  private batchOut: Outgoing[] | null = null;
  /** Encoded document size: exact after a measurement, plus bytes admitted since. */
  private sizeEstimate = 0;
  private sizeMeasured = 0;
  private failed = false;
  private destroyed = false;
  private unfollow: (() => void) | null = null;
  /** Token hand-overs being decided (off the batch); idle() waits for them. */
  private readonly handOvers = new Set<Promise<void>>();

  /** `after`: the previous instance of this room finishing its writes (when it was just unloaded). */
  constructor(
    readonly id: string,
    private readonly host: RoomHost,
    after: Promise<void>,
  ) {
    this.ready = after.then(() => this.load());
  }

  get isEmpty(): boolean {
    return this.conns.size === 0;
  }

  join(conn: RelayConnection): void {
    this.conns.add(conn);
    this.enqueue({ kind: 'greet', conn });
  }

  receive(conn: RelayConnection, data: Uint8Array): void {
    conn.queued(data.byteLength);
    this.enqueue({ kind: 'message', conn, data });
  }

  leave(conn: RelayConnection): void {
    this.conns.delete(conn);
    conn.dispose();
    if (this.awareness !== null && conn.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
    }
  }

  /** Resolves when every message received so far has been handled (and persisted). */
  async idle(): Promise<void> {
    while (this.draining !== null) await this.draining;
    await Promise.all(this.handOvers);
  }

  /** Waits for pending work, then frees the document. */
  async unload(): Promise<void> {
    await this.idle();
    await this.ready.catch(() => {});
    this.unfollow?.();
    this.unfollowPresence?.();
    this.destroyed = true;
    this.fullReply?.destroy();
    this.awareness?.destroy();
    this.doc?.destroy();
  }

  private async load(): Promise<void> {
    const doc = await this.host.store.loadRoom(this.id);
    // Values stored before admission existed that it would refuse go now, persisted like any update.
    const { admission, cleanup } = await RoomAdmission.open(
      this.id,
      doc,
      this.host.limits,
      this.host.admissionCounters,
    );
    if (cleanup !== null) await this.host.store.appendUpdate(this.id, cleanup);
    this.admission = admission;
    const awareness = new awarenessProtocol.Awareness(doc);
    // The relay is not a participant: it only forwards other clients' presence.
    awareness.setLocalState(null);
    awareness.on('update', this.onAwarenessUpdate);
    this.doc = doc;
    this.awareness = awareness;
    this.fullReply = new FullStateReply(doc);
    this.sizeEstimate = this.sizeMeasured = Y.encodeStateAsUpdate(doc).byteLength;
    // From the point the store loaded the room: what other nodes write after it comes in order.
    const remote = this.host.remote;
    if (remote !== undefined) {
      this.unfollow = remote.follow(this.id, (update) => this.enqueue({ kind: 'remote', update }));
    }
    const presence = this.host.presence;
    if (presence !== undefined) {
      this.unfollowPresence = presence.follow(this.id, (update) => this.applyRemotePresence(update));
    }
  }

  /** Other nodes' presence, filtered by their own gates: applied as is, fanned out by onAwarenessUpdate. */
  private applyRemotePresence(update: Uint8Array): void {
    if (this.awareness === null || this.destroyed) return;
    try {
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE_PRESENCE);
    } catch (error) {
      this.host.log.warn({ room: this.id, err: error }, 'remote presence does not decode; skipped');
    }
  }

  private readonly onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const awareness = this.awareness!;
    const sender = origin instanceof RelayConnection ? origin : null;
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    // This node's clients' changes go to the other nodes (never theirs back, nor their timeouts here).
    const presence = this.host.presence;
    if (presence !== undefined && origin !== REMOTE_PRESENCE) {
      const ours = changed.filter((id) => !this.remotePresence.has(id));
      if (ours.length > 0)
        presence.publish(this.id, awarenessProtocol.encodeAwarenessUpdate(awareness, ours));
    }
    if (sender !== null) {
      for (const id of changes.added) {
        sender.awarenessIds.add(id);
        this.presenceOwner.set(id, sender);
      }
    } else if (origin === REMOTE_PRESENCE) {
      for (const id of changes.added) this.remotePresence.add(id);
    }
    // Removed states (by their owner, or timed out inside Awareness) free their slot.
    for (const id of changes.removed) {
      this.presenceOwner.get(id)?.awarenessIds.delete(id);
      this.presenceOwner.delete(id);
      this.remotePresence.delete(id);
    }
    const message = encodeMessage((e) => {
      encoding.writeVarUint(e, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, changed));
    });
    // Presence is never stored, so it need not wait for a write unless it is part of a batch.
    if (this.batchOut !== null) this.batchOut.push({ except: sender, message });
    else this.deliver([{ except: sender, message }]);
  };

  private enqueue(job: Job): void {
    if (this.failed) return;
    this.inbox.push(job);
    if (this.draining === null) this.draining = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      await this.ready;
      while (this.inbox.length > 0 && !this.failed) {
        await this.handleBatch(this.inbox.splice(0));
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.draining = null;
    }
  }

  private async handleBatch(batch: Job[]): Promise<void> {
    const doc = this.doc!;
    const out: Outgoing[] = [];
    const updates: Uint8Array[] = [];
    const onUpdate = (update: Uint8Array, origin: unknown): void => {
      // Another node stored it already; handleJob stores only what admission changed in it.
      if (origin !== REMOTE_ORIGIN) updates.push(update);
      const message = encodeMessage((e) => {
        encoding.writeVarUint(e, MESSAGE_SYNC);
        syncProtocol.writeUpdate(e, update);
      });
      out.push({ except: origin instanceof RelayConnection ? origin : null, message });
    };
    doc.on('update', onUpdate);
    this.batchOut = out;
    try {
      for (const job of batch) {
        // Only an update waits (for its signature checks); the next job starts after it.
        const admitting =
          job.kind === 'remote' ? this.applyRemote(job.update, updates) : this.handleJob(job, doc, out);
        if (admitting !== undefined) await admitting;
      }
    } finally {
      doc.off('update', onUpdate);
      this.batchOut = null;
    }
    if (updates.length > 0) {
      await this.host.store.appendUpdate(
        this.id,
        updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates),
      );
    }
    this.deliver(out);
  }

  /**
   * An update another node admitted and stored. It goes through admission again (without the
   * signature checks the other node made) so this node's entry index and author quotas stay exact
   * (a later local delete of such an entry is undone, a writer cannot spread over nodes to pass
   * its quota); it is normally all kept, and only if admission changed something is the change
   * stored. There is no sender to refuse or close.
   */
  private async applyRemote(update: Uint8Array, updates: Uint8Array[]): Promise<void> {
    try {
      const { echo } = this.admission!.admitStored(update, REMOTE_ORIGIN);
      if (echo !== null) updates.push(echo);
      this.sizeEstimate += update.byteLength;
    } catch (error) {
      // Stored bytes that do not decode: never crash the node over them.
      this.host.log.warn({ room: this.id, err: error }, 'remote update does not apply; skipped');
    }
  }

  private handleJob(
    job: Exclude<Job, { kind: 'remote' }>,
    doc: Y.Doc,
    out: Outgoing[],
  ): Promise<void> | undefined {
    const { conn } = job;
    if (job.kind === 'greet') {
      this.greet(conn, doc, out);
      return;
    }
    if (job.kind === 'owed') {
      const stateVector = conn.owedStateVector;
      conn.owedStateVector = null;
      if (stateVector !== null && !conn.closing && this.conns.has(conn)) {
        this.requestReply(conn, stateVector, doc, out);
      }
      return;
    }
    const { data } = job;
    conn.processed(data.byteLength);
    // Messages from a connection we closed are dropped; those from a peer that simply
    // disconnected are still applied (it may have sent updates just before leaving).
    if (conn.closing) return;
    const malformed = (error: unknown): void => {
      this.host.log.debug({ room: this.id, err: error }, 'malformed message');
      conn.reject('malformed', CloseCode.invalidPayload, 'malformed message');
    };
    try {
      return this.handleMessage(conn, data, doc, out)?.catch(malformed);
    } catch (error) {
      malformed(error);
    }
  }

  private greet(conn: RelayConnection, doc: Y.Doc, out: Outgoing[]): void {
    out.push({
      to: conn,
      message: encodeMessage((e) => {
        encoding.writeVarUint(e, MESSAGE_SYNC);
        syncProtocol.writeSyncStep1(e, doc);
      }),
    });
    const awareness = this.awareness!;
    const states = [...awareness.getStates().keys()];
    if (states.length > 0) out.push({ to: conn, message: this.encodeAwareness(states) });
  }

  private encodeAwareness(clients: number[]): Uint8Array {
    return encodeMessage((e) => {
      encoding.writeVarUint(e, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness!, clients));
    });
  }

  private handleMessage(
    conn: RelayConnection,
    data: Uint8Array,
    doc: Y.Doc,
    out: Outgoing[],
  ): Promise<void> | undefined {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC: {
        const syncType = decoding.readVarUint(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          const stateVector = decoding.readVarUint8Array(decoder);
          // A malformed vector is a malformed message now, not when a held request is served.
          if (stateVector.byteLength > 0) Y.decodeStateVector(stateVector);
          this.requestReply(conn, stateVector, doc, out);
        } else if (
          syncType === syncProtocol.messageYjsSyncStep2 ||
          syncType === syncProtocol.messageYjsUpdate
        ) {
          const update = decoding.readVarUint8Array(decoder);
          if (!this.admit(update.byteLength, doc)) {
            conn.reject('room_too_large', CloseCode.roomFull, 'room size limit reached');
            return;
          }
          return this.admitUpdate(conn, update, out);
        } else {
          throw new MalformedMessage(`unknown sync message type ${syncType}`);
        }
        return;
      }
      case MESSAGE_AWARENESS: {
        const allowed = this.host.presenceGate.filter(conn, decoding.readVarUint8Array(decoder), this.owners);
        if (allowed !== null) awarenessProtocol.applyAwarenessUpdate(this.awareness!, allowed, conn);
        return;
      }
      case MESSAGE_QUERY_AWARENESS:
        // Bounded: at most awarenessStatesPerRoom small states; the query itself is rate-limited.
        if (this.host.presenceGate.allowQuery(conn)) {
          out.push({ to: conn, message: this.encodeAwareness([...this.awareness!.getStates().keys()]) });
        }
        return;
      case MESSAGE_RELAY_TOKEN: {
        const request = readHandOverMessage(data.subarray(decoder.pos));
        if (request === null) throw new MalformedMessage('malformed relay token message');
        // Whether the author has entries here, as of this message's place in the room's order.
        const known = this.admission!.usage(request.author).entries > 0;
        const job = answerHandOver(this.id, this.host, conn, request, known);
        this.handOvers.add(job);
        void job.finally(() => this.handOvers.delete(job));
        return;
      }
      default:
        throw new MalformedMessage(`unknown message type ${type}`);
    }
  }

  /**
   * Answers a sync request, unless the connection has not read what it was sent or its address
   * is over its send budget: then the request is held (a later one replaces it) and answered
   * when that changes. So a peer that asks and does not read gets nothing more built for it,
   * and one that reads gets what its budget allows.
   */
  private requestReply(conn: RelayConnection, stateVector: Uint8Array, doc: Y.Doc, out: Outgoing[]): void {
    const wait =
      conn.unsentBytes > REPLY_HOLD_BYTES ? HELD_RECHECK_MS : this.host.budgets.sendWaitMs(conn.ip);
    if (wait > 0) {
      this.holdReply(conn, stateVector, wait);
      return;
    }
    const message = syncReply(doc, stateVector, this.fullReply!);
    this.host.budgets.chargeSend(conn.ip, message.byteLength);
    conn.reserve(message.byteLength);
    out.push({ to: conn, message, reserved: message.byteLength });
  }

  private holdReply(conn: RelayConnection, stateVector: Uint8Array, waitMs: number): void {
    conn.owedStateVector = stateVector;
    if (conn.owedTimer !== undefined) return;
    conn.owedTimer = setTimeout(() => {
      conn.owedTimer = undefined;
      if (conn.owedStateVector !== null) this.enqueue({ kind: 'owed', conn });
    }, waitMs);
    conn.owedTimer.unref();
  }

  private readonly owners: PresenceOwners = {
    ownerOf: (clientId) =>
      this.presenceOwner.get(clientId) ?? (this.remotePresence.has(clientId) ? ANOTHER_NODE : undefined),
    ownedBy: (conn) => (conn as RelayConnection).awarenessIds,
    stateCount: () => this.awareness?.getStates().size ?? 0,
  };

  /** Applies an update through admission (room-admission.ts): what may not stay is removed in the same transaction. */
  private async admitUpdate(conn: RelayConnection, update: Uint8Array, out: Outgoing[]): Promise<void> {
    const { echo, refusal } = await this.admission!.admit(update, conn);
    // Broadcasts skip their sender, which must still learn what was removed from what it wrote.
    if (echo !== null) out.push({ to: conn, message: syncUpdateMessage(echo) });
    if (refusal !== null) conn.reject(refusal.reason, refusal.code, refusal.text);
  }

  /**
   * Would the document stay within maxDocBytes with this update? Counting update sizes
   * over-estimates (duplicates, overwritten values), so before refusing, measure the real
   * encoded size once; measure again only after something new was admitted.
   */
  private admit(bytes: number, doc: Y.Doc): boolean {
    const max = this.host.limits.maxDocBytes;
    if (this.sizeEstimate + bytes > max && this.sizeEstimate !== this.sizeMeasured) {
      this.sizeEstimate = this.sizeMeasured = Y.encodeStateAsUpdate(doc).byteLength;
    }
    if (this.sizeEstimate + bytes > max) return false;
    this.sizeEstimate += bytes;
    return true;
  }

  private deliver(out: Outgoing[]): void {
    if (this.destroyed) return;
    for (const item of out) {
      if ('to' in item) {
        item.to.send(item.message, item.reserved);
      } else {
        for (const conn of this.conns) if (conn !== item.except) conn.send(item.message);
      }
    }
  }

  /** Storage failed: drop the in-memory state (clients still hold their data and resend it). */
  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.inbox.length = 0;
    this.host.log.error({ room: this.id, err: error }, 'room failed; dropping it');
    for (const conn of this.conns)
      conn.reject('storage_error', CloseCode.internalError, 'relay storage error');
    this.host.roomFailed(this);
  }
}
