/**
 * Parent side of relay-child.ts, plus the y-websocket client plumbing the sync and relay
 * benchmarks share: a relay (ours or bare) in its own process, and plain Yjs clients.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ChildMessage, ParentMessage, RelayChildConfig } from './relay-child';

const CHILD = fileURLToPath(new URL('./relay-child.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 10_000;

export interface RelayChild {
  readonly url: string;
  /** Resident set size of the relay's process, in bytes. */
  rss(): Promise<number>;
  /** Closes the relay, waits for its process to exit and removes its data folder. */
  close(): Promise<void>;
}

/** Starts a relay in a child process. `persist` (ours only) puts LevelDB in a fresh temp folder. */
export async function startRelayChild(
  kind: RelayChildConfig['kind'],
  options: {
    persist?: boolean;
    limits?: RelayChildConfig['limits'];
    host?: string;
    allowRooms?: RelayChildConfig['allowRooms'];
  } = {},
): Promise<RelayChild> {
  const dataDir =
    kind === 'ours' && options.persist ? mkdtempSync(join(tmpdir(), 'tally-bench-relay-')) : null;
  const config: RelayChildConfig = {
    kind,
    dataDir,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.allowRooms ? { allowRooms: options.allowRooms } : {}),
  };
  const child: ChildProcess = fork(CHILD, [JSON.stringify(config)], {
    cwd: PROJECT_ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = <T extends ChildMessage['type']>(type: T, timeoutMs: number) =>
    new Promise<Extract<ChildMessage, { type: T }>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`relay child: no '${type}' within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onMessage = (message: ChildMessage) => {
        if (message.type !== type) return;
        cleanup();
        resolve(message as Extract<ChildMessage, { type: T }>);
      };
      const onExit = () => {
        cleanup();
        reject(new Error(`relay child exited before '${type}'`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const removeData = () => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const tell = (message: ParentMessage) => child.send(message);

  let ready: { url: string };
  try {
    ready = await waitFor('ready', START_TIMEOUT_MS);
  } catch (error) {
    child.kill();
    await exited;
    removeData();
    throw error;
  }
  return {
    url: ready.url,
    rss: async () => {
      const reply = waitFor('rss', START_TIMEOUT_MS);
      tell({ type: 'rss' });
      return (await reply).rss;
    },
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        tell({ type: 'close' });
        const timer = setTimeout(() => child.kill(), CLOSE_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      removeData();
    },
  };
}

export interface PlainClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  destroy(): void;
}

/** A plain Yjs client through y-websocket (the token is real for ours, ignored by bare). */
export function connectPlain(url: string, room: string, token: string, doc = new Y.Doc()): PlainClient {
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    // In one process, clients would otherwise sync through BroadcastChannel instead of the relay.
    disableBc: true,
  });
  return {
    doc,
    provider,
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Resolves when the provider finished its first exchange with the relay. */
export function whenSynced(provider: WebsocketProvider, timeoutMs = 30_000): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      provider.off('sync', onSync);
      reject(new Error(`no initial sync within ${timeoutMs} ms`));
    }, timeoutMs);
    const onSync = (synced: boolean) => {
      if (!synced) return;
      clearTimeout(timer);
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
}

/**
 * y-websocket adds a process 'exit' listener per provider; hundreds of clients in one process
 * are intended here, so lift the listener warning for the duration of `fn`.
 */
export async function withManyListeners<T>(count: number, fn: () => Promise<T>): Promise<T> {
  const before = process.getMaxListeners();
  process.setMaxListeners(Math.max(before, count + 20));
  try {
    return await fn();
  } finally {
    process.setMaxListeners(before);
  }
}
