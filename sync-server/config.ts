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
});

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
});

function invalid(message: string, details: Record<string, unknown>): WalletError<RelayConfigErrorCode> {
  return new WalletError('relay_config_invalid', message, details);
}

/** Merges partial limits over the defaults; every limit must be a positive safe integer. */
export function resolveLimits(partial: Partial<RelayLimits> = {}): RelayLimits {
  const limits: RelayLimits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as Array<keyof RelayLimits>) {
    const value = partial[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw invalid(`Relay limit ${key} must be a positive whole number, got ${String(value)}`, {
        limit: key,
        value,
      });
    }
    limits[key] = value;
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

function parsePositiveInt(name: string, raw: string): number {
  const trimmed = raw.trim();
  const value = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value) || value <= 0) {
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
    if (raw !== undefined) limits[key] = parsePositiveInt(name, raw);
  }
  return {
    host: get('HOST') ?? DEFAULT_HOST,
    port,
    dataDir: rawDir === IN_MEMORY ? null : rawDir,
    limits: resolveLimits(limits),
    logLevel: parseLogLevel(get('LOG_LEVEL')?.trim() ?? 'info'),
  };
}
