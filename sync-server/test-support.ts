/** Helpers for the relay's tests: y-websocket clients, raw sockets and a relay child process. */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { CreatedEntry } from '../shared/ledger/envelope';

/** Signed envelopes for any room id: see attacks/envelopes.ts. */
export { roomAuthors, signedEntries } from './attacks/envelopes';

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

/** A bare WebSocket to `/<roomId>?token=…` (with extra request `headers`), open and ready to send anything. */
export async function openRaw(
  url: string,
  roomId: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<RawClient> {
  const ws = new WebSocket(`${url}/${roomId}?token=${token}`, { headers });
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

export interface UpgradeResult {
  /** HTTP status: 101 when the upgrade was accepted, else the refusal's status. */
  readonly status: number;
  /** Close code when the relay closed the accepted WebSocket at once (a refusal). */
  readonly code?: number;
  readonly reason?: string;
}

/** How long an accepted upgrade must stay open to count as admitted (refusals close at once). */
const REFUSAL_WINDOW_MS = 150;

/** Tries an upgrade on `path` (with query): an HTTP refusal, an immediate close, or admitted. */
export function upgradeResult(url: string, pathAndQuery: string): Promise<UpgradeResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url}${pathAndQuery}`);
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('open', () => {
      const timer = setTimeout(() => {
        resolve({ status: 101 });
        ws.close();
      }, REFUSAL_WINDOW_MS);
      ws.once('close', (code, reason) => {
        clearTimeout(timer);
        resolve({ status: 101, code, reason: reason.toString() });
      });
    });
    ws.on('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/** The HTTP status of a refused upgrade, the close code of an accepted-then-closed one, or 101. */
export async function upgradeStatus(url: string, pathAndQuery: string): Promise<number> {
  const result = await upgradeResult(url, pathAndQuery);
  return result.code ?? result.status;
}

export interface RelayProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every JSON log record the relay printed so far. */
  readonly logs: Array<Record<string, unknown>>;
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
  const logs: Array<Record<string, unknown>> = [];
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`relay did not start: ${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      const lines = (buffered + chunk.toString()).split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const record = JSON.parse(line) as { msg?: string; url?: string };
          logs.push(record);
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
  return { url, child, exited, logs };
}

/** Files entries in a client's map under their own ids, in one transaction (as the app does). */
export function fileEntries(client: SyncClient, entries: readonly CreatedEntry[]): void {
  client.doc.transact(() => {
    for (const entry of entries) client.entries.set(entry.id, entry.bytes);
  });
}
