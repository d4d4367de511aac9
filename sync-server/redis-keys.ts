/**
 * Key names of a relay cluster in Redis. One Redis (with replicas or Sentinel for failover)
 * holds all of them; the `{roomId}` hash tags keep a room's keys together should an operator
 * shard by room later, but the relay-wide sets and buckets assume a single Redis.
 */
export class RedisKeys {
  constructor(readonly prefix = 'tally:') {}

  /**
   * Hash: token (hex SHA-256 of the claiming token), tokens (the token set as JSON, token-set.ts;
   * absent until the first hand-over), provisional ('1'/'0'), lastActive (ms).
   */
  meta(roomId: string): string {
    return `${this.prefix}room:{${roomId}}:meta`;
  }

  /** Stream of admitted updates since the last compaction: fields n (node id), u (update). */
  stream(roomId: string): string {
    return `${this.prefix}room:{${roomId}}:updates`;
  }

  /** The merged document up to the last compaction (a Yjs update). */
  snapshot(roomId: string): string {
    return `${this.prefix}room:{${roomId}}:doc`;
  }

  /** Short lock (SET NX PX) held by the node compacting the room. */
  compactLock(roomId: string): string {
    return `${this.prefix}room:{${roomId}}:compacting`;
  }

  /** Set of every stored room id: its size is the room count every node checks. */
  get rooms(): string {
    return `${this.prefix}rooms`;
  }

  /** Sorted set: room id → last use (ms), for idle expiry. */
  get lastActive(): string {
    return `${this.prefix}rooms:last-active`;
  }

  /** Sorted set: provisional room id → last use (ms): its size is the provisional count. */
  get provisional(): string {
    return `${this.prefix}rooms:provisional`;
  }

  /** Token buckets, keyed by what they limit (creation, messages, send bytes; address or prefix). */
  bucket(kind: 'create-ip' | 'create-prefix' | 'msg-ip' | 'send-ip' | 'send-prefix', key: string): string {
    return `${this.prefix}bucket:${kind}:${key}`;
  }

  /** Pub/sub channel of a room's presence (awareness updates, never stored). */
  presence(roomId: string): string {
    return `${this.prefix}presence:{${roomId}}`;
  }

  /** Room id of a presence channel, or undefined for anything else. */
  roomOfPresence(channel: string): string | undefined {
    const match = /presence:\{([0-9a-f]{32})\}$/.exec(channel);
    return match === null ? undefined : match[1];
  }

  /** Room id of a stream key this node reads, or undefined for anything else. */
  roomOfStream(key: string): string | undefined {
    const match = /room:\{([0-9a-f]{32})\}:updates$/.exec(key);
    return match === null ? undefined : match[1];
  }
}
