import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { GroupId } from '../ledger/types';
import type { Transport, TransportStatus } from './transport';
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
  let errors: string[];
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
    expect(errors.some((e) => e.includes('Cannot reach the relay'))).toBe(true);
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
