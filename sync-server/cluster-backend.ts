/**
 * Assembles a cluster node's backend (relay-backend.ts) on Redis: the room store, the reader
 * of other nodes' updates, presence across nodes, shared access checks and shared address
 * budgets, on three connections (the reader blocks on XREAD and the presence subscriber is in
 * pub/sub mode, so each has its own).
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import type { Logger } from 'pino';
import { WalletError } from '../shared/errors';
import type { RelayLimits } from './config';
import type { RelayBackend } from './relay-backend';
import { RedisAccess } from './redis-access';
import { SharedAddressBudgets } from './redis-budgets';
import { RedisKeys } from './redis-keys';
import { RedisPresence } from './redis-presence';
import { RedisRoomStore } from './redis-room-store';
import { clusterScripts } from './redis-scripts';
import { StreamReader } from './redis-stream-reader';

/** A node that cannot reach Redis at start fails (exit 1) instead of serving without storage. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface ClusterOptions {
  readonly redisUrl: string;
  readonly limits: RelayLimits;
  readonly log: Logger;
  /** Key prefix in Redis (several clusters can share one Redis). Default 'tally:'. */
  readonly keyPrefix?: string;
  /** Clock of token expiry (ms since the epoch); tests move it. Default Date.now. */
  readonly now?: () => number;
}

export async function openClusterBackend(
  options: ClusterOptions,
): Promise<RelayBackend & { store: RedisRoomStore }> {
  const { limits } = options;
  const nodeId = randomBytes(8).toString('hex');
  const log = options.log.child({ node: nodeId });
  const redis = new Redis(options.redisUrl, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // A command during an outage fails after a few retries: the room closes 1011 and its clients
    // reconnect (and resend), rather than every batch waiting without bound.
    maxRetriesPerRequest: 3,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  redis.on('error', (error: Error) => log.warn({ err: error.message }, 'redis connection error'));
  try {
    await redis.connect();
  } catch (cause) {
    redis.disconnect();
    throw new WalletError('relay_storage_unavailable', 'Cannot connect to Redis', { cause: String(cause) });
  }
  const reader = redis.duplicate({ maxRetriesPerRequest: null, lazyConnect: false });
  reader.on('error', (error: Error) => log.warn({ err: error.message }, 'redis reader connection error'));
  const keys = new RedisKeys(options.keyPrefix);
  const scripts = clusterScripts(redis);
  const streams = new StreamReader(reader, redis, keys, nodeId, log);
  const store = new ClusterStore(redis, keys, scripts, streams, {
    provisionalTtlMs: limits.provisionalRoomTtlSeconds * 1000,
    idleTtlMs: limits.idleRoomTtlSeconds * 1000,
    nodeId,
    log,
  });
  const budgets = new SharedAddressBudgets(limits, scripts, keys, log);
  const subscriber = redis.duplicate({ maxRetriesPerRequest: null, lazyConnect: false });
  subscriber.on('error', (error: Error) =>
    log.warn({ err: error.message }, 'redis presence connection error'),
  );
  const presence = new RedisPresence(redis, subscriber, keys, nodeId, log);
  store.onClose(async () => {
    await presence.close();
    await budgets.close();
    await streams.close();
    await redis.quit().catch(() => redis.disconnect());
  });
  await store.refreshCounts();
  log.info({ rooms: store.roomCount }, 'cluster node connected to redis');
  return {
    store,
    access: new RedisAccess(scripts, keys, store, limits, log, options.now),
    budgets,
    remote: streams,
    presence,
  };
}

/** The Redis store that also closes the node's connections when the relay closes it. */
class ClusterStore extends RedisRoomStore {
  private closers: Array<() => Promise<void>> = [];

  onClose(closer: () => Promise<void>): void {
    this.closers.push(closer);
  }

  override async close(): Promise<void> {
    await super.close();
    for (const closer of this.closers) await closer();
    this.closers = [];
  }
}
