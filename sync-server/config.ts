import { parseTrustedProxies } from './client-address';
import { WalletError } from '../shared/errors';

/** Resource limits; exceeding one closes (or refuses) only the offending connection. */
export interface RelayLimits {
  /** Largest single WebSocket message accepted, in bytes. */
  maxMessageBytes: number;
  /** Largest encoded Yjs document a room may grow to, in bytes. */
  maxDocBytes: number;
  /** Most rooms the relay will ever hold (stored rooms, not just loaded ones). */
  maxRooms: number;
  /** Most simultaneous WebSocket connections from one remote address. */
  maxConnectionsPerIp: number;
  /** Sustained messages per second per connection (token bucket refill rate). */
  messagesPerSecond: number;
  /** Messages a connection may send in a burst before the rate applies (bucket size). */
  messageBurst: number;
  /** Messages per second from one address, all its connections together (burst: twice this). */
  messagesPerSecondPerIp: number;
  /** Sync-reply bytes per second one address may make the relay send; past it replies wait. */
  sendBytesPerSecondPerIp: number;
  /** Bucket size of the per-address send budget. */
  sendBurstBytesPerIp: number;
  /** Sync-reply bytes per second for one network prefix (/24, /48); burst 16× this. */
  sendBytesPerSecondPerPrefix: number;
  /** Largest presence (awareness) state, in JSON bytes; larger ones are dropped. */
  awarenessStateBytes: number;
  /** Presence client ids one connection may announce. */
  awarenessStatesPerConnection: number;
  /** Presence states one room holds. */
  awarenessStatesPerRoom: number;
  /** Presence messages per connection per second (burst: twice this); more are dropped. */
  awarenessUpdatesPerSecond: number;
  /** Most simultaneous TCP connections from one address, counted before any HTTP parsing. */
  maxTcpConnectionsPerIp: number;
  /** Seconds a client has to send a complete HTTP request head (slowloris bound). */
  headersTimeoutSeconds: number;
  /** Rooms one address may create per hour (token bucket refill). */
  roomsPerHourPerIp: number;
  /** Rooms one address may create at once (bucket size). */
  roomBurstPerIp: number;
  /** Rooms one network prefix (/24 IPv4, /48 IPv6) may create per hour. */
  roomsPerHourPerPrefix: number;
  /** Rooms one network prefix may create at once. */
  roomBurstPerPrefix: number;
  /** Most provisional rooms (never received a valid entry); kept below maxRooms. */
  maxProvisionalRooms: number;
  /** A provisional room is deleted this long after its last connection closed. */
  provisionalRoomTtlSeconds: number;
  /** Any room is deleted after this long without a connection. */
  idleRoomTtlSeconds: number;
  /** How often the room sweeper runs (it also runs at start). */
  roomSweepIntervalSeconds: number;
  /**
   * How long a room stays loaded after its last connection left: reconnecting (or an attacker
   * cycling connections) must not make the relay read and check the whole room again each time.
   */
  roomLingerMs: number;
  /** A connection mid-way through a large message that sends nothing for this long is closed. */
  messageStallSeconds: number;
  /** Entries one author key may have in one room; past it the writer is closed (4413). */
  maxEntriesPerAuthor: number;
  /** Envelope bytes one author key may have in one room. */
  maxBytesPerAuthor: number;
  /** Bytes of updates a room holds back waiting for missing history; past it the update is refused (4400). */
  maxPendingBytes: number;
  /** Live relay tokens one room accepts at most (its claim plus hand-overs); past it a hand-over is refused. */
  maxTokensPerRoom: number;
  /** Days a token stays accepted after a signed hand-over moved the room on from it. */
  tokenGraceDays: number;
}

export const DEFAULT_LIMITS: Readonly<RelayLimits> = Object.freeze({
  // y-websocket sends a device's whole offline backlog as one message on reconnect (≈400 B per entry):
  // 16 MiB lets ~40k entries written offline reach the relay in one go.
  maxMessageBytes: 16 * 1024 * 1024,
  maxDocBytes: 256 * 1024 * 1024,
  maxRooms: 10_000,
  maxConnectionsPerIp: 50,
  messagesPerSecond: 200,
  messageBurst: 400,
  messagesPerSecondPerIp: 1000,
  sendBytesPerSecondPerIp: 4 * 1024 * 1024,
  // A fresh device of a large group (10k entries ≈ 4 MB) syncs at once; an address asking for
  // a 15 MB room over and over gets ~4 MiB/s after the first few copies.
  sendBurstBytesPerIp: 64 * 1024 * 1024,
  sendBytesPerSecondPerPrefix: 16 * 1024 * 1024,
  // The app's presence is {member, name, typing, online}: well under 1 KiB.
  awarenessStateBytes: 4096,
  awarenessStatesPerConnection: 4,
  awarenessStatesPerRoom: 256,
  awarenessUpdatesPerSecond: 10,
  // Above maxConnectionsPerIp: each WebSocket is a TCP connection, plus health checks and handshakes.
  maxTcpConnectionsPerIp: 64,
  headersTimeoutSeconds: 10,
  // A person creates a few groups a day; a shared office or campus network a few more.
  roomsPerHourPerIp: 30,
  roomBurstPerIp: 30,
  roomsPerHourPerPrefix: 120,
  roomBurstPerPrefix: 120,
  // A fifth of maxRooms: throwaway rooms can never crowd out real groups.
  maxProvisionalRooms: 2_000,
  provisionalRoomTtlSeconds: 3_600,
  idleRoomTtlSeconds: 180 * 24 * 3_600,
  roomSweepIntervalSeconds: 60,
  roomLingerMs: 5_000,
  messageStallSeconds: 30,
  // An honest author writes a few thousand entries a year: 50,000 is decades of use. At ~480 B
  // an entry that is 24 MiB, a tenth of maxDocBytes, so one member cannot fill a room alone.
  maxEntriesPerAuthor: 50_000,
  maxBytesPerAuthor: 24 * 1024 * 1024,
  // Honest clients send complete diffs, so little waits; a full sync resends whatever was dropped.
  maxPendingBytes: 4 * 1024 * 1024,
  // A group rotates its key a few times a year; each hand-over adds one token and the one it
  // came from expires after the grace, so a handful are live at once.
  maxTokensPerRoom: 16,
  // A device offline for a month still gets in with the old token and hands it over itself.
  tokenGraceDays: 30,
});

/** Stored token sets above this many records read as damage (token-set.ts). */
const MAX_TOKENS_PER_ROOM = 1024;
/** Longer than any sensible grace; keeps the expiry time a safe integer. */
const MAX_TOKEN_GRACE_DAYS = 3650;

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 1234;
export const DEFAULT_DATA_DIR = './relay-data';
/** `dataDir` value (or DATA_DIR env value) that keeps everything in memory. */
export const IN_MEMORY = ':memory:';

export type RelayConfigErrorCode = 'relay_config_invalid';

/** Environment variable → limit it sets. Documented in docs/relay.md. */
export const LIMIT_ENV_VARS: Readonly<Record<string, keyof RelayLimits>> = Object.freeze({
  LIMIT_MAX_MESSAGE_BYTES: 'maxMessageBytes',
  LIMIT_MAX_DOC_BYTES: 'maxDocBytes',
  LIMIT_MAX_ROOMS: 'maxRooms',
  LIMIT_MAX_CONNECTIONS_PER_IP: 'maxConnectionsPerIp',
  LIMIT_MESSAGES_PER_SECOND: 'messagesPerSecond',
  LIMIT_MESSAGE_BURST: 'messageBurst',
  LIMIT_MESSAGES_PER_SECOND_PER_IP: 'messagesPerSecondPerIp',
  LIMIT_SEND_BYTES_PER_SECOND_PER_IP: 'sendBytesPerSecondPerIp',
  LIMIT_SEND_BURST_BYTES_PER_IP: 'sendBurstBytesPerIp',
  LIMIT_SEND_BYTES_PER_SECOND_PER_PREFIX: 'sendBytesPerSecondPerPrefix',
  LIMIT_AWARENESS_STATE_BYTES: 'awarenessStateBytes',
  LIMIT_AWARENESS_STATES_PER_CONNECTION: 'awarenessStatesPerConnection',
  LIMIT_AWARENESS_STATES_PER_ROOM: 'awarenessStatesPerRoom',
  LIMIT_AWARENESS_UPDATES_PER_SECOND: 'awarenessUpdatesPerSecond',
  LIMIT_MAX_TCP_CONNECTIONS_PER_IP: 'maxTcpConnectionsPerIp',
  LIMIT_HEADERS_TIMEOUT_SECONDS: 'headersTimeoutSeconds',
  LIMIT_ROOMS_PER_HOUR_PER_IP: 'roomsPerHourPerIp',
  LIMIT_ROOM_BURST_PER_IP: 'roomBurstPerIp',
  LIMIT_ROOMS_PER_HOUR_PER_PREFIX: 'roomsPerHourPerPrefix',
  LIMIT_ROOM_BURST_PER_PREFIX: 'roomBurstPerPrefix',
  LIMIT_MAX_PROVISIONAL_ROOMS: 'maxProvisionalRooms',
  LIMIT_PROVISIONAL_ROOM_TTL_SECONDS: 'provisionalRoomTtlSeconds',
  LIMIT_IDLE_ROOM_TTL_SECONDS: 'idleRoomTtlSeconds',
  LIMIT_ROOM_SWEEP_INTERVAL_SECONDS: 'roomSweepIntervalSeconds',
  LIMIT_ROOM_LINGER_MS: 'roomLingerMs',
  LIMIT_MESSAGE_STALL_SECONDS: 'messageStallSeconds',
  LIMIT_AUTHOR_ENTRIES: 'maxEntriesPerAuthor',
  LIMIT_AUTHOR_BYTES: 'maxBytesPerAuthor',
  LIMIT_MAX_PENDING_BYTES: 'maxPendingBytes',
  LIMIT_MAX_TOKENS_PER_ROOM: 'maxTokensPerRoom',
  LIMIT_TOKEN_GRACE_DAYS: 'tokenGraceDays',
});

function invalid(message: string, details: Record<string, unknown>): WalletError<RelayConfigErrorCode> {
  return new WalletError('relay_config_invalid', message, details);
}

/** Limits that may be 0: no grace, the token handed over from stops at once. */
const ZERO_ALLOWED: ReadonlySet<keyof RelayLimits> = new Set(['tokenGraceDays']);

/**
 * Merges partial limits over the defaults; every limit must be a positive safe integer (or 0
 * where ZERO_ALLOWED says so).
 */
export function resolveLimits(partial: Partial<RelayLimits> = {}): RelayLimits {
  const limits: RelayLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof RelayLimits>) {
    const value = partial[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < (ZERO_ALLOWED.has(key) ? 0 : 1)) {
      throw invalid(`Relay limit ${key} must be a positive whole number, got ${String(value)}`, {
        limit: key,
        value,
      });
    }
    limits[key] = value;
  }
  // The claim takes one slot: one slot would refuse every hand-over.
  if (limits.maxTokensPerRoom < 2 || limits.maxTokensPerRoom > MAX_TOKENS_PER_ROOM) {
    throw invalid(`Relay limit maxTokensPerRoom must be from 2 to ${MAX_TOKENS_PER_ROOM}`, {
      limit: 'maxTokensPerRoom',
      value: limits.maxTokensPerRoom,
    });
  }
  if (limits.tokenGraceDays > MAX_TOKEN_GRACE_DAYS) {
    throw invalid(`Relay limit tokenGraceDays must be at most ${MAX_TOKEN_GRACE_DAYS}`, {
      limit: 'tokenGraceDays',
      value: limits.tokenGraceDays,
    });
  }
  return limits;
}

/** A TCP port: 0 (pick a free one) to 65535. */
export function validatePort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw invalid(`Relay port must be a whole number from 0 to 65535, got ${String(port)}`, { port });
  }
  return port;
}

function parsePositiveInt(name: string, raw: string, zeroAllowed = false): number {
  const trimmed = raw.trim();
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < (zeroAllowed ? 0 : 1)) {
    throw invalid(`${name} must be a positive whole number, got "${raw}"`, { variable: name, value: raw });
  }
  return value;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type RelayLogLevel = (typeof LOG_LEVELS)[number];

function parseLogLevel(raw: string): RelayLogLevel {
  const level = LOG_LEVELS.find((l) => l === raw);
  if (level === undefined) {
    throw invalid(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`, {
      variable: 'LOG_LEVEL',
    });
  }
  return level;
}

export interface EnvRelaySettings {
  host: string;
  port: number;
  dataDir: string | null;
  limits: Partial<RelayLimits>;
  logLevel: RelayLogLevel;
  /** REDIS_URL: run as a node of a Redis-backed cluster (undefined: one process, LevelDB). */
  redisUrl?: string;
  /** TRUSTED_PROXIES, as given (checked): load balancers whose X-Forwarded-For is believed. */
  trustedProxies?: string;
}

/**
 * Reads HOST, PORT, DATA_DIR, LOG_LEVEL and LIMIT_* from an environment.
 * Empty variables count as unset. Throws WalletError('relay_config_invalid') on bad values.
 */
export function relaySettingsFromEnv(env: Record<string, string | undefined>): EnvRelaySettings {
  const get = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const rawPort = get('PORT')?.trim();
  if (rawPort !== undefined && !/^\d{1,5}$/.test(rawPort)) {
    throw invalid(`PORT must be a whole number from 0 to 65535, got "${rawPort}"`, { variable: 'PORT' });
  }
  const port = rawPort === undefined ? DEFAULT_PORT : validatePort(Number(rawPort));
  const rawDir = get('DATA_DIR') ?? DEFAULT_DATA_DIR;
  const limits: Partial<RelayLimits> = {};
  for (const [name, key] of Object.entries(LIMIT_ENV_VARS)) {
    const raw = get(name);
    if (raw !== undefined) limits[key] = parsePositiveInt(name, raw, ZERO_ALLOWED.has(key));
  }
  return {
    host: get('HOST') ?? DEFAULT_HOST,
    port,
    dataDir: rawDir === IN_MEMORY ? null : rawDir,
    limits: resolveLimits(limits),
    logLevel: parseLogLevel(get('LOG_LEVEL')?.trim() ?? 'info'),
    ...redisUrlFromEnv(get('REDIS_URL')?.trim()),
    ...trustedProxiesFromEnv(get('TRUSTED_PROXIES')),
  };
}

function trustedProxiesFromEnv(raw: string | undefined): { trustedProxies?: string } {
  if (raw === undefined) return {};
  parseTrustedProxies(raw); // throws relay_config_invalid, naming the bad entry
  return { trustedProxies: raw };
}

/** REDIS_URL must be a redis:// or rediss:// URL; a typo must not silently start a lone relay. */
function redisUrlFromEnv(raw: string | undefined): { redisUrl?: string } {
  if (raw === undefined) return {};
  let protocol = '';
  try {
    protocol = new URL(raw).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:') {
    throw invalid('REDIS_URL must be a redis:// or rediss:// URL', { variable: 'REDIS_URL' });
  }
  return { redisUrl: raw };
}
