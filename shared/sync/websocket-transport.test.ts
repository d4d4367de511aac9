import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import NodeWebSocket, { WebSocketServer } from 'ws';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { GroupId } from '../ledger/types';
import type { Transport, TransportError, TransportStatus } from './transport';
import { websocketTransport } from './websocket-transport';

/** A socket the test opens, fails and closes by hand (y-websocket only needs these members). */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static created: FakeSocket[] = [];
  readonly CONNECTING = 0;
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  binaryType = 'blob';
  readyState = 0;
  onopen: (() => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  onmessage: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.created.push(this);
  }
  send(): void {}
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  /** What a browser does when the relay cannot be reached: error, then close 1006. */
  fail(): void {
    this.readyState = 3;
    this.onerror?.({});
    this.onclose?.({ code: 1006, reason: '' });
  }
}

const latest = () => FakeSocket.created[FakeSocket.created.length - 1]!;

describe('websocketTransport status', () => {
  let statuses: TransportStatus[];
  let errors: TransportError[];
  let transport: Transport;
  let doc: Y.Doc;

  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.created = [];
    statuses = [];
    errors = [];
    doc = new Y.Doc();
    const factory = websocketTransport('ws://relay.invalid', {
      WebSocketPolyfill: FakeSocket as unknown as typeof WebSocket,
      maxBackoffTime: 1000,
    });
    transport = factory({
      doc,
      awareness: new Awareness(doc),
      groupId: 'g1' as GroupId,
      token: 't',
      onStatus: (s) => statuses.push(s),
      onSynced: () => undefined,
      onError: (m) => errors.push(m),
    });
  });

  afterEach(() => {
    transport.destroy();
    doc.destroy();
    vi.useRealTimers();
  });

  it('reports connecting during the first attempt, then disconnected when the relay is unreachable', () => {
    expect(statuses.at(-1)).toBe('connecting');
    latest().fail();
    expect(statuses.at(-1)).toBe('disconnected');
    expect(errors.some((e) => e.code === 'unreachable' && e.message.includes('Cannot reach the relay'))).toBe(
      true,
    );
  });

  it('stays disconnected through background retries until a socket opens', () => {
    latest().fail();
    const attempts = FakeSocket.created.length;
    vi.advanceTimersByTime(2000);
    expect(FakeSocket.created.length).toBeGreaterThan(attempts);
    expect(statuses.at(-1)).toBe('disconnected');
    latest().fail();
    vi.advanceTimersByTime(2000);
    expect(statuses.at(-1)).toBe('disconnected');
    latest().open();
    expect(statuses.at(-1)).toBe('connected');
  });

  it('goes from connected to disconnected when an open connection drops', () => {
    latest().open();
    expect(statuses.at(-1)).toBe('connected');
    latest().fail();
    expect(statuses.at(-1)).toBe('disconnected');
    vi.advanceTimersByTime(2000);
    expect(statuses.at(-1)).toBe('disconnected');
  });
});

describe('websocketTransport against a relay that closes with the contract codes', () => {
  /** A tiny relay stand-in: accepts the upgrade, then closes with whatever `closeWith` says. */
  let server: WebSocketServer;
  let url: string;
  let connections: number;
  let closeWith: (attempt: number) => { code: number; reason: string } | null;
  let doc: Y.Doc;
  let transport: Transport | undefined;
  let errors: TransportError[];
  let statuses: TransportStatus[];

  beforeEach(async () => {
    connections = 0;
    errors = [];
    statuses = [];
    closeWith = () => null;
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (socket) => {
      connections++;
      const close = closeWith(connections);
      if (close) socket.close(close.code, close.reason);
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    doc = new Y.Doc();
  });

  afterEach(async () => {
    transport?.destroy();
    transport = undefined;
    doc.destroy();
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function start(): void {
    transport = websocketTransport(url, { WebSocketPolyfill: NodeWebSocket as never, maxBackoffTime: 100 })({
      doc,
      awareness: new Awareness(doc),
      groupId: 'g1' as GroupId,
      token: 't',
      onStatus: (s) => statuses.push(s),
      onSynced: () => undefined,
      onError: (e) => errors.push(e),
    });
  }

  const until = async (check: () => boolean, ms = 3000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('4401: invite_key_mismatch, and no retry ever', async () => {
    closeWith = () => ({ code: 4401, reason: 'invite key does not match this group' });
    start();
    await until(() => errors.length > 0);
    expect(errors.at(-1)).toMatchObject({ code: 'invite_key_mismatch', closeCode: 4401 });
    expect(errors.at(-1)!.retryAt).toBeUndefined();
    expect(errors.at(-1)!.message).toMatch(/does not match the group/);
    await pause(600); // several backoff periods of 100 ms
    expect(connections).toBe(1);
    expect(statuses.at(-1)).toBe('disconnected');
  });

  for (const code of [4429, 4503]) {
    it(`${code}: relay_busy with retryAt from retry-after, then reconnects at that time`, async () => {
      closeWith = (n) => (n === 1 ? { code, reason: 'relay busy; retry-after=1' } : null);
      const before = Date.now();
      start();
      await until(() => errors.length > 0);
      const error = errors.at(-1)!;
      expect(error.code).toBe('relay_busy');
      expect(error.retryAt).toBeGreaterThanOrEqual(before + 1000);
      expect(error.retryAt).toBeLessThanOrEqual(Date.now() + 1000);
      // y-websocket alone would be back within its 100 ms backoff.
      await pause(500);
      expect(connections).toBe(1);
      await until(() => connections === 2 && statuses.at(-1) === 'connected', 3000);
      expect(Date.now()).toBeGreaterThanOrEqual(error.retryAt!);
    });
  }

  it('4413 room size: room_full, waits the default 300 s, never stops', async () => {
    closeWith = () => ({ code: 4413, reason: 'room size limit reached' });
    const before = Date.now();
    start();
    await until(() => errors.length > 0);
    const error = errors.at(-1)!;
    expect(error.code).toBe('room_full');
    expect(error.retryAt).toBeGreaterThanOrEqual(before + 300_000);
    expect(error.retryAt).toBeLessThanOrEqual(Date.now() + 300_000);
    await pause(400);
    expect(connections).toBe(1);
  });

  it('4413 author quota: author_quota with retry-after, then tries again', async () => {
    closeWith = (n) => (n === 1 ? { code: 4413, reason: 'author quota reached; retry-after=1' } : null);
    start();
    await until(() => errors.length > 0);
    expect(errors.at(-1)).toMatchObject({ code: 'author_quota', closeCode: 4413 });
    await until(() => connections === 2, 3000);
  });

  it('4400 / 1013: reported, and retried with the usual backoff', async () => {
    closeWith = (n) =>
      n === 1
        ? { code: 4400, reason: 'update refused: too many pending structs' }
        : n === 2
          ? { code: 1013, reason: 'client is not reading fast enough' }
          : null;
    start();
    await until(() => connections >= 3 && statuses.at(-1) === 'connected', 3000);
    expect(errors.map((e) => e.code)).toEqual(['refused', 'refused']);
    expect(errors[0]!.message).toMatch(/4400/);
  });

  it('no relay at all: unreachable', async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server = new WebSocketServer({ noServer: true }); // closed again by afterEach
    start();
    await until(() => errors.length > 0);
    expect(errors.at(-1)!.code).toBe('unreachable');
    expect(statuses.at(-1)).toBe('disconnected');
  });

  it('destroy cancels a scheduled retry', async () => {
    closeWith = () => ({ code: 4429, reason: 'relay busy; retry-after=1' });
    start();
    await until(() => errors.length > 0);
    transport!.destroy();
    transport = undefined;
    await pause(1300);
    expect(connections).toBe(1);
  });
});
