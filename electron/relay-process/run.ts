/**
 * The relay's side of the utility process: waits for `start`, runs sync-server/relay.ts, keeps
 * the LAN relay's room list current, and on `stop` closes it (flushing LevelDB) and exits.
 * Kept free of Electron: index.ts hands it `process.parentPort`; tests hand it a fake port.
 */
import type { RelayOptions } from '../../sync-server/relay';
import { type ChildMessage, parentMessage, type RoomList } from './protocol';

export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: ChildMessage): void;
}

/** sync-server/relay.ts `startRelay`, narrowed to what is used here. */
export type StartSyncRelay = (
  options: RelayOptions,
) => Promise<{ readonly url: string; readonly port: number; close(): Promise<void> }>;

export interface RelayChildDeps {
  start: StartSyncRelay;
  exit(code: number): void;
}

const fill = (map: Map<string, Uint8Array>, rooms: RoomList): void => {
  map.clear();
  for (const [groupId, hash] of rooms) map.set(groupId, Uint8Array.from(Buffer.from(hash, 'hex')));
};

export function runRelayChild(port: ParentPortLike, deps: RelayChildDeps): void {
  let relay: { close(): Promise<void> } | null = null;
  let starting = false;
  // Read by the relay at every upgrade, so `rooms` messages apply at once.
  const allowRooms = new Map<string, Uint8Array>();

  port.on('message', ({ data }) => {
    const parsed = parentMessage.safeParse(data);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'rooms') {
      fill(allowRooms, message.rooms);
      return;
    }
    if (message.type === 'stop') {
      const closing = relay?.close() ?? Promise.resolve();
      relay = null;
      void closing
        .catch(() => undefined)
        .finally(() => {
          port.postMessage({ type: 'stopped' });
          deps.exit(0);
        });
      return;
    }
    if (starting || relay) return;
    starting = true;
    if (message.allowRooms) fill(allowRooms, message.allowRooms);
    const options = {
      host: message.host,
      port: message.port,
      dataDir: message.dataDir,
      ...(message.allowRooms ? { allowRooms } : {}),
    };
    void (async () => {
      try {
        let running: Awaited<ReturnType<StartSyncRelay>>;
        try {
          running = await deps.start(options);
        } catch (e) {
          const inUse = (e as NodeJS.ErrnoException)?.code === 'EADDRINUSE';
          if (!inUse || !message.fallbackToFreePort || message.port === 0) throw e;
          running = await deps.start({ ...options, port: 0 });
        }
        relay = running;
        port.postMessage({ type: 'ready', url: running.url, port: running.port });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException)?.code;
        const text = e instanceof Error ? e.message : String(e);
        port.postMessage({
          type: 'failed',
          code: typeof code === 'string' ? code : null,
          message: text.slice(0, 500),
        });
        deps.exit(1);
      } finally {
        starting = false;
      }
    })();
  });
}
