/** Helpers for the relay's tests: y-websocket clients, raw sockets and a relay child process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export const randomRoomId = (): string => randomBytes(16).toString('hex');
export const randomToken = (): string => randomBytes(32).toString('hex');

export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface SyncClient {
  readonly doc: Y.Doc;
  readonly entries: Y.Map<Uint8Array>;
  readonly provider: WebsocketProvider;
  synced(): Promise<void>;
  destroy(): void;
}

/** A y-websocket client as the app uses it: one Y.Map of entry id → envelope bytes. */
export function connectClient(url: string, roomId: string, token: string): SyncClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, roomId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    // Without this, clients in one process would sync through BroadcastChannel, not the relay.
    disableBc: true,
    maxBackoffTime: 200,
  });
  return {
    doc,
    entries: doc.getMap<Uint8Array>('entries'),
    provider,
    synced: () => waitFor(() => provider.synced, 10_000, 'initial sync'),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

export interface RawClient {
  readonly ws: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly received: Uint8Array[];
}

/** A bare WebSocket to `/<roomId>?token=…`, open and ready to send anything. */
export async function openRaw(url: string, roomId: string, token: string): Promise<RawClient> {
  const ws = new WebSocket(`${url}/${roomId}?token=${token}`);
  const received: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('error', () => {});
  return { ws, closed, received };
}

/** Tries an upgrade on `path` (with query) and returns the HTTP status of the refusal, or 101. */
export function upgradeStatus(url: string, pathAndQuery: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}${pathAndQuery}`);
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

export interface RelayProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

/** Runs `cli.ts` as a child process on a free port and waits until it logs its URL. */
export async function startRelayProcess(env: Record<string, string>): Promise<RelayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`relay did not start: ${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (buffered + chunk.toString()).split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const record = JSON.parse(line) as { msg?: string; url?: string };
          if (record.msg === 'relay ready' && record.url) {
            clearTimeout(timer);
            resolve(record.url);
          }
        } catch {
          // not a log record (e.g. a warning from a dependency)
        }
      }
    });
    void exited.then(({ code }) => reject(new Error(`relay exited with ${code}: ${stderr}`)));
  });
  return { url, child, exited };
}
