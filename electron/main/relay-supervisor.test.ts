import { EventEmitter } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { startRelay } from '../../sync-server/relay';
import type { ParentMessage } from '../relay-process/protocol';
import { runRelayChild, type StartSyncRelay } from '../relay-process/run';
import { type RelayChild, RelayProcessError, SupervisedRelay } from './relay-supervisor';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.useRealTimers();
});

async function healthz(url: string): Promise<number | 'down'> {
  try {
    return (await fetch(`${url.replace(/^ws/, 'http')}/healthz`)).status;
  } catch {
    return 'down';
  }
}

/**
 * An in-process stand-in for a utility process running electron/relay-process/run.ts with the
 * real relay: messages are cloned both ways like structured clone does, "the process" can crash.
 */
class LoopChild extends EventEmitter implements RelayChild {
  static all: LoopChild[] = [];
  #toChild: ((event: { data: unknown }) => void) | null = null;
  #relay: { close(): Promise<void> } | null = null;
  #dead = false;

  constructor(start: StartSyncRelay = startRelay) {
    super();
    LoopChild.all.push(this);
    const port = {
      on: (_event: 'message', listener: (event: { data: unknown }) => void) => {
        this.#toChild = listener;
      },
      postMessage: (message: unknown) => {
        if (!this.#dead) setImmediate(() => this.emit('message', structuredClone(message)));
      },
    };
    runRelayChild(port, {
      start: async (options) => {
        const relay = await start(options);
        this.#relay = relay;
        return relay;
      },
      exit: (code) => this.#die(code),
    });
  }

  postMessage(message: unknown): void {
    if (!this.#dead) setImmediate(() => this.#toChild?.({ data: structuredClone(message) }));
  }

  kill(): boolean {
    void this.crash(-15);
    return true;
  }

  /** The process dies at once: its sockets close with it, nothing is flushed. */
  async crash(code = 134): Promise<void> {
    await this.#relay?.close().catch(() => undefined);
    this.#relay = null;
    this.#die(code);
  }

  #die(code: number): void {
    if (this.#dead) return;
    this.#dead = true;
    setImmediate(() => this.emit('exit', code));
  }
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tally-relay-process-'));
  dirs.push(dir);
  return dir;
}

const loopback = async (port = 0) => ({
  host: '127.0.0.1',
  port,
  dataDir: await tempDir(),
  fallbackToFreePort: true,
  allowRooms: null,
});

describe('the relay in its own process, with the real relay', () => {
  it('starts, serves, and on close flushes and exits', async () => {
    LoopChild.all.length = 0;
    const relay = new SupervisedRelay({ fork: () => new LoopChild(), request: await loopback() });
    const address = await relay.start();
    expect(address.url).toBe(`ws://127.0.0.1:${address.port}`);
    expect(await healthz(address.url)).toBe(200);
    const exited = new Promise((resolve) => LoopChild.all[0]!.once('exit', resolve));
    await relay.close();
    await relay.close(); // idempotent
    expect(await exited).toBe(0);
    expect(await healthz(address.url)).toBe('down');
  });

  it('restarts a crashed relay on the same port, so its URL stays valid', async () => {
    LoopChild.all.length = 0;
    const log = vi.fn();
    const relay = new SupervisedRelay({
      fork: () => new LoopChild(),
      request: await loopback(),
      initialBackoffMs: 20,
      log,
    });
    const first = await relay.start();
    await LoopChild.all[0]!.crash();
    expect(await healthz(first.url)).toBe('down');
    await vi.waitFor(async () => expect(await healthz(first.url)).toBe(200), { timeout: 5000 });
    expect(LoopChild.all).toHaveLength(2);
    expect(relay.restarts).toBe(1);
    expect(relay.address).toEqual(first);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('stopped unexpectedly (code 134)'));
    await relay.close();
  });

  it('moves the loopback relay to a free port when its port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const relay = new SupervisedRelay({ fork: () => new LoopChild(), request: await loopback(taken) });
      const address = await relay.start();
      expect(address.port).not.toBe(taken);
      expect(await healthz(address.url)).toBe(200);
      await relay.close();
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('reports a relay that cannot start at all, without retrying', async () => {
    let forks = 0;
    const relay = new SupervisedRelay({
      fork: () => {
        forks += 1;
        return new LoopChild(async () => {
          throw Object.assign(new Error('store is locked'), { code: 'LEVEL_LOCKED' });
        });
      },
      request: await loopback(),
      initialBackoffMs: 1,
    });
    const error = await relay.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayProcessError);
    expect(error).toMatchObject({ code: 'RELAY_START_FAILED', reason: 'LEVEL_LOCKED' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(forks).toBe(1);
  });
});

/** A scripted child: answers `start` as told, exits on `stop` unless stubborn, records what it was sent. */
class ScriptedChild extends EventEmitter implements RelayChild {
  readonly received: ParentMessage[] = [];
  constructor(
    private readonly onStart: (child: ScriptedChild) => void,
    private readonly stubborn = false,
  ) {
    super();
  }
  postMessage(message: unknown): void {
    this.received.push(message as ParentMessage);
    const type = (message as ParentMessage).type;
    if (type === 'start') this.onStart(this);
    if (type === 'stop' && !this.stubborn) queueMicrotask(() => this.emit('exit', 0));
  }
  kill = vi.fn(() => {
    queueMicrotask(() => this.emit('exit', -15));
    return true;
  });
  ready(port = 4455) {
    this.emit('message', { type: 'ready', url: `ws://127.0.0.1:${port}`, port });
  }
}

const request = { host: '127.0.0.1', port: 4455, dataDir: '/d', fallbackToFreePort: true, allowRooms: null };

describe('supervision', () => {
  it('backs off 500 ms, 1 s, 2 s … up to the cap between crashes, and starts over after a stable run', async () => {
    vi.useFakeTimers();
    const children: ScriptedChild[] = [];
    const relay = new SupervisedRelay({
      fork: () => {
        const child = new ScriptedChild((c) => c.ready());
        children.push(child);
        return child;
      },
      request,
      maxBackoffMs: 2000,
      stableMs: 60_000,
    });
    await relay.start();
    const pauses: number[] = [];
    for (let crash = 0; crash < 5; crash++) {
      const before = children.length;
      children.at(-1)!.emit('exit', 1);
      let waited = 0;
      while (children.length === before) {
        await vi.advanceTimersByTimeAsync(100);
        waited += 100;
      }
      pauses.push(waited);
    }
    expect(pauses).toEqual([500, 1000, 2000, 2000, 2000]);
    // A relay that ran a minute before crashing is not punished for the earlier ones.
    await vi.advanceTimersByTimeAsync(60_000);
    const before = children.length;
    children.at(-1)!.emit('exit', 1);
    await vi.advanceTimersByTimeAsync(500);
    expect(children.length).toBe(before + 1);
    await relay.close();
  });

  it('keeps retrying a restart that fails, and resends the latest rooms to each new process', async () => {
    vi.useFakeTimers();
    const children: ScriptedChild[] = [];
    let failNext = 0;
    const relay = new SupervisedRelay({
      fork: () => {
        const child = new ScriptedChild((c) => {
          if (failNext > 0) {
            failNext -= 1;
            c.emit('message', { type: 'failed', code: 'EADDRINUSE', message: 'port in use' });
            queueMicrotask(() => c.emit('exit', 1));
          } else c.ready(6100);
        });
        children.push(child);
        return child;
      },
      request: {
        ...request,
        host: '0.0.0.0',
        port: 0,
        dataDir: null,
        fallbackToFreePort: false,
        allowRooms: [],
      },
    });
    await relay.start();
    const rooms: Array<[string, string]> = [['a'.repeat(32), 'b'.repeat(64)]];
    relay.setRooms(rooms);
    expect(children[0]!.received.at(-1)).toEqual({ type: 'rooms', rooms });
    failNext = 2;
    children[0]!.emit('exit', 1);
    await vi.advanceTimersByTimeAsync(500 + 1000 + 2000);
    expect(children).toHaveLength(4);
    // Every restart asks for the port the relay had, and the rooms it serves now.
    for (const child of children.slice(1)) {
      expect(child.received[0]).toMatchObject({ type: 'start', port: 6100, allowRooms: rooms });
    }
    expect(relay.address).toEqual({ url: 'ws://127.0.0.1:6100', port: 6100 });
    await relay.close();
  });

  it('quitting waits for the relay to stop, a few seconds at most, then ends it', async () => {
    vi.useFakeTimers();
    const stubborn = new ScriptedChild((c) => c.ready(), true);
    const relay = new SupervisedRelay({ fork: () => stubborn, request, stopTimeoutMs: 3000 });
    await relay.start();
    let closed = false;
    void relay.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(2900);
    expect(closed).toBe(false);
    expect(stubborn.received.at(-1)).toEqual({ type: 'stop' });
    await vi.advanceTimersByTimeAsync(200);
    expect(closed).toBe(true);
    expect(stubborn.kill).toHaveBeenCalled();
  });

  it('does not restart a relay that exits because the app is quitting', async () => {
    vi.useFakeTimers();
    let forks = 0;
    const relay = new SupervisedRelay({
      fork: () => {
        forks += 1;
        return new ScriptedChild((c) => c.ready());
      },
      request,
    });
    await relay.start();
    await relay.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(forks).toBe(1);
  });

  it('times out a start that never answers, and ignores messages that do not parse', async () => {
    vi.useFakeTimers();
    const child = new ScriptedChild((c) => {
      c.emit('message', { type: 'ready', url: 'http://evil', port: 1 });
      c.emit('message', 'ready');
    });
    const relay = new SupervisedRelay({ fork: () => child, request, startTimeoutMs: 1000 });
    const started = relay.start().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await started).toMatchObject({ code: 'RELAY_START_TIMEOUT' });
    expect(child.kill).toHaveBeenCalled();
    expect(relay.address).toBeNull();
  });
});
