/**
 * One reader loop per node over the update streams of every room the node has loaded: a
 * blocking XREAD on its own connection, woken (CLIENT UNBLOCK) when the set of rooms changes.
 * Entries this node wrote are skipped (it applied them before writing); the rest go to the
 * room, which applies and broadcasts them.
 */
import type Redis from 'ioredis';
import type { Logger } from 'pino';
import type { RemoteUpdates } from './relay-backend';
import type { RedisKeys } from './redis-keys';

/** How long one XREAD waits for news; bounds how late a missed wake-up is noticed. */
const BLOCK_MS = 2000;
/** Entries per stream per read: a burst is read in a few round trips, never unbounded. */
const READ_COUNT = 500;
/** Pause after a failed read (Redis restarting): the client reconnects meanwhile. */
const RETRY_MS = 250;

type StreamReply = Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;

interface Followed {
  cursor: string;
  onUpdate: ((update: Uint8Array) => void) | null;
}

export class StreamReader implements RemoteUpdates {
  private readonly rooms = new Map<string, Followed>();
  private readerId: number | null = null;
  private reading = false;
  private closed = false;
  private wakeIdle: (() => void) | null = null;
  private readonly loop: Promise<void>;

  constructor(
    private readonly reader: Redis,
    private readonly control: Redis,
    private readonly keys: RedisKeys,
    private readonly nodeId: string,
    private readonly log: Logger,
  ) {
    this.reader.on('ready', () => {
      this.readerId = null; // a reconnected client has a new id
    });
    this.loop = this.run();
  }

  /** Where the room was loaded up to (called by the store when it loads the room). */
  loadedAt(roomId: string, cursor: string): void {
    this.rooms.set(roomId, { cursor, onUpdate: null });
  }

  follow(roomId: string, onUpdate: (update: Uint8Array) => void): () => void {
    const followed = this.rooms.get(roomId) ?? { cursor: '0-0', onUpdate: null };
    followed.onUpdate = onUpdate;
    this.rooms.set(roomId, followed);
    this.wake();
    return () => {
      if (this.rooms.get(roomId) === followed) this.rooms.delete(roomId);
    };
  }

  forget(roomId: string): void {
    this.rooms.delete(roomId);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    this.reader.disconnect();
    await this.loop;
  }

  /** Interrupts a blocking read so the next one includes a newly followed room. */
  private wake(): void {
    if (this.wakeIdle !== null) {
      this.wakeIdle();
      return;
    }
    if (this.reading && this.readerId !== null) {
      this.control.client('UNBLOCK', this.readerId).catch(() => {});
    }
  }

  private async run(): Promise<void> {
    while (!this.closed) {
      const followed = [...this.rooms].filter(([, room]) => room.onUpdate !== null);
      if (followed.length === 0) {
        await new Promise<void>((resolve) => {
          this.wakeIdle = resolve;
        });
        this.wakeIdle = null;
        continue;
      }
      try {
        this.readerId ??= (await this.reader.client('ID')) as number;
        this.reading = true;
        const reply = (await this.reader.xreadBuffer(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...followed.map(([roomId]) => this.keys.stream(roomId)),
          ...followed.map(([, room]) => room.cursor),
        )) as StreamReply;
        this.reading = false;
        if (reply !== null) this.deliver(reply);
      } catch (error) {
        this.reading = false;
        if (this.closed) break;
        this.log.warn({ err: error }, 'cluster stream read failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private deliver(reply: NonNullable<StreamReply>): void {
    for (const [key, entries] of reply) {
      const roomId = this.keys.roomOfStream(key.toString());
      const room = roomId === undefined ? undefined : this.rooms.get(roomId);
      if (room === undefined) continue; // unloaded while the read was under way
      for (const [id, fields] of entries) {
        room.cursor = id.toString();
        const entry = streamEntry(fields);
        if (entry === null) {
          this.log.warn({ room: roomId }, 'malformed cluster stream entry skipped');
          continue;
        }
        if (entry.node === this.nodeId) continue;
        room.onUpdate?.(entry.update);
      }
    }
  }
}

/** Fields of an update entry (n: writing node, u: update), or null when they are not there. */
export function streamEntry(fields: Buffer[]): { node: string; update: Uint8Array } | null {
  let node: string | null = null;
  let update: Uint8Array | null = null;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i]!.toString();
    if (name === 'n') node = fields[i + 1]!.toString();
    else if (name === 'u') update = new Uint8Array(fields[i + 1]!);
  }
  return node === null || update === null ? null : { node, update };
}
