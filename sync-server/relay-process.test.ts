import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { randomRoomId, randomToken, signedEntries, upgradeStatus, waitFor } from './test-support';
import { relayTestKit } from './relay-test-kit';

const { relayProcess, client, tempDir, defer } = relayTestKit('relay-process-test');

/** Writes `count` entries, one update each, and waits until a second client got all of them. */
async function writeThroughRelay(url: string, room: string, token: string, count: number): Promise<void> {
  const entries = await signedEntries(room, count, 2);
  const writer = client(url, room, token);
  const witness = client(url, room, token);
  await Promise.all([writer.synced(), witness.synced()]);
  for (const entry of entries) writer.entries.set(entry.id, entry.bytes);
  await waitFor(() => witness.entries.size === count, 10_000, 'witness to receive every entry');
}

async function entriesAfterRestart(dataDir: string, room: string, token: string): Promise<number> {
  const restarted = await relayProcess(dataDir);
  const fresh = client(restarted.url, room, token);
  await fresh.synced();
  return fresh.entries.size;
}

describe('relay process', () => {
  it('stops on SIGTERM with exit code 0 and keeps the data', async () => {
    const dir = await tempDir();
    const [room, token] = [randomRoomId(), randomToken()];
    const relay = await relayProcess(dir);
    await writeThroughRelay(relay.url, room, token, 20);

    relay.child.kill('SIGTERM');
    expect(await relay.exited).toEqual({ code: 0, signal: null });
    expect(await entriesAfterRestart(dir, room, token)).toBe(20);
  });

  it('loses no forwarded update when killed with SIGKILL', async () => {
    const dir = await tempDir();
    const [room, token] = [randomRoomId(), randomToken()];
    const relay = await relayProcess(dir);
    // No grace period: the relay writes each batch before forwarding it, so an update the
    // witness received is already on disk when the process dies.
    await writeThroughRelay(relay.url, room, token, 50);

    relay.child.kill('SIGKILL');
    expect((await relay.exited).signal).toBe('SIGKILL');
    expect(await entriesAfterRestart(dir, room, token)).toBe(50);
  });

  it('exits 2 with a readable message on a bad setting, before listening', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./cli.ts', import.meta.url))],
      {
        env: { ...process.env, PORT: '0', DATA_DIR: ':memory:', LIMIT_MAX_ROOMS: 'lots' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('LIMIT_MAX_ROOMS must be a positive whole number, got "lots"');
  });

  it('bounds half-open upgrades per address before HTTP parsing, and times their headers out', async () => {
    const relay = await relayProcess(':memory:', {
      LIMIT_MAX_TCP_CONNECTIONS_PER_IP: '8',
      LIMIT_HEADERS_TIMEOUT_SECONDS: '1',
    });
    const { port } = new URL(relay.url);
    // Slowloris: request heads that never end, from one address.
    const sockets: Socket[] = [];
    for (let i = 0; i < 12; i++) {
      const socket = connect({ host: '127.0.0.1', port: Number(port), localAddress: '127.0.0.7' });
      socket.on('error', () => {});
      socket.resume(); // read, so the relay's 408 and close are seen
      socket.write(`GET /${randomRoomId()}?token=${randomToken()} HTTP/1.1\r\nHost: relay\r\n`);
      sockets.push(socket);
      defer(() => socket.destroy());
    }
    await waitFor(() => sockets.filter((s) => !s.closed).length <= 8, 3000, 'the surplus to be dropped');
    // Another address is unaffected meanwhile.
    expect(await upgradeStatus(relay.url, `/${randomRoomId()}?token=${randomToken()}`)).toBe(101);
    // The header timeout then frees the rest.
    await waitFor(() => sockets.every((s) => s.closed), 5000, 'half-open requests to time out').catch((e) => {
      throw new Error(`${e}: ${sockets.filter((s) => !s.closed).length} open`);
    });
  });
});
