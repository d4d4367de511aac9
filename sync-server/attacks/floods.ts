/**
 * Floods for the attack tests and benchmarks, run from a worker thread so the attacker's own work
 * never slows the probe's event loop, and half-open upgrades (sockets that never finish their
 * headers).
 */
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { Worker } from 'node:worker_threads';
import { type CloseRecord, onCleanup, SYNC_STEP1_EMPTY } from './support';

// ---------------------------------------------------------------- floods from a worker thread

export interface FloodConnection {
  readonly url: string;
  readonly roomId: string;
  readonly token: string;
  readonly localAddress?: string;
  /** False: the socket is paused right after it opens and never read again. */
  readonly read: boolean;
  /** Messages per second this connection sends. */
  readonly perSecond: number;
  readonly message: Uint8Array;
  /** Open a new socket when the relay closes this one (what y-websocket clients do). */
  readonly reconnect?: boolean;
}

export interface FloodReport {
  /** Per connection: bytes received, messages sent, the closes seen, upgrades refused. */
  readonly received: number[];
  readonly sent: number[];
  readonly closes: CloseRecord[][];
  readonly refused: number[];
}

const WS_PATH = createRequire(import.meta.url).resolve('ws');

/**
 * The flood runs in a worker thread (plain JS through `eval`): thousands of sends per second
 * in the probe's own event loop would measure the test process, not the relay.
 */
const FLOOD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const WebSocket = require(workerData.wsPath);
const specs = workerData.connections;
const state = specs.map(() => ({ ws: null, received: 0, sent: 0, closes: [], refused: 0, credit: 0 }));
let stopping = false;
function open(i) {
  const spec = specs[i];
  const s = state[i];
  const ws = new WebSocket(spec.url + '/' + spec.roomId + '?token=' + spec.token,
    spec.localAddress ? { localAddress: spec.localAddress } : {});
  s.ws = ws;
  ws.on('error', () => {});
  ws.on('unexpected-response', (_req, res) => { s.refused++; res.resume(); ws.terminate(); });
  ws.on('open', () => { if (!spec.read) ws.pause(); });
  ws.on('message', (data) => { s.received += data.length; });
  ws.on('close', (code, reason) => {
    if (code !== 1006 || !stopping) s.closes.push({ code, reason: reason.toString() });
    if (s.ws === ws) s.ws = null;
    if (!stopping && spec.reconnect) setTimeout(() => { if (!stopping) open(i); }, 100);
  });
}
specs.forEach((_, i) => open(i));
const TICK = 20;
const timer = setInterval(() => {
  specs.forEach((spec, i) => {
    const s = state[i];
    s.credit += spec.perSecond * TICK / 1000;
    const ws = s.ws;
    if (!ws || ws.readyState !== 1) return;
    while (s.credit >= 1) { s.credit -= 1; ws.send(spec.message); s.sent++; }
  });
}, TICK);
parentPort.on('message', () => {
  stopping = true;
  clearInterval(timer);
  for (const s of state) if (s.ws) s.ws.terminate();
  parentPort.postMessage({
    received: state.map((s) => s.received),
    sent: state.map((s) => s.sent),
    closes: state.map((s) => s.closes),
    refused: state.map((s) => s.refused),
  });
});
`;

/** Starts the flood at once; `stop()` ends it and reports what each connection saw. */
export function startFlood(connections: readonly FloodConnection[]): { stop(): Promise<FloodReport> } {
  const worker = new Worker(FLOOD_WORKER, {
    eval: true,
    workerData: {
      wsPath: WS_PATH,
      connections: connections.map((c) => ({ ...c, message: Uint8Array.from(c.message) })),
    },
  });
  let report: Promise<FloodReport> | null = null;
  const stop = (): Promise<FloodReport> => {
    report ??= new Promise<FloodReport>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the flood worker did not stop')), 10_000);
      worker.once('message', (r: FloodReport) => {
        clearTimeout(timer);
        resolve(r);
        void worker.terminate();
      });
      worker.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      worker.postMessage('stop');
    });
    return report;
  };
  onCleanup(async () => {
    await stop().catch(() => {});
    await worker.terminate();
  });
  return { stop };
}

/**
 * The amplification attack (issue 10, finding 1) on `room` from `localAddress`: one connection
 * that never reads sends SyncStep1 ("send me everything") at 150/s, under the per-connection
 * rate (200/s), so only a cost-based limit can stop it; four that do read send it at 20/s.
 * All of them reconnect whenever the relay closes them.
 */
export function startAmplificationFlood(
  url: string,
  room: { readonly roomId: string; readonly token: string },
  localAddress: string,
): { stop(): Promise<FloodReport> } {
  const attack = { url, roomId: room.roomId, token: room.token, localAddress };
  return startFlood([
    { ...attack, read: false, perSecond: 150, message: SYNC_STEP1_EMPTY, reconnect: true },
    ...Array.from({ length: 4 }, () => ({
      ...attack,
      read: true,
      perSecond: 20,
      message: SYNC_STEP1_EMPTY,
      reconnect: true,
    })),
  ]);
}

// ---------------------------------------------------------------- half-open upgrades

/**
 * A TCP connection from `localAddress` that starts an upgrade request and never finishes its
 * headers: it costs the relay a socket and a parser while being invisible to WebSocket limits.
 */
export function halfOpenUpgrade(port: number, localAddress: string, roomId: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => {
      socket.write(
        `GET /${roomId}?token=${'0'.repeat(64)} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
          'Upgrade: websocket\r\nConnection: Upgrade\r\n',
      );
      resolve(socket);
    });
    // Read (and discard) whatever comes back, so a close by the relay ends and destroys the socket.
    socket.resume();
    socket.once('error', reject);
    onCleanup(() => socket.destroy());
  });
}
