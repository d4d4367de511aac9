import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RELAY_PORT, hostRelay, type RelayHandle, resolveRelayConfig } from './relay-host';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tally-relay-host-'));
  dirs.push(dir);
  return dir;
}

async function healthz(url: string): Promise<number | 'down'> {
  try {
    return (await fetch(`${url.replace(/^ws/, 'http')}/healthz`)).status;
  } catch {
    return 'down';
  }
}

describe('resolveRelayConfig', () => {
  it('runs an embedded relay on loopback with data under userData by default', () => {
    expect(resolveRelayConfig({}, '/home/bo/.config/Tally')).toEqual({
      ok: true,
      value: {
        mode: 'embedded',
        host: '127.0.0.1',
        port: DEFAULT_RELAY_PORT,
        dataDir: '/home/bo/.config/Tally/relay',
      },
    });
  });

  it('honours TALLY_RELAY_PORT and TALLY_RELAY_URL', () => {
    expect(resolveRelayConfig({ TALLY_RELAY_PORT: '0' }, '/d')).toMatchObject({
      ok: true,
      value: { port: 0 },
    });
    expect(resolveRelayConfig({ TALLY_RELAY_URL: 'wss://relay.example.org' }, '/d')).toEqual({
      ok: true,
      value: { mode: 'external', url: 'wss://relay.example.org' },
    });
    expect(resolveRelayConfig({ TALLY_RELAY_URL: ' wss://example.org/sync/ ' }, '/d')).toMatchObject({
      value: { url: 'wss://example.org/sync' },
    });
  });

  it.each([
    [{ TALLY_RELAY_PORT: '70000' }],
    [{ TALLY_RELAY_PORT: '12.5' }],
    [{ TALLY_RELAY_PORT: 'http' }],
    [{ TALLY_RELAY_URL: 'https://relay.example.org' }],
    [{ TALLY_RELAY_URL: 'wss://u:p@relay.example.org' }],
    [{ TALLY_RELAY_URL: 'relay' }],
    [{ TALLY_RELAY_URL: 'wss://relay.example.org/?token=x' }],
  ])('rejects %o with RELAY_CONFIG_INVALID', (env) => {
    const r = resolveRelayConfig(env, '/d');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('RELAY_CONFIG_INVALID');
  });
});

describe('hostRelay with the real relay', () => {
  it('starts on loopback with its store in the data dir, and stops', async () => {
    const dataDir = join(await tempDir(), 'relay');
    const relay = await hostRelay({ mode: 'embedded', host: '127.0.0.1', port: 0, dataDir });
    expect(relay.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(relay.port).toBeGreaterThan(0);
    expect(await healthz(relay.url)).toBe(200);
    expect(existsSync(dataDir)).toBe(true);
    await relay.close();
    await relay.close(); // idempotent
    expect(await healthz(relay.url)).toBe('down');
  });

  it('moves to a free port when the configured one is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as { port: number }).port;
    try {
      const relay = await hostRelay({
        mode: 'embedded',
        host: '127.0.0.1',
        port: taken,
        dataDir: await tempDir(),
      });
      expect(relay.port).not.toBe(taken);
      expect(await healthz(relay.url)).toBe(200);
      await relay.close();
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('hostRelay error handling', () => {
  const config = { mode: 'embedded', host: '127.0.0.1', port: 4455, dataDir: '/d' } as const;

  it('does not retry other failures (a broken store must surface)', async () => {
    const start = vi.fn(async (): Promise<RelayHandle> => {
      throw Object.assign(new Error('locked'), { code: 'LEVEL_DATABASE_NOT_OPEN' });
    });
    await expect(hostRelay(config, start)).rejects.toThrow('locked');
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('closes the underlying relay once however often close is called', async () => {
    const close = vi.fn(async () => undefined);
    const relay = await hostRelay(config, async () => ({ url: 'ws://127.0.0.1:4455', port: 4455, close }));
    await Promise.all([relay.close(), relay.close()]);
    expect(close).toHaveBeenCalledTimes(1);
  });
});
