/**
 * Set-up shared by the relay's tests: relays (in process or as a child process), clients and
 * temporary folders that are undone after each test. `relayTestKit()` registers its own
 * afterEach, so call it once at the top of a test file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import * as Y from 'yjs';
import { type RelayOptions, type RunningRelay, startRelay } from './relay';
import { connectClient, type RelayProcess, type SyncClient, startRelayProcess } from './test-support';

export interface RelayTestKit {
  /** Registers something to undo after the current test (undone in reverse order). */
  defer(cleanup: () => unknown): void;
  /** Forgets the cleanup registered last. */
  forgetLast(): void;
  /** An in-process relay on a free port, in memory unless `options` say otherwise; closed after the test. */
  relay(options?: RelayOptions): Promise<RunningRelay>;
  /** `cli.ts` as a child process on `dataDir` with `env` on top; killed (SIGKILL) after the test if still running. */
  relayProcess(dataDir: string, env?: Record<string, string>): Promise<RelayProcess>;
  /** A y-websocket client (starting from `state` when given); destroyed after the test. */
  client(url: string, roomId: string, token: string, state?: Uint8Array): SyncClient;
  /** A fresh folder under the OS temp folder, named `<prefix>-…`; removed after the test. */
  tempDir(): Promise<string>;
}

export function relayTestKit(prefix: string): RelayTestKit {
  let cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    const list = cleanups.reverse();
    cleanups = [];
    for (const cleanup of list) await cleanup();
  });
  const defer = (cleanup: () => unknown): void => {
    cleanups.push(cleanup);
  };
  return {
    defer,
    forgetLast: () => {
      cleanups.pop();
    },
    relay: async (options = {}) => {
      const running = await startRelay({ port: 0, dataDir: null, ...options });
      defer(() => running.close());
      return running;
    },
    relayProcess: async (dataDir, env = {}) => {
      const relay = await startRelayProcess({ DATA_DIR: dataDir, ...env });
      defer(async () => {
        if (relay.child.exitCode === null && relay.child.signalCode === null) relay.child.kill('SIGKILL');
        await relay.exited;
      });
      return relay;
    },
    client: (url, roomId, token, state) => {
      const c = connectClient(url, roomId, token);
      if (state !== undefined) Y.applyUpdate(c.doc, state);
      defer(() => c.destroy());
      return c;
    },
    tempDir: async () => {
      const dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
      defer(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
  };
}
