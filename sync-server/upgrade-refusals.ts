/**
 * How the relay turns an upgrade away (docs/relay.md, "Close codes"): a plain HTTP error for what
 * no real app sends, otherwise an accepted WebSocket closed at once with a code and reason text
 * (a browser sees only that, never an HTTP status). Every refusal is counted and logged, never
 * with the URL, which carries the token.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { WebSocketServer } from 'ws';
import { refuseUpgrade } from './http-endpoints';
import type { RejectionReason, RelayCounters } from './metrics';

/** Close codes of refused upgrades: wrong key, over this address's budget, over the relay's. */
export const RefuseCode = { keyMismatch: 4401, busyHere: 4429, busyRelay: 4503 } as const;

export interface Refusal {
  readonly code: number;
  readonly text: string;
  readonly reason: RejectionReason;
}

/** A "busy" refusal naming when to come back (whole seconds, at least one). */
export function busyRefusal(
  code: number,
  reason: RejectionReason,
  retryAfterSeconds: number,
  note = '',
): Refusal {
  return {
    code,
    reason,
    text: `relay busy; retry-after=${Math.max(1, Math.ceil(retryAfterSeconds))}${note}`,
  };
}

export class UpgradeRefusals {
  constructor(
    private readonly counters: RelayCounters,
    private readonly log: Logger,
    private readonly wss: WebSocketServer,
    /** How long a refused socket may take to finish its close handshake. */
    private readonly closeWaitMs: number,
  ) {}

  /** A plain HTTP refusal: only for requests no real app sends (malformed path or token). */
  http(socket: Duplex, status: number, reason: RejectionReason, ip: string): void {
    this.counters.reject(reason);
    this.log.info({ ip, status, reason }, 'upgrade refused');
    refuseUpgrade(socket, status, reason);
  }

  /** Accepts the upgrade and closes the WebSocket at once with the refusal's code and text. */
  ws(req: IncomingMessage, socket: Duplex, head: Buffer, refusal: Refusal, ip: string): void {
    this.counters.reject(refusal.reason);
    this.log.info({ ip, code: refusal.code, reason: refusal.reason }, 'upgrade refused');
    if (socket.destroyed) return;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => {});
      ws.close(refusal.code, refusal.text);
      setTimeout(() => ws.terminate(), this.closeWaitMs).unref();
    });
  }
}
