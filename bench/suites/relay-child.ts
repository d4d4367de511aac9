/**
 * Child-process entry for the sync and relay benchmarks: runs one relay (ours or the bare
 * stock server) alone in its process, so its memory can be read apart from the clients'.
 * Forked by relay-process.ts with an IPC channel; the config arrives as argv[2] (JSON).
 *
 *   parent → child: { type: 'rss' } | { type: 'close' }
 *   child → parent: { type: 'ready', url } | { type: 'rss', rss, heapUsed } | { type: 'closed' }
 */
import { startBareRelay } from '../../sync-server/bench-support';
import { hashToken } from '../../sync-server/auth';
import { type RelayLimits, startRelay } from '../../sync-server/relay';

export interface RelayChildConfig {
  readonly kind: 'ours' | 'bare';
  /** LevelDB folder for ours; null keeps rooms in memory. Ignored by bare. */
  readonly dataDir?: string | null;
  readonly limits?: Partial<RelayLimits>;
  /** Interface to listen on (ours). Default 127.0.0.1; the LAN figure uses another loopback address. */
  readonly host?: string;
  /** LAN mode (ours): serve only these rooms, as [roomId, relay token hex] (RelayOptions.allowRooms). */
  readonly allowRooms?: ReadonlyArray<readonly [string, string]>;
}

export type ParentMessage = { type: 'rss' } | { type: 'close' };
export type ChildMessage =
  | { type: 'ready'; url: string }
  | { type: 'rss'; rss: number; heapUsed: number }
  | { type: 'closed' };

const send = (message: ChildMessage): Promise<void> =>
  new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as RelayChildConfig;
  const relay =
    config.kind === 'bare'
      ? await startBareRelay()
      : await startRelay({
          host: config.host ?? '127.0.0.1',
          ...(config.allowRooms
            ? { allowRooms: new Map(config.allowRooms.map(([room, token]) => [room, hashToken(token)])) }
            : {}),
          port: 0,
          dataDir: config.dataDir ?? null,
          ...(config.limits ? { limits: config.limits } : {}),
          logger: 'silent',
        });
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await relay.close();
    await send({ type: 'closed' });
    process.exit(0);
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'rss') {
      const { rss, heapUsed } = process.memoryUsage();
      void send({ type: 'rss', rss, heapUsed });
    } else if (message.type === 'close') {
      void close();
    }
  });
  // The parent died without saying goodbye: do not linger as an orphan.
  process.on('disconnect', () => void close());
  await send({ type: 'ready', url: relay.url });
}

main().catch((error: unknown) => {
  console.error('relay child failed:', error);
  process.exit(1);
});
