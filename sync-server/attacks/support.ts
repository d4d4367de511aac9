/**
 * Shared plumbing of the attack tests (issue 10) and the attack benchmarks: a real relay child
 * process with small limits, its memory read from /proc, y-websocket clients and raw sockets
 * bound to chosen loopback source addresses (127.0.0.0/8 all reach a relay on 127.0.0.1 on
 * Linux, so one machine can play several "addresses") and a write→echo latency probe. Floods are
 * in floods.ts.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { CreatedEntry } from '../../shared/ledger/envelope';
import { RelayProcess } from '../sim/relay-process';
import { type EnvelopeRoom, envelopeRoom, smallEntries } from './envelopes';

export const MB = 1024 * 1024;

/**
 * Environment variables of the per-author quota, which the hardening contract describes but
 * does not name (the others the tests use are in sync-server/config.ts). The relay ignores
 * variables it does not know, so a wrong name only leaves the relay's default in force; rename
 * here once the implementation settles on its names.
 */
export const ASSUMED_ENV = {
  authorEntries: 'LIMIT_AUTHOR_ENTRIES',
  authorBytes: 'LIMIT_AUTHOR_BYTES',
} as const;

// ---------------------------------------------------------------- cleanup

let cleanups: Array<() => unknown> = [];

/** Registers something to undo after the current test (run in reverse order). */
export function onCleanup(fn: () => unknown): void {
  cleanups.push(fn);
}

/** Call from afterEach: closes clients, stops relays, removes folders. Never throws. */
export async function runCleanups(): Promise<void> {
  const list = cleanups.reverse();
  cleanups = [];
  for (const fn of list) {
    try {
      await fn();
    } catch {
      // cleanup is best effort: one failure must not leave the rest running
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

// ---------------------------------------------------------------- the relay

export interface AttackRelay {
  readonly process: RelayProcess;
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Resident memory of the relay process right now (VmRSS), bytes; 0 once it is gone. */
  rss(): number;
  /** Peak resident memory since the process started (VmHWM), bytes. */
  peakRss(): number;
  /** One counter from /metrics (e.g. relay_bytes_out_total), NaN if absent. */
  metric(name: string): Promise<number>;
  /** /healthz answers 200. */
  healthy(): Promise<boolean>;
}

function procStatusBytes(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (pid === undefined) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0; // the process has exited
  }
}

/**
 * Starts `sync-server/cli.ts` as a child process on 127.0.0.1 with a fresh LevelDB folder and
 * `env` on top (LIMIT_* overrides); stopped (SIGKILL if it hangs) and removed after the test.
 */
export async function startAttackRelay(
  env: Readonly<Record<string, string>> = {},
  options: { register?: boolean } = {},
): Promise<AttackRelay & { stop(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tally-attack-'));
  // LOG_LEVEL stays 'info' (RelayProcess's default): it waits for the "relay ready" line.
  const child = await RelayProcess.start({ dataDir, env }).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const base = `http://127.0.0.1:${child.port}`;
  const stop = async (): Promise<void> => {
    if (child.running) {
      const timer = setTimeout(() => void child.kill(), 5_000);
      await child.stop();
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  if (options.register !== false) onCleanup(stop);
  return {
    process: child,
    url: child.url,
    port: child.port,
    dataDir,
    rss: () => procStatusBytes(child.pid, 'VmRSS'),
    peakRss: () => procStatusBytes(child.pid, 'VmHWM'),
    metric: async (name) => {
      const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
      const match = new RegExp(`^${name}(?:\\{\\})? (\\S+)$`, 'm').exec(text);
      return match ? Number(match[1]) : Number.NaN;
    },
    healthy: async () => {
      try {
        return (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) })).status === 200;
      } catch {
        return false;
      }
    },
    stop,
  };
}

/**
 * Samples the relay's RSS every `intervalMs` and remembers the peak. Above `killAboveBytes` it
 * kills the relay at once: an unfixed relay can grow by gigabytes within seconds, and this
 * machine is shared, so the test fails on the recorded peak instead of exhausting memory.
 */
export function watchRss(
  relay: AttackRelay,
  options: { intervalMs?: number; killAboveBytes?: number } = {},
): { peak(): number; killed(): boolean; stop(): number } {
  let peak = relay.rss();
  let killed = false;
  const cap = options.killAboveBytes ?? 1536 * MB;
  const timer = setInterval(() => {
    const now = relay.rss();
    if (now > peak) peak = now;
    if (now > cap && !killed) {
      killed = true;
      void relay.process.kill();
    }
  }, options.intervalMs ?? 50);
  onCleanup(() => clearInterval(timer));
  return {
    peak: () => peak,
    killed: () => killed,
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

// ---------------------------------------------------------------- y-websocket messages

/**
 * SyncStep1 with an empty state vector: "send me the whole room" in four bytes (sync, step 1,
 * length 1, a state vector of 0 clients). The three bytes [0, 0, 0] (a zero-length vector) do
 * not decode as a state vector in Yjs, so a relay rightly closes them as malformed (1007).
 */
export const SYNC_STEP1_EMPTY = Uint8Array.of(0, 0, 1, 0);

function encodeMessage(write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  write(e);
  return encoding.toUint8Array(e);
}

/** A y-websocket sync update message (type 0, sub-type 2) carrying `update`. */
export function updateMessage(update: Uint8Array): Uint8Array {
  return encodeMessage((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, update);
  });
}

/** A y-websocket awareness message (type 1) carrying `awarenessUpdate`. */
export function awarenessMessage(awarenessUpdate: Uint8Array): Uint8Array {
  return encodeMessage((e) => {
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, awarenessUpdate);
  });
}

/** A Yjs update that puts `entries` into the 'entries' map of a fresh document. */
export function entriesUpdate(entries: readonly CreatedEntry[]): Uint8Array {
  const doc = new Y.Doc();
  const map = doc.getMap<Uint8Array>('entries');
  doc.transact(() => {
    for (const e of entries) map.set(e.id, e.bytes);
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

// ---------------------------------------------------------------- clients

/** `ws` with a fixed source address, for y-websocket's WebSocketPolyfill. */
function boundWebSocket(localAddress: string | undefined): typeof WebSocket {
  if (localAddress === undefined) return WebSocket;
  return class BoundWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols, { localAddress });
    }
  } as unknown as typeof WebSocket;
}

export interface CloseRecord {
  readonly code: number;
  readonly reason: string;
}

export interface YClient {
  readonly doc: Y.Doc;
  readonly entries: Y.Map<Uint8Array>;
  readonly provider: WebsocketProvider;
  /** Every close of its socket the relay caused, in order. */
  readonly closes: CloseRecord[];
  synced(timeoutMs?: number): Promise<void>;
  destroy(): void;
}

/** A y-websocket client as the app uses it (one 'entries' map), optionally from another source address. */
export function yClient(
  url: string,
  roomId: string,
  token: string,
  options: { localAddress?: string; register?: boolean } = {},
): YClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(url, roomId, doc, {
    WebSocketPolyfill: boundWebSocket(options.localAddress) as unknown as typeof globalThis.WebSocket,
    params: { token },
    // Clients in one process would otherwise sync through BroadcastChannel instead of the relay.
    disableBc: true,
    maxBackoffTime: 300,
  });
  const closes: CloseRecord[] = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: String(event.reason ?? '') });
  });
  let destroyed = false;
  const client: YClient = {
    doc,
    entries: doc.getMap<Uint8Array>('entries'),
    provider,
    closes,
    synced: (timeoutMs = 15_000) =>
      waitUntil(() => provider.synced, timeoutMs, `sync of ${roomId.slice(0, 8)}`),
    destroy: () => {
      if (destroyed) return;
      destroyed = true;
      provider.destroy();
      doc.destroy();
    },
  };
  if (options.register !== false) onCleanup(() => client.destroy());
  return client;
}

export type Outcome =
  | { readonly kind: 'open' }
  | { readonly kind: 'closed'; readonly code: number; readonly reason: string }
  | { readonly kind: 'http'; readonly status: number }
  | { readonly kind: 'error'; readonly message: string };

export interface RawSocket {
  readonly ws: WebSocket;
  /** Bytes of every message received so far. */
  received: number;
  readonly messages: Uint8Array[];
  /** How the upgrade ended: open, refused with an HTTP status, or failed. */
  readonly opened: Promise<Outcome>;
  /** Close code and reason once the socket closed. */
  readonly closed: Promise<CloseRecord>;
  send(bytes: Uint8Array): void;
  destroy(): void;
}

/** A bare WebSocket to `/<roomId>?token=…` from `localAddress`; keeps what it receives when `keep`. */
export function rawSocket(
  url: string,
  roomId: string,
  token: string,
  options: { localAddress?: string; keep?: boolean; register?: boolean } = {},
): RawSocket {
  const ws = new WebSocket(`${url}/${roomId}?token=${token}`, {
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  const messages: Uint8Array[] = [];
  const raw: RawSocket = {
    ws,
    received: 0,
    messages,
    opened: new Promise<Outcome>((resolve) => {
      ws.once('open', () => resolve({ kind: 'open' }));
      ws.once('unexpected-response', (_req, res) => {
        resolve({ kind: 'http', status: res.statusCode ?? 0 });
        res.resume();
        ws.terminate();
      });
      ws.once('error', (error) => resolve({ kind: 'error', message: error.message }));
    }),
    closed: new Promise<CloseRecord>((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    ),
    send: (bytes) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(bytes);
    },
    destroy: () => ws.terminate(),
  };
  ws.on('error', () => {});
  ws.on('message', (data: Buffer) => {
    raw.received += data.byteLength;
    if (options.keep) messages.push(new Uint8Array(data));
  });
  if (options.register !== false) onCleanup(() => ws.terminate());
  return raw;
}

/**
 * Tries a connection and says how it ended up: still open `settleMs` after the upgrade, closed
 * with a code (the hardened relay refuses by accepting and closing, so a browser can read why),
 * or refused with a plain HTTP status (the old behaviour).
 */
export async function tryConnect(
  url: string,
  roomId: string,
  token: string,
  options: { localAddress?: string; settleMs?: number } = {},
): Promise<Outcome> {
  const raw = rawSocket(url, roomId, token, { ...options, register: false });
  try {
    const opened = await raw.opened;
    if (opened.kind !== 'open') return opened;
    const closed = await Promise.race([raw.closed, sleep(options.settleMs ?? 300).then(() => null)]);
    return closed ? { kind: 'closed', ...closed } : { kind: 'open' };
  } finally {
    raw.destroy();
  }
}

/**
 * Puts `entries` into a room through a y-websocket client, a few MB per transaction (one
 * message each, under the message size limit), then waits until a fresh client sees them all:
 * proof the relay admitted every one (it deletes anything it would not admit).
 */
export async function uploadEntries(
  url: string,
  room: EnvelopeRoom,
  entries: readonly CreatedEntry[],
  options: { chunkBytes?: number; localAddress?: string; timeoutMs?: number } = {},
): Promise<void> {
  const uploader = yClient(url, room.roomId, room.token, { ...options, register: false });
  try {
    await uploader.synced();
    const chunk = options.chunkBytes ?? 2 * MB;
    let batch: CreatedEntry[] = [];
    let size = 0;
    const flush = async () => {
      const current = batch;
      batch = [];
      size = 0;
      uploader.doc.transact(() => {
        for (const e of current) uploader.entries.set(e.id, e.bytes);
      });
      // Paced so a large upload stays inside every per-connection rate.
      await sleep(50);
    };
    for (const e of entries) {
      batch.push(e);
      size += e.bytes.byteLength;
      if (size >= chunk) await flush();
    }
    if (batch.length > 0) await flush();
    await waitUntil(
      () => uploader.provider.wsconnected && uploader.provider.synced,
      options.timeoutMs ?? 30_000,
      'the uploader to stay connected',
    );
  } finally {
    uploader.destroy();
  }
  const ids = new Set(entries.map((e) => e.id));
  const check = yClient(url, room.roomId, room.token, { ...options, register: false });
  try {
    await check.synced(options.timeoutMs ?? 30_000);
    await waitUntil(
      () => [...ids].every((id) => check.entries.has(id)),
      options.timeoutMs ?? 30_000,
      `all ${ids.size} uploaded entries to be in the room (the relay refused some?)`,
    );
  } finally {
    check.destroy();
  }
}

// ---------------------------------------------------------------- the probe

/**
 * A well-behaved group in its own room: one client writes a small valid entry, the figure is
 * the time until a second client has it (write → relay → echo). Entries are signed beforehand
 * so a sample measures the relay, not signing.
 */
export class Probe {
  private next = 0;

  private constructor(
    private readonly writer: YClient,
    private readonly reader: YClient,
    private readonly entries: readonly CreatedEntry[],
  ) {}

  static async start(url: string, samples: number, localAddress?: string): Promise<Probe> {
    const room = await envelopeRoom(1);
    const author = room.authors[0]!;
    const entries = await smallEntries(author, samples);
    const options = localAddress ? { localAddress } : {};
    const writer = yClient(url, room.roomId, room.token, options);
    const reader = yClient(url, room.roomId, room.token, options);
    await Promise.all([writer.synced(), reader.synced()]);
    writer.doc.transact(() => {
      for (const e of room.setup) writer.entries.set(e.id, e.bytes);
    });
    const created = room.setup[0]!.id;
    await waitUntil(() => reader.entries.has(created), 15_000, 'the probe room to be set up');
    return new Probe(writer, reader, entries);
  }

  get remaining(): number {
    return this.entries.length - this.next;
  }

  /** Milliseconds from one write until the other client has it; `timeoutMs` when it never arrives. */
  async sample(timeoutMs = 5_000): Promise<number> {
    const entry = this.entries[this.next++];
    if (!entry) throw new Error('the probe ran out of prepared entries');
    const t0 = performance.now();
    let done: () => void = () => {};
    const arrived = new Promise<void>((resolve) => {
      done = resolve;
    });
    const observer = () => {
      if (this.reader.entries.has(entry.id)) done();
    };
    this.reader.entries.observe(observer);
    this.writer.doc.transact(() => this.writer.entries.set(entry.id, entry.bytes));
    const timer = sleep(timeoutMs);
    await Promise.race([arrived, timer]);
    this.reader.entries.unobserve(observer);
    return Math.min(performance.now() - t0, timeoutMs);
  }

  /** Samples every `gapMs` for `durationMs` (or until entries run out). */
  async run(durationMs: number, gapMs: number, timeoutMs = 5_000): Promise<number[]> {
    const out: number[] = [];
    const end = performance.now() + durationMs;
    while (performance.now() < end && this.remaining > 0) {
      out.push(await this.sample(timeoutMs));
      await sleep(gapMs);
    }
    return out;
  }

  destroy(): void {
    this.writer.destroy();
    this.reader.destroy();
  }
}
