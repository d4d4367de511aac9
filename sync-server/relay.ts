import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import pino, { type Logger } from 'pino';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { HandOverOutcome } from '../shared/sync/relay-handover';
import { hashToken, parseUpgradeUrl } from './auth';
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
import { InflightGate } from './inflight-gate';
import { CreationLimits } from './creation-limits';
import { ManagedRoomStore } from './managed-store';
import { answerHttp } from './http-endpoints';
import { busyRefusal, RefuseCode, UpgradeRefusals } from './upgrade-refusals';
import { type RejectionReason, RelayCounters, type RelayMetrics } from './metrics';
import { PresenceGate } from './presence-gate';
import type { RelayBackend, RelayStore, RemotePresence, RemoteUpdates, SharedAccess } from './relay-backend';
import { TokenBucket } from './rate-limit';
import { Room, type RoomHost } from './room';
import { type CreationDenied, handOverRules, RoomAccess } from './room-access';
import {
  clientAddress,
  NO_TRUSTED_PROXIES,
  parseTrustedProxies,
  type TrustedProxies,
} from './client-address';
import { ROOM_NOT_SERVED, type RoomFilter, roomServed } from './room-filter';
import { LevelRoomStore, MemoryRoomStore, type RoomStore } from './room-store';
import { IntegrityLedger } from './store-integrity';
import { TcpGate } from './tcp-gate';
import { closeExpiredConnections } from './token-handover';
import { type HandOver, hashHex } from './token-set';

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
  /**
   * Serve only these rooms (a LAN relay serves only its host's groups, see room-filter.ts);
   * any other room, or a wrong token, is closed 4403. Default: every room.
   */
  allowRooms?: RoomFilter;
  /**
   * Redis URL (redis://host:port/db): run as one stateless node of a cluster sharing rooms,
   * tokens, limits and budgets through Redis (see docs/relay.md "Scaling"); `dataDir` is unused.
   */
  redisUrl?: string;
  /**
   * Load balancers (addresses or CIDR blocks, comma-separated) whose X-Forwarded-For names the
   * client that per-address limits are charged to (client-address.ts). Default: none.
   */
  trustedProxies?: string;
  /** Clock of relay-token expiry (ms since the epoch). Default Date.now; tests move it past a grace. */
  now?: () => number;
}

export interface RunningRelay {
  /** WebSocket base URL, e.g. ws://127.0.0.1:1234 (clients append /<groupId>?token=…). */
  readonly url: string;
  readonly port: number;
  /** Graceful stop: refuse new connections, persist what was received, close connections. */
  close(): Promise<void>;
  metrics(): RelayMetrics;
}

/** Past this much of one message, a connection reads only while no other of its address does (InflightGate). */
const INFLIGHT_SMALL_BYTES = 256 * 1024;
/** Interval of the WebSocket ping that detects dead peers. */
const PING_INTERVAL_MS = 30_000;
/** How long shutdown waits for clients to acknowledge the close before cutting them off. */
const SHUTDOWN_CLOSE_WAIT_MS = 2_000;

function makeLogger(option: RelayOptions['logger']): Logger {
  if (typeof option === 'object') return option;
  return pino({ name: 'relay', level: option ?? 'silent' });
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
  const trusted =
    options.trustedProxies === undefined ? NO_TRUSTED_PROXIES : parseTrustedProxies(options.trustedProxies);
  const now = options.now ?? Date.now;
  if (options.redisUrl !== undefined) {
    return startClusterNode(options.redisUrl, host, port, limits, log, trusted, now);
  }
  const inMemory = dataDir === null || dataDir === IN_MEMORY;
  const inner: RoomStore = inMemory ? new MemoryRoomStore() : await LevelRoomStore.open(dataDir);
  let store: ManagedRoomStore;
  try {
    const ledger = inMemory
      ? { ledger: IntegrityLedger.memory(), problem: null }
      : await IntegrityLedger.open(dataDir);
    store = await ManagedRoomStore.open(inner, ledger, {
      provisionalTtlMs: limits.provisionalRoomTtlSeconds * 1000,
      idleTtlMs: limits.idleRoomTtlSeconds * 1000,
      log,
    });
  } catch (error) {
    await inner.close();
    throw error;
  }
  try {
    return await new Relay(store, limits, log, {}, now)
      .serveOnly(options.allowRooms)
      .trustProxies(trusted)
      .listen(host, port);
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** A cluster node: loaded only when asked for, so the single-process relay never loads a Redis client. */
async function startClusterNode(
  redisUrl: string,
  host: string,
  port: number,
  limits: RelayLimits,
  log: Logger,
  trusted: TrustedProxies,
  now: () => number,
): Promise<RunningRelay> {
  const { openClusterBackend } = await import('./cluster-backend');
  const backend = await openClusterBackend({ redisUrl, limits, log, now });
  try {
    return await new Relay(backend.store, limits, log, backend, now).trustProxies(trusted).listen(host, port);
  } catch (error) {
    await backend.store.close();
    throw error;
  }
}

/** Close codes of refusals sent on an accepted upgrade (browsers cannot read HTTP statuses). */
/** Retry-after of refusals with no better estimate, in seconds. */
const RETRY_CONNECTIONS_S = 10;
const RETRY_SHUTDOWN_S = 5;
const RETRY_STORAGE_S = 30;
const RETRY_DAMAGED_S = 600;
const RETRY_ROOMS_MAX_S = 3600;
/** How often Node checks header/request timeouts (its default, 30 s, would let them overshoot). */
const TIMEOUT_CHECK_MS = 1000;

class Relay implements RoomHost {
  private readonly counters = new RelayCounters();
  readonly budgets: AddressBudgets;
  readonly presenceGate: PresenceGate;
  private readonly inflight: InflightGate;
  private readonly access: SharedAccess;
  readonly remote: RemoteUpdates | undefined;
  readonly presence: RemotePresence | undefined;
  private readonly active = new Map<string, Room>();
  /** Rooms being unloaded: a new instance of the room waits for the old one's writes. */
  private readonly unloading = new Map<string, Promise<void>>();
  /** Empty rooms kept loaded for a moment (roomLingerMs), with the timer that unloads them. */
  private readonly lingering = new Map<Room, NodeJS.Timeout>();
  private readonly conns = new Set<RelayConnection>();
  private readonly perIp = new Map<string, number>();
  private readonly startedAt = performance.now();
  private readonly wss: WebSocketServer;
  private readonly refusals: UpgradeRefusals;
  private readonly server;
  /** TCP connections per address, counted on accept, before any HTTP parsing. */
  private readonly creation: CreationLimits;
  /** Upgrades per room between arrival and joining: the sweeper leaves these rooms alone. */
  private readonly upgrading = new Map<string, number>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> = Promise.resolve();
  private pingTimer: NodeJS.Timeout | undefined;
  private closing: Promise<void> | null = null;
  private allowRooms: RoomFilter | undefined;
  private trustedProxies: TrustedProxies = NO_TRUSTED_PROXIES;

  constructor(
    readonly store: RelayStore,
    readonly limits: RelayLimits,
    readonly log: Logger,
    backend: Partial<RelayBackend> = {},
    private readonly now: () => number = Date.now,
  ) {
    // Short header/request timeouts so half-open (slowloris) sockets cannot pile up.
    const headersTimeout = limits.headersTimeoutSeconds * 1000;
    this.server = createServer(
      { headersTimeout, requestTimeout: 3 * headersTimeout, connectionsCheckingInterval: TIMEOUT_CHECK_MS },
      (req, res) => answerHttp(req, res, () => this.metrics()),
    );
    const tcp = new TcpGate(limits.maxTcpConnectionsPerIp, this.counters, log, () => this.trustedProxies);
    this.server.on('connection', (socket: Socket) => tcp.onConnection(socket));
    this.creation = new CreationLimits(limits);
    this.access =
      backend.access ?? this.localAccess(new RoomAccess(store, limits.maxRooms, handOverRules(limits), now));
    this.budgets = backend.budgets ?? new AddressBudgets(limits);
    this.remote = backend.remote;
    this.presence = backend.presence;
    this.presenceGate = new PresenceGate(limits);
    this.inflight = new InflightGate(INFLIGHT_SMALL_BYTES, limits.messageStallSeconds * 1000, (conn) =>
      conn.reject('stalled_message', CloseCode.policyViolation, 'message stalled'),
    );
    // No compression: it would let a small frame inflate past the size limits.
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: limits.maxMessageBytes,
      perMessageDeflate: false,
    });
    this.refusals = new UpgradeRefusals(this.counters, log, this.wss, SHUTDOWN_CLOSE_WAIT_MS);
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.onUpgrade(req, socket, head);
    });
  }

  /** Restricts the relay to the rooms `filter` lets in (undefined: every room). */
  serveOnly(filter: RoomFilter | undefined): this {
    this.allowRooms = filter;
    return this;
  }

  /** Charges connections from these proxies to the client their X-Forwarded-For names. */
  trustProxies(trusted: TrustedProxies): this {
    this.trustedProxies = trusted;
    return this;
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
    // The sweeper runs at start and then periodically; each run deletes a bounded number of rooms.
    this.sweep();
    this.sweepTimer = setInterval(() => this.sweep(), this.limits.roomSweepIntervalSeconds * 1000);
    this.sweepTimer.unref();
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
      roomsHealing: this.store.healingCount,
      storageDamage: this.store.damageCount,
      roomsExpired: this.store.expiredCount,
      admission: this.counters.admission.snapshot(),
      receivingBytes: this.inflight.bytesReceiving,
      handOvers: { ...this.counters.handOvers },
    };
  }

  get admissionCounters() {
    return this.counters.admission;
  }

  /** A LAN relay (allowRooms) serves only tokens its host knows: it takes no hand-overs. */
  get takesHandOvers(): boolean {
    return this.allowRooms === undefined;
  }

  handOverTokens(roomId: string, request: HandOver): Promise<HandOverOutcome> {
    return this.access.handOver(roomId, request);
  }

  countHandOver(outcome: HandOverOutcome): void {
    this.counters.handedOver(outcome);
  }

  roomFailed(room: Room): void {
    if (this.active.get(room.id) === room) this.unload(room);
  }

  /** One process: the token cache and creation limits live here. */
  private localAccess(access: RoomAccess): SharedAccess {
    return {
      authorize: (roomId, token, ip) => access.authorize(roomId, token, () => this.mayCreateRoom(ip)),
      forget: (roomId) => access.forget(roomId),
      tokenSet: (roomId) => access.tokenSet(roomId),
      handOver: (roomId, request) => access.handOver(roomId, request),
    };
  }

  /** Relay-wide room limits first (charging no one), then the creator's address and prefix. */
  private mayCreateRoom(ip: string): CreationDenied | null {
    const provisionalCap = Math.min(this.limits.maxProvisionalRooms, this.limits.maxRooms);
    if (this.store.lifecycle.provisionalCount >= provisionalCap) {
      return { reason: 'too_many_provisional_rooms', retryAfterSeconds: this.roomRetryAfter() };
    }
    return this.creation.tryCreate(ip);
  }

  /** When a room slot may free up: the next provisional expiry, at least one sweep away. */
  private roomRetryAfter(): number {
    const next = this.store.lifecycle.secondsUntilProvisionalExpiry() ?? RETRY_ROOMS_MAX_S;
    return Math.min(RETRY_ROOMS_MAX_S, Math.max(this.limits.roomSweepIntervalSeconds, next));
  }

  private async onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => {}); // a peer resetting mid-handshake is not our error
    const ip = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], this.trustedProxies);
    const target = parseUpgradeUrl(req.url);
    if (!target.ok && target.reason === 'bad_path') return this.refusals.http(socket, 400, 'bad_path', ip);
    if (this.closing !== null) {
      return this.refusals.ws(
        req,
        socket,
        head,
        busyRefusal(RefuseCode.busyRelay, 'shutting_down', RETRY_SHUTDOWN_S),
        ip,
      );
    }
    if ((this.perIp.get(ip) ?? 0) >= this.limits.maxConnectionsPerIp) {
      const refusal = busyRefusal(RefuseCode.busyHere, 'too_many_connections_per_ip', RETRY_CONNECTIONS_S);
      return this.refusals.ws(req, socket, head, refusal, ip);
    }
    // A missing or malformed token is a client bug (the app always derives a valid one): plain 401.
    if (!target.ok) return this.refusals.http(socket, 401, 'unauthorized', ip);
    const { roomId } = target;
    // Before anything is looked up or created: a stranger's room costs a LAN relay nothing.
    if (!roomServed(this.allowRooms, roomId, target.token)) {
      const refusal = { ...ROOM_NOT_SERVED, reason: 'room_not_served' as const };
      return this.refusals.ws(req, socket, head, refusal, ip);
    }
    // The slot is held while the token is checked, so a burst of upgrades cannot pass the limit.
    this.perIp.set(ip, (this.perIp.get(ip) ?? 0) + 1);
    this.upgrading.set(roomId, (this.upgrading.get(roomId) ?? 0) + 1);
    let accepted = false;
    try {
      await this.store.settled(roomId); // a room being swept is gone before we look it up
      const verdict = await this.access.authorize(roomId, target.token, ip);
      if (this.closing !== null) {
        const refusal = busyRefusal(RefuseCode.busyRelay, 'shutting_down', RETRY_SHUTDOWN_S);
        return this.refusals.ws(req, socket, head, refusal, ip);
      }
      if (verdict === 'unauthorized') {
        const refusal = {
          code: RefuseCode.keyMismatch,
          text: 'invite key does not match this group',
          reason: 'unauthorized' as const,
        };
        return this.refusals.ws(req, socket, head, refusal, ip);
      }
      if (verdict === 'too_many_rooms') {
        const refusal = busyRefusal(RefuseCode.busyRelay, 'too_many_rooms', this.roomRetryAfter());
        return this.refusals.ws(req, socket, head, refusal, ip);
      }
      if (verdict !== 'ok') {
        const reason = verdict.reason as RejectionReason;
        const code = reason === 'too_many_provisional_rooms' ? RefuseCode.busyRelay : RefuseCode.busyHere;
        return this.refusals.ws(req, socket, head, busyRefusal(code, reason, verdict.retryAfterSeconds), ip);
      }
      if (socket.destroyed) return;
      accepted = true;
      // From here the slot is freed when the socket goes, whether or not ws completes the handshake.
      socket.once('close', () => this.releaseIp(ip));
      const tokenHash = hashHex(hashToken(target.token));
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, roomId, tokenHash, ip, socket));
    } catch (error) {
      if (this.store.isTokenDamaged(roomId)) {
        // Logged with the operator's instructions when the damage was found.
        const refusal = busyRefusal(
          RefuseCode.busyRelay,
          'storage_corrupt',
          RETRY_DAMAGED_S,
          '; room data damaged',
        );
        return this.refusals.ws(req, socket, head, refusal, ip);
      }
      this.log.error({ err: error, ip }, 'upgrade failed');
      this.refusals.ws(
        req,
        socket,
        head,
        busyRefusal(RefuseCode.busyRelay, 'storage_error', RETRY_STORAGE_S),
        ip,
      );
    } finally {
      if (!accepted) this.releaseIp(ip);
      const left = (this.upgrading.get(roomId) ?? 1) - 1;
      if (left <= 0) this.upgrading.delete(roomId);
      else this.upgrading.set(roomId, left);
    }
  }

  /**
   * Runs one sweep unless one is running (a slow disk must not stack them up): expired rooms go,
   * then connections whose relay token expired are closed 4401.
   */
  private sweep(): void {
    if (this.closing !== null) return;
    const inUse = (roomId: string): boolean =>
      this.active.has(roomId) || this.unloading.has(roomId) || this.upgrading.has(roomId);
    this.sweeping = this.sweeping
      .then(() =>
        this.closing !== null ? 0 : this.store.sweep(inUse, (roomId) => this.access.forget(roomId)),
      )
      .catch((error: unknown) => this.log.error({ err: error }, 'room sweep failed'))
      .then(() =>
        this.closing !== null
          ? 0
          : closeExpiredConnections(
              this.active.values(),
              (id) => this.access.tokenSet(id),
              this.now,
              this.log,
            ),
      )
      .catch((error: unknown) => this.log.error({ err: error }, 'token expiry sweep failed'));
  }

  private releaseIp(ip: string): void {
    const count = (this.perIp.get(ip) ?? 1) - 1;
    if (count <= 0) this.perIp.delete(ip);
    else this.perIp.set(ip, count);
  }

  private onConnection(ws: WebSocket, roomId: string, tokenHash: string, ip: string, socket: Duplex): void {
    const conn = new RelayConnection(
      ws,
      ip,
      roomId,
      tokenHash,
      new TokenBucket(this.limits.messagesPerSecond, this.limits.messageBurst),
      this.counters,
      this.log,
      // Live traffic a slow reader may fall behind by (on top of its latest sync reply, see send()).
      4 * this.limits.maxMessageBytes + 8 * 1024 * 1024,
      // Input waiting for the room: one largest message plus slack, then reading stops.
      this.limits.maxMessageBytes + 1024 * 1024,
    );
    this.conns.add(conn);
    this.inflight.track(conn, socket);
    let room = this.active.get(roomId);
    if (room === undefined) {
      room = new Room(roomId, this, this.unloading.get(roomId) ?? Promise.resolve());
      this.active.set(roomId, room);
    }
    const joined = room;
    clearTimeout(this.lingering.get(joined));
    this.lingering.delete(joined);
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
      if (joined.isEmpty && this.active.get(roomId) === joined) this.linger(joined);
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

  private linger(room: Room): void {
    if (this.lingering.has(room)) return;
    const timer = setTimeout(() => {
      this.lingering.delete(room);
      if (room.isEmpty && this.active.get(room.id) === room) this.unload(room);
    }, this.limits.roomLingerMs);
    timer.unref();
    this.lingering.set(room, timer);
  }

  private unload(room: Room): void {
    clearTimeout(this.lingering.get(room));
    this.lingering.delete(room);
    this.active.delete(room.id);
    const previous = this.unloading.get(room.id) ?? Promise.resolve();
    // Once its writes are done, the room's idle (or provisional) clock starts from now.
    const done = previous.then(() => room.unload()).then(() => this.store.roomTouched(room.id, true));
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
    clearInterval(this.sweepTimer);
    await this.sweeping;
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
