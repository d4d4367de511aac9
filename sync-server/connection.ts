import type { Logger } from 'pino';
import { WebSocket } from 'ws';
import type { RejectionReason, RelayCounters } from './metrics';
import type { TokenBucket } from './rate-limit';

/** WebSocket close codes the relay uses. 44xx codes tell y-websocket clients not to reconnect. */
export const CloseCode = {
  goingAway: 1001,
  unsupportedData: 1003,
  invalidPayload: 1007,
  policyViolation: 1008,
  internalError: 1011,
  tryAgainLater: 1013,
  /** The room does not (or no longer) accept the connection's relay token. */
  tokenRefused: 4401,
  roomFull: 4413,
} as const;

/** Why the relay stopped reading a socket: its room queue is full, or its address has a large message in flight. */
export type PauseReason = 'queue' | 'inflight';

/** How long a closing connection may take to finish the close handshake. */
const CLOSE_GRACE_MS = 2000;

/** One client's WebSocket, with the per-connection state the limits need. */
export class RelayConnection {
  /** Awareness client ids this connection announced; removed from presence when it leaves. */
  readonly awarenessIds = new Set<number>();
  /** Bytes received but not yet processed by the room (backpressure). */
  queuedBytes = 0;
  private readonly pauses = new Set<PauseReason>();
  /** Set once the relay decided to close it: further input is ignored. */
  closing = false;
  /** Cleared before each ping, set by the pong (dead peer detection). */
  alive = true;
  /** Bytes of replies built for it and not yet handed to the socket. */
  private reservedBytes = 0;
  /** Size of the largest reply handed to the socket lately: a reader may hold that much unsent. */
  private bulkBytes = 0;
  /** The latest sync request not answered yet (the connection was not reading, or over budget). */
  owedStateVector: Uint8Array | null = null;
  /** Timer that serves the owed request. */
  owedTimer: NodeJS.Timeout | undefined;
  /** A token hand-over of this connection is being decided (one at a time; more are answered busy). */
  handOverPending = false;

  constructor(
    readonly ws: WebSocket,
    readonly ip: string,
    readonly roomId: string,
    /** Hex SHA-256 of the token it was admitted with: hand-overs are bound to it, and it may expire. */
    readonly tokenHash: string,
    private readonly bucket: TokenBucket,
    private readonly counters: RelayCounters,
    private readonly log: Logger,
    private readonly maxBufferedBytes: number,
    private readonly maxQueuedBytes: number,
  ) {}

  /** Rate check for one incoming message. */
  allowMessage(): boolean {
    return this.bucket.take();
  }

  /** What the relay has built for this peer that it has not taken yet. */
  get unsentBytes(): number {
    return this.ws.bufferedAmount + this.reservedBytes;
  }

  /** A reply of `bytes` was built for it and waits for its batch to be written. */
  reserve(bytes: number): void {
    this.reservedBytes += bytes;
  }

  /**
   * `reserved`: the bytes of a reply counted by `reserve`, now handed over. A reply may be as
   * large as the room, so the not-reading check allows the latest one on top of the usual slack.
   */
  send(message: Uint8Array, reserved = 0): void {
    this.reservedBytes -= reserved;
    if (this.ws.bufferedAmount === 0) this.bulkBytes = 0;
    if (reserved > 0) this.bulkBytes = Math.max(this.bulkBytes, reserved);
    if (this.closing || this.ws.readyState !== WebSocket.OPEN) return;
    // A peer that stops reading would make us buffer without bound; drop it instead.
    if (this.ws.bufferedAmount > this.maxBufferedBytes + this.bulkBytes) {
      this.reject('slow_consumer', CloseCode.tryAgainLater, 'client is not reading fast enough');
      return;
    }
    this.counters.bytesOut += message.byteLength;
    this.ws.send(message);
  }

  /** Timers it owns; called when it closes. */
  dispose(): void {
    clearTimeout(this.owedTimer);
    this.owedStateVector = null;
  }

  /** Counts the reason, closes with a code and a reason text, and ignores anything after. */
  reject(reason: RejectionReason, code: number, text: string): void {
    if (this.closing) return;
    this.closing = true;
    this.counters.reject(reason);
    this.log.info({ room: this.roomId, ip: this.ip, reason, code }, 'closing connection');
    this.ws.close(code, text);
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
  }

  /** Received bytes now waiting in the room's queue; stop reading the socket while too many wait. */
  queued(bytes: number): void {
    this.queuedBytes += bytes;
    if (this.queuedBytes > this.maxQueuedBytes) this.hold('queue');
  }

  processed(bytes: number): void {
    this.queuedBytes -= bytes;
    if (this.queuedBytes <= this.maxQueuedBytes) this.release('queue');
  }

  /** Stops reading the socket for `reason`; it reads again once no reason holds it. */
  hold(reason: PauseReason): void {
    if (this.pauses.size === 0) this.ws.pause();
    this.pauses.add(reason);
  }

  release(reason: PauseReason): void {
    if (!this.pauses.delete(reason) || this.pauses.size > 0) return;
    this.ws.resume();
  }
}
