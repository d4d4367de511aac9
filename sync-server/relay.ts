import { createServer, type IncomingMessage, STATUS_CODES, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import pino, { type Logger } from 'pino';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { parseUpgradeUrl } from './auth';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_HOST,
  DEFAULT_PORT,
  IN_MEMORY,
  type RelayLimits,
  resolveLimits,
  validatePort,
} from './config';
import { AddressBudgets } from './address-budgets';
import { CloseCode, RelayConnection } from './connection';
import { type RejectionReason, RelayCounters, type RelayMetrics, renderPrometheus } from './metrics';
import { PresenceGate } from './presence-gate';
import { TokenBucket } from './rate-limit';
import { Room, type RoomHost } from './room';
import { RoomAccess } from './room-access';
import { LevelRoomStore, MemoryRoomStore, type RoomStore } from './room-store';

export type { RelayLimits } from './config';
export type { RelayMetrics } from './metrics';

export interface RelayOptions {
  /** Interface to listen on. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** TCP port; 0 picks a free one. Default 1234. */
  port?: number;
  /** LevelDB folder. Default './relay-data'. `null` or ':memory:' keeps rooms in memory only. */
  dataDir?: string | null;
  limits?: Partial<RelayLimits>;
  /** A pino logger, or a level for a new one. Default 'silent'. */
  logger?: Logger | pino.LevelWithSilent;
}

export interface RunningRelay {
  /** WebSocket base URL, e.g. ws://127.0.0.1:1234 (clients append /<groupId>?token=…). */
  readonly url: string;
  readonly port: number;
  /** Graceful stop: refuse new connections, persist what was received, close connections. */
  close(): Promise<void>;
  metrics(): RelayMetrics;
}

/** Interval of the WebSocket ping that detects dead peers. */
const PING_INTERVAL_MS = 30_000;
/** How long shutdown waits for clients to acknowledge the close before cutting them off. */
const SHUTDOWN_CLOSE_WAIT_MS = 2_000;

function makeLogger(option: RelayOptions['logger']): Logger {
  if (typeof option === 'object') return option;
  return pino({ name: 'relay', level: option ?? 'silent' });
}

/** Answers an upgrade request with a plain HTTP error and drops the socket (no WebSocket). */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  setTimeout(() => socket.destroy(), 1000).unref();
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\nContent-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Starts a relay: the y-websocket protocol with per-room token auth, limits, persistence,
 * /healthz and /metrics. Runs in-process (the desktop app, tests) or from cli.ts.
 */
export async function startRelay(options: RelayOptions = {}): Promise<RunningRelay> {
  const limits = resolveLimits(options.limits);
  const port = validatePort(options.port ?? DEFAULT_PORT);
  const host = options.host ?? DEFAULT_HOST;
  const dataDir = options.dataDir === undefined ? DEFAULT_DATA_DIR : options.dataDir;
  const log = makeLogger(options.logger);
  const store: RoomStore =
    dataDir === null || dataDir === IN_MEMORY ? new MemoryRoomStore() : await LevelRoomStore.open(dataDir);
  try {
    return await new Relay(store, limits, log).listen(host, port);
  } catch (error) {
    await store.close();
    throw error;
  }
}

class Relay implements RoomHost {
  private readonly counters = new RelayCounters();
  readonly budgets: AddressBudgets;
  readonly presenceGate: PresenceGate;
  private readonly access: RoomAccess;
  private readonly active = new Map<string, Room>();
  /** Rooms being unloaded: a new instance of the room waits for the old one's writes. */
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly conns = new Set<RelayConnection>();
  private readonly perIp = new Map<string, number>();
  private readonly startedAt = performance.now();
  private readonly wss: WebSocketServer;
  private readonly server = createServer((req, res) => this.onHttpRequest(req, res));
  private pingTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | null = null;

  constructor(
    readonly store: RoomStore,
    readonly limits: RelayLimits,
    readonly log: Logger,
  ) {
    this.access = new RoomAccess(store, limits.maxRooms);
    this.budgets = new AddressBudgets(limits);
    this.presenceGate = new PresenceGate(limits);
    // No compression: it would let a small frame inflate past the size limits.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxMessageBytes,
      perMessageDeflate: false,
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.onUpgrade(req, socket, head);
    });
  }

  async listen(host: string, port: number): Promise<RunningRelay> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.server.on('error', (error) => this.log.error({ err: error }, 'http server error'));
    this.pingTimer = setInterval(() => this.pingAll(), PING_INTERVAL_MS);
    this.pingTimer.unref();
    const address = this.server.address() as AddressInfo;
    const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `ws://${urlHost}:${address.port}`;
    this.log.info({ url, limits: this.limits }, 'relay listening');
    return { url, port: address.port, close: () => this.close(), metrics: () => this.metrics() };
  }

  metrics(): RelayMetrics {
    return {
      connections: this.conns.size,
      rooms: this.active.size,
      storedRooms: this.store.roomCount,
      bytesIn: this.counters.bytesIn,
      bytesOut: this.counters.bytesOut,
      messages: this.counters.messages,
      rejections: { ...this.counters.rejections },
      uptimeSeconds: Math.floor((performance.now() - this.startedAt) / 1000),
    };
  }

  roomFailed(room: Room): void {
    if (this.active.get(room.id) === room) this.unload(room);
  }

  private onHttpRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    const send = (status: number, type: string, body: string): void => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(405, 'application/json', JSON.stringify({ error: 'method_not_allowed' }));
    } else if (path === '/healthz') {
      const m = this.metrics();
      const body = {
        status: 'ok',
        rooms: m.rooms,
        connections: m.connections,
        uptimeSeconds: m.uptimeSeconds,
      };
      send(200, 'application/json', JSON.stringify(body));
    } else if (path === '/metrics') {
      send(200, 'text/plain; version=0.0.4; charset=utf-8', renderPrometheus(this.metrics()));
    } else {
      send(404, 'application/json', JSON.stringify({ error: 'not_found' }));
    }
  }

  private refuse(socket: Duplex, status: number, reason: RejectionReason, ip: string): void {
    this.counters.reject(reason);
    // Never log the URL: it carries the token.
    this.log.info({ ip, status, reason }, 'upgrade refused');
    refuseUpgrade(socket, status, reason);
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => {}); // a peer resetting mid-handshake is not our error
    const ip = req.socket.remoteAddress ?? 'unknown';
    if (this.closing !== null) return this.refuse(socket, 503, 'shutting_down', ip);
    const target = parseUpgradeUrl(req.url);
    if (!target.ok && target.reason === 'bad_path') return this.refuse(socket, 400, 'bad_path', ip);
    if ((this.perIp.get(ip) ?? 0) >= this.limits.maxConnectionsPerIp) {
      return this.refuse(socket, 429, 'too_many_connections_per_ip', ip);
    }
    if (!target.ok) return this.refuse(socket, 401, 'unauthorized', ip);
    // The slot is held while the token is checked, so a burst of upgrades cannot pass the limit.
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
    let accepted = false;
    try {
      const verdict = await this.access.authorize(target.roomId, target.token);
      if (verdict === 'unauthorized') return this.refuse(socket, 401, 'unauthorized', ip);
      if (verdict === 'too_many_rooms') return this.refuse(socket, 503, 'too_many_rooms', ip);
      if (this.closing !== null) return this.refuse(socket, 503, 'shutting_down', ip);
      if (socket.destroyed) return;
      accepted = true;
      // From here the slot is freed when the socket goes, whether or not ws completes the handshake.
      socket.once('close', () => this.releaseIp(ip));
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, target.roomId, ip));
    } catch (error) {
      this.log.error({ err: error, ip }, 'upgrade failed');
      this.refuse(socket, 503, 'storage_error', ip);
    } finally {
      if (!accepted) this.releaseIp(ip);
    }
  }

  private releaseIp(ip: string): void {
    const count = (this.perIp.get(ip) ?? 1) - 1;
    if (count <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, count);
  }

  private onConnection(ws: WebSocket, roomId: string, ip: string): void {
    const conn = new RelayConnection(
      ws,
      ip,
      roomId,
      new TokenBucket(this.limits.messagesPerSecond, this.limits.messageBurst),
      this.counters,
      this.log,
      // Live traffic a slow reader may fall behind by (on top of its latest sync reply, see send()).
      4 * this.limits.maxMessageBytes + 8 * 1024 * 1024,
      Math.max(4 * this.limits.maxMessageBytes, 1024 * 1024),
    );
    this.conns.add(conn);
    let room = this.active.get(roomId);
    if (room === undefined) {
      room = new Room(roomId, this, this.unloading.get(roomId) ?? Promise.resolve());
      this.active.set(roomId, room);
    }
    const joined = room;
    joined.join(conn);
    this.log.debug({ room: roomId, ip }, 'connection opened');
    ws.on('message', (data: RawData, isBinary: boolean) => this.onMessage(conn, joined, data, isBinary));
    ws.on('pong', () => {
      conn.alive = true;
    });
    ws.on('error', (error: Error & { code?: string }) => {
      // ws has already closed the socket (1009 for an oversize frame, 1002/1007 for bad frames).
      const reason = error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'message_too_large' : 'malformed';
      if (!conn.closing) {
        conn.closing = true;
        this.counters.reject(reason);
      }
      this.log.info({ room: roomId, ip, reason, code: error.code }, 'connection error');
    });
    ws.on('close', () => {
      this.conns.delete(conn);
      joined.leave(conn);
      if (joined.isEmpty && this.active.get(roomId) === joined) this.unload(joined);
      this.log.debug({ room: roomId, ip }, 'connection closed');
    });
  }

  private onMessage(conn: RelayConnection, room: Room, data: RawData, isBinary: boolean): void {
    const bytes = toBytes(data);
    this.counters.messages += 1;
    this.counters.bytesIn += bytes.byteLength;
    // During shutdown input is dropped; clients resend it when they reconnect.
    if (conn.closing || this.closing !== null) return;
    // Per connection, and per address across all its connections (many slow connections from
    // one address must not add up to a flood that starves other rooms).
    if (!conn.allowMessage() || !this.budgets.allowMessage(conn.ip)) {
      conn.reject('rate_limited', CloseCode.policyViolation, 'rate limit exceeded');
      return;
    }
    if (!isBinary) {
      conn.reject('malformed', CloseCode.unsupportedData, 'binary messages only');
      return;
    }
    room.receive(conn, bytes);
  }

  private unload(room: Room): void {
    this.active.delete(room.id);
    const previous = this.unloading.get(room.id) ?? Promise.resolve();
    const done = previous.then(() => room.unload());
    this.unloading.set(room.id, done);
    void done.finally(() => {
      if (this.unloading.get(room.id) === done) this.unloading.delete(room.id);
    });
  }

  private pingAll(): void {
    for (const conn of this.conns) {
      if (!conn.alive) {
        conn.ws.terminate();
        continue;
      }
      conn.alive = false;
      conn.ws.ping();
    }
  }

  private close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.log.info('relay shutting down');
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    clearInterval(this.pingTimer);
    // Everything already received gets handled and written before connections go.
    await Promise.all([...this.active.values()].map((room) => room.idle()));
    const closed = [...this.conns].map(
      (conn) =>
        new Promise<void>((resolve) => {
          if (conn.ws.readyState === conn.ws.CLOSED) return resolve();
          conn.ws.once('close', () => resolve());
          conn.closing = true;
          conn.ws.close(CloseCode.goingAway, 'relay shutting down');
        }),
    );
    const cutOff = setTimeout(() => {
      for (const conn of this.conns) conn.ws.terminate();
    }, SHUTDOWN_CLOSE_WAIT_MS);
    await Promise.all(closed);
    clearTimeout(cutOff);
    for (const room of [...this.active.values()]) this.unload(room);
    await Promise.all([...this.unloading.values()]);
    this.server.closeAllConnections();
    await serverClosed;
    await this.store.close();
    this.log.info('relay stopped');
  }
}
