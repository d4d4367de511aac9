/**
 * The Lua scripts that make shared decisions atomic in Redis: a check and the write it allows
 * run as one step, so two nodes (or an attacker spreading over nodes) can never both pass a
 * limit that has room for one. Time comes from Redis (TIME), so node clocks do not matter.
 */
import type Redis from 'ioredis';

/** Milliseconds since the epoch by the Redis server's clock. */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** Continuous token bucket stored as a hash {tokens, at}; expires once it would be full again. */
const LEVEL = `local function level(key, rate, burst)
  local b = redis.call('HMGET', key, 'tokens', 'at')
  if not b[1] then return burst end
  return math.min(burst, tonumber(b[1]) + math.max(0, now - tonumber(b[2])) * rate)
end
local function store(key, tokens, rate, burst)
  redis.call('HSET', key, 'tokens', tokens, 'at', now)
  redis.call('PEXPIRE', key, math.ceil((burst - tokens) / rate) + 1000)
end`;

/**
 * Claims a room for a token hash, or says why not. KEYS: meta, rooms, provisional, lastActive,
 * ip bucket, prefix bucket. ARGV: token hex, room id, max rooms, provisional cap, ip rate/ms,
 * ip burst, prefix rate/ms, prefix burst. Returns {'exists', claim hash, token set JSON or ''} |
 * {'created', count} | {reason, detail} (detail: seconds to wait, or the oldest provisional
 * room's last use in ms).
 */
const CLAIM = `${NOW}
${LEVEL}
local token = redis.call('HGET', KEYS[1], 'token')
if token then return {'exists', token, redis.call('HGET', KEYS[1], 'tokens') or ''} end
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[3]) then return {'too_many_rooms', '0'} end
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[4]) then
  local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  return {'too_many_provisional_rooms', tostring(first[2] or now)}
end
local ipRate, ipBurst = tonumber(ARGV[5]), tonumber(ARGV[6])
local pRate, pBurst = tonumber(ARGV[7]), tonumber(ARGV[8])
local ipLevel = level(KEYS[5], ipRate, ipBurst)
if ipLevel < 1 then
  return {'too_many_new_rooms_per_ip', tostring(math.ceil((1 - ipLevel) / ipRate / 1000))}
end
local pLevel = level(KEYS[6], pRate, pBurst)
if pLevel < 1 then
  return {'too_many_new_rooms_per_prefix', tostring(math.ceil((1 - pLevel) / pRate / 1000))}
end
store(KEYS[5], ipLevel - 1, ipRate, ipBurst)
store(KEYS[6], pLevel - 1, pRate, pBurst)
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'provisional', '1', 'lastActive', now)
redis.call('SADD', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], now, ARGV[2])
redis.call('ZADD', KEYS[4], now, ARGV[2])
return {'created', tostring(redis.call('SCARD', KEYS[2]))}`;

/**
 * Writes a room's token set only if it is still what the caller read (compare-and-set: two
 * nodes handing over at once cannot lose a record; the loser reads again and retries) and the
 * room still exists. KEYS: meta. ARGV: claim hash read, '1' if a set was read else '0', the set
 * read, the new set. Returns 1 when written.
 */
const SET_TOKENS = `local m = redis.call('HMGET', KEYS[1], 'token', 'tokens')
if m[1] ~= ARGV[1] then return 0 end
if ARGV[2] == '1' then
  if m[2] ~= ARGV[3] then return 0 end
elseif m[2] then return 0 end
redis.call('HSET', KEYS[1], 'tokens', ARGV[4])
return 1`;

/**
 * Restarts a room's idle clock, only if the room still exists. KEYS: meta, provisional,
 * lastActive. ARGV: room id.
 */
const TOUCH = `${NOW}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastActive', now)
redis.call('ZADD', KEYS[3], 'XX', now, ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', now, ARGV[1])
return 1`;

/** The room received a valid entry: no longer provisional. KEYS: meta, provisional. ARGV: room id. */
const MARK_ACTIVE = `if redis.call('HGET', KEYS[1], 'provisional') ~= '1' then return 0 end
redis.call('HSET', KEYS[1], 'provisional', '0')
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`;

/**
 * Deletes a room if it is still expired (another node may have touched it since the candidate
 * list was read). KEYS: meta, stream, snapshot, rooms, provisional, lastActive. ARGV: room id,
 * idle ttl ms, provisional ttl ms.
 */
const DELETE_EXPIRED = `${NOW}
local last = redis.call('ZSCORE', KEYS[6], ARGV[1])
local prov = redis.call('ZSCORE', KEYS[5], ARGV[1])
local expired = (last == false) or (now - tonumber(last) >= tonumber(ARGV[2]))
if prov then expired = expired or (now - tonumber(prov) >= tonumber(ARGV[3])) end
if not expired then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZREM', KEYS[6], ARGV[1])
return 1`;

/**
 * Writes a compacted snapshot and trims the stream, only while the caller still holds the lock
 * (a compaction that outlived its lock must not overwrite a newer one). KEYS: lock, snapshot,
 * stream. ARGV: holder, snapshot bytes, trim threshold id (MINID).
 */
const COMPACT_COMMIT = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('XTRIM', KEYS[3], 'MINID', ARGV[3])
redis.call('DEL', KEYS[1])
return 1`;

/**
 * Charges amounts to token buckets and returns their levels (as strings: Lua numbers would be
 * truncated). KEYS: buckets. ARGV: per bucket, rate/ms, burst, amount.
 */
const CHARGE = `${NOW}
${LEVEL}
local out = {}
for i, key in ipairs(KEYS) do
  local rate, burst, amount = tonumber(ARGV[3 * i - 2]), tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
  local tokens = level(key, rate, burst) - amount
  store(key, tokens, rate, burst)
  out[i] = tostring(tokens)
end
return out`;

export interface ClusterScripts {
  claimRoom(keys: string[], args: Array<string | number>): Promise<[string, string, string?]>;
  setTokens(keys: string[], args: string[]): Promise<number>;
  touchRoom(keys: string[], args: string[]): Promise<number>;
  markRoomActive(keys: string[], args: string[]): Promise<number>;
  deleteExpiredRoom(keys: string[], args: Array<string | number>): Promise<number>;
  commitCompaction(keys: string[], args: Array<string | Buffer>): Promise<number>;
  chargeBuckets(keys: string[], args: number[]): Promise<string[]>;
}

/** Registers the scripts on a connection (ioredis sends EVALSHA, falling back to EVAL once). */
export function clusterScripts(redis: Redis): ClusterScripts {
  const define = <T>(name: string, lua: string) => {
    redis.defineCommand(name, { lua });
    const command = (redis as unknown as Record<string, (...args: unknown[]) => Promise<T>>)[name]!;
    return (keys: string[], args: unknown[]): Promise<T> =>
      command.call(redis, keys.length, ...keys, ...args);
  };
  return {
    claimRoom: define<[string, string, string?]>('tallyClaimRoom', CLAIM),
    setTokens: define<number>('tallySetTokens', SET_TOKENS),
    touchRoom: define<number>('tallyTouchRoom', TOUCH),
    markRoomActive: define<number>('tallyMarkRoomActive', MARK_ACTIVE),
    deleteExpiredRoom: define<number>('tallyDeleteExpiredRoom', DELETE_EXPIRED),
    commitCompaction: define<number>('tallyCommitCompaction', COMPACT_COMMIT),
    chargeBuckets: define<string[]>('tallyChargeBuckets', CHARGE),
  };
}
