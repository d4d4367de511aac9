import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

/** y-websocket's message type for sync messages (first varuint of every message). */
export const MESSAGE_SYNC = 0;

/**
 * The answer to "send me everything" (a SyncStep1 whose state vector knows none of the room's
 * writers), encoded once per version of the room and shared by every connection that asks:
 * N requests cost one encoding and one buffer, not N.
 */
export class FullStateReply {
  private cached: Uint8Array | null = null;

  constructor(private readonly doc: Y.Doc) {
    doc.on('update', this.invalidate);
  }

  /** The sync-step-2 message holding the whole room. */
  get message(): Uint8Array {
    this.cached ??= syncStep2Message(Y.encodeStateAsUpdate(this.doc));
    return this.cached;
  }

  /** Size of the last full reply built (0 before the first): a bound for what a reader may hold. */
  get lastSize(): number {
    return this.cached?.byteLength ?? 0;
  }

  destroy(): void {
    this.doc.off('update', this.invalidate);
    this.cached = null;
  }

  private readonly invalidate = (): void => {
    this.cached = null;
  };
}

/** The sync-step-2 reply to a peer whose state vector is `stateVector`. Throws on a malformed vector. */
export function syncReply(doc: Y.Doc, stateVector: Uint8Array, full: FullStateReply): Uint8Array {
  // An empty vector (0 bytes) is how a minimal client says "nothing": y-protocols reads it so.
  if (stateVector.byteLength === 0) return full.message;
  const known = Y.decodeStateVector(stateVector);
  // A vector that knows none of our writers asks for everything: serve the shared copy.
  let overlaps = false;
  for (const [client, clock] of known) {
    if (clock > 0 && doc.store.clients.has(client)) {
      overlaps = true;
      break;
    }
  }
  if (!overlaps) return full.message;
  return syncStep2Message(Y.encodeStateAsUpdate(doc, stateVector));
}

function syncStep2Message(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
