/**
 * Presence across cluster nodes over Redis pub/sub (relay-backend.ts RemotePresence): one channel
 * per room, subscribed while the room is loaded here, on a connection of its own (a subscribed
 * Redis connection can do nothing else). A message is the publishing node's id (8 bytes) then
 * the awareness update; a node skips its own. Fire and forget: presence is a hint, and a lost
 * message is repaired by the client's next renewal (every 15 s).
 */
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { RemotePresence } from './relay-backend';
import type { RedisKeys } from './redis-keys';

const NODE_ID_BYTES = 8;

export class RedisPresence implements RemotePresence {
  readonly #listeners = new Map<string, Set<(update: Uint8Array) => void>>();
  readonly #nodeId: Buffer;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly keys: RedisKeys,
    nodeIdHex: string,
    private readonly log: Logger,
  ) {
    this.#nodeId = Buffer.from(nodeIdHex, 'hex');
    if (this.#nodeId.length !== NODE_ID_BYTES) throw new Error('node id must be 8 bytes of hex');
    subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.#receive(channel, message));
  }

  publish(roomId: string, update: Uint8Array): void {
    const message = Buffer.concat([this.#nodeId, update]);
    this.publisher.publish(this.keys.presence(roomId), message).catch((error: unknown) => {
      this.log.debug({ room: roomId, err: String(error) }, 'presence not published');
    });
  }

  follow(roomId: string, onUpdate: (update: Uint8Array) => void): () => void {
    let set = this.#listeners.get(roomId);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(roomId, set);
      this.subscriber.subscribe(this.keys.presence(roomId)).catch((error: unknown) => {
        this.log.warn({ room: roomId, err: String(error) }, 'presence channel not subscribed');
      });
    }
    set.add(onUpdate);
    return () => {
      const current = this.#listeners.get(roomId);
      if (current === undefined || !current.delete(onUpdate) || current.size > 0) return;
      this.#listeners.delete(roomId);
      this.subscriber.unsubscribe(this.keys.presence(roomId)).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.#listeners.clear();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  #receive(channel: Buffer, message: Buffer): void {
    const roomId = this.keys.roomOfPresence(channel.toString());
    if (roomId === undefined || message.length <= NODE_ID_BYTES) return;
    if (message.subarray(0, NODE_ID_BYTES).equals(this.#nodeId)) return; // our own
    const update = new Uint8Array(message.subarray(NODE_ID_BYTES));
    for (const listener of this.#listeners.get(roomId) ?? []) listener(update);
  }
}
