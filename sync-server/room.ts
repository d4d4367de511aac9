import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { RelayLimits } from './config';
import { CloseCode, RelayConnection } from './connection';
import type { RoomStore } from './room-store';

/** y-websocket message types (first varuint of every message). */
const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const MESSAGE_QUERY_AWARENESS = 3;

export interface RoomHost {
  readonly store: RoomStore;
  readonly limits: RelayLimits;
  readonly log: Logger;
  /** The room cannot go on (storage failed): the host drops it so a reconnect starts afresh. */
  roomFailed(room: Room): void;
}

/** A message to send once the batch that produced it is persisted. */
type Outgoing =
  | { readonly to: RelayConnection; readonly message: Uint8Array }
  | { readonly except: RelayConnection | null; readonly message: Uint8Array };

/** `data === null` is the greeting a new connection gets once the room is loaded. */
interface Job {
  readonly conn: RelayConnection;
  readonly data: Uint8Array | null;
}

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
  private awareness: awarenessProtocol.Awareness | null = null;
  /** Outgoing list of the batch being handled (awareness changes join it), else null. */
  private batchOut: Outgoing[] | null = null;
  /** Encoded document size: exact after a measurement, plus bytes admitted since. */
  private sizeEstimate = 0;
  private sizeMeasured = 0;
  private failed = false;
  private destroyed = false;

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
    this.enqueue({ conn, data: null });
  }

  receive(conn: RelayConnection, data: Uint8Array): void {
    conn.queued(data.byteLength);
    this.enqueue({ conn, data });
  }

  leave(conn: RelayConnection): void {
    this.conns.delete(conn);
    if (this.awareness !== null && conn.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null);
    }
  }

  /** Resolves when every message received so far has been handled (and persisted). */
  async idle(): Promise<void> {
    while (this.draining !== null) await this.draining;
  }

  /** Waits for pending work, then frees the document. */
  async unload(): Promise<void> {
    await this.idle();
    await this.ready.catch(() => {});
    this.destroyed = true;
    this.awareness?.destroy();
    this.doc?.destroy();
  }

  private async load(): Promise<void> {
    const doc = await this.host.store.loadRoom(this.id);
    const awareness = new awarenessProtocol.Awareness(doc);
    // The relay is not a participant: it only forwards other clients' presence.
    awareness.setLocalState(null);
    awareness.on('update', this.onAwarenessUpdate);
    this.doc = doc;
    this.awareness = awareness;
    this.sizeEstimate = this.sizeMeasured = Y.encodeStateAsUpdate(doc).byteLength;
  }

  private readonly onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const awareness = this.awareness!;
    const sender = origin instanceof RelayConnection ? origin : null;
    if (sender !== null) {
      for (const id of changes.added) sender.awarenessIds.add(id);
      for (const id of changes.removed) sender.awarenessIds.delete(id);
    }
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
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
      updates.push(update);
      const message = encodeMessage((e) => {
        encoding.writeVarUint(e, MESSAGE_SYNC);
        syncProtocol.writeUpdate(e, update);
      });
      out.push({ except: origin instanceof RelayConnection ? origin : null, message });
    };
    doc.on('update', onUpdate);
    this.batchOut = out;
    try {
      for (const job of batch) this.handleJob(job, doc, out);
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

  private handleJob(job: Job, doc: Y.Doc, out: Outgoing[]): void {
    const { conn, data } = job;
    if (data === null) {
      this.greet(conn, doc, out);
      return;
    }
    conn.processed(data.byteLength);
    // Messages from a connection we closed are dropped; those from a peer that simply
    // disconnected are still applied (it may have sent updates just before leaving).
    if (conn.closing) return;
    try {
      this.handleMessage(conn, data, doc, out);
    } catch (error) {
      this.host.log.debug({ room: this.id, err: error }, 'malformed message');
      conn.reject('malformed', CloseCode.invalidPayload, 'malformed message');
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

  private handleMessage(conn: RelayConnection, data: Uint8Array, doc: Y.Doc, out: Outgoing[]): void {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC: {
        const syncType = decoding.readVarUint(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          const stateVector = decoding.readVarUint8Array(decoder);
          out.push({
            to: conn,
            message: encodeMessage((e) => {
              encoding.writeVarUint(e, MESSAGE_SYNC);
              syncProtocol.writeSyncStep2(e, doc, stateVector);
            }),
          });
        } else if (
          syncType === syncProtocol.messageYjsSyncStep2 ||
          syncType === syncProtocol.messageYjsUpdate
        ) {
          const update = decoding.readVarUint8Array(decoder);
          if (!this.admit(update.byteLength, doc)) {
            conn.reject('room_too_large', CloseCode.roomFull, 'room size limit reached');
            return;
          }
          Y.applyUpdate(doc, update, conn);
        } else {
          throw new MalformedMessage(`unknown sync message type ${syncType}`);
        }
        return;
      }
      case MESSAGE_AWARENESS:
        awarenessProtocol.applyAwarenessUpdate(this.awareness!, decoding.readVarUint8Array(decoder), conn);
        return;
      case MESSAGE_QUERY_AWARENESS:
        out.push({ to: conn, message: this.encodeAwareness([...this.awareness!.getStates().keys()]) });
        return;
      default:
        throw new MalformedMessage(`unknown message type ${type}`);
    }
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
        item.to.send(item.message);
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
