import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { lanRelayStarter, startEmbeddedRelay } from './relay-processes';
import type { RelayChild } from './relay-supervisor';

class Child extends EventEmitter implements RelayChild {
  readonly received: Array<Record<string, unknown>> = [];
  postMessage(message: Record<string, unknown>) {
    this.received.push(message);
    if (message.type === 'start') {
      const port = (message.port as number) || 6100;
      setImmediate(() => this.emit('message', { type: 'ready', url: `ws://127.0.0.1:${port}`, port }));
    }
    if (message.type === 'stop') setImmediate(() => this.emit('exit', 0));
  }
  kill() {
    return true;
  }
}

const G1 = 'a'.repeat(32);
const G2 = 'b'.repeat(32);

describe('the LAN relay in its own process', () => {
  it('sends the served rooms as hex, keeps them current, never moves its port', async () => {
    const child = new Child();
    const start = lanRelayStarter(
      () => child,
      () => undefined,
    );
    const rooms = new Map([[G1, new Uint8Array(32).fill(0xab)]]);
    const handle = await start({ host: '0.0.0.0', port: 0, dataDir: null, allowRooms: rooms });
    expect(handle.port).toBe(6100);
    expect(child.received[0]).toEqual({
      type: 'start',
      host: '0.0.0.0',
      port: 0,
      dataDir: null,
      fallbackToFreePort: false,
      allowRooms: [[G1, 'ab'.repeat(32)]],
    });
    handle.setRooms!(new Map([[G2, new Uint8Array(32).fill(1)]]));
    expect(child.received.at(-1)).toEqual({ type: 'rooms', rooms: [[G2, '01'.repeat(32)]] });
    await handle.close();
    expect(child.received.at(-1)).toEqual({ type: 'stop' });
  });

  it('refuses a callback room filter (it cannot cross a process boundary)', async () => {
    const start = lanRelayStarter(
      () => new Child(),
      () => undefined,
    );
    await expect(start({ host: '0.0.0.0', port: 0, dataDir: null, allowRooms: () => true })).rejects.toThrow(
      /room list/,
    );
  });
});

describe('the loopback relay in its own process', () => {
  it('falls back to a free port when its own is taken, and reports where it listens', async () => {
    const child = new Child();
    const relay = await startEmbeddedRelay(
      { mode: 'embedded', host: '127.0.0.1', port: 4455, dataDir: '/d/relay' },
      () => child,
      () => undefined,
    );
    expect(child.received[0]).toMatchObject({
      fallbackToFreePort: true,
      allowRooms: null,
      dataDir: '/d/relay',
    });
    expect(relay.address()).toEqual({ url: 'ws://127.0.0.1:4455', port: 4455 });
    await relay.close();
  });
});
