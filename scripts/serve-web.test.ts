import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCsp } from '../electron/main/csp';
import { serveWeb, type WebServer, webCsp } from './serve-web.mjs';

let dir: string;
let server: WebServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-serve-web-'));
  await mkdir(join(dir, 'web', 'assets'), { recursive: true });
  await writeFile(join(dir, 'web', 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(dir, 'web', 'assets', 'app.js'), 'export {}');
  await writeFile(join(dir, 'web', 'assets', 'app.css'), 'body{}');
  await writeFile(join(dir, 'secret.txt'), 'secret');
  server = await serveWeb({ dir: join(dir, 'web'), port: 0, relayUrl: 'wss://relay.example.org/base' });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Raw request, so paths reach the server exactly as written (fetch would normalise "..") */
function raw(path: string, options: { method?: string; host?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path,
          method: options.method ?? 'GET',
          headers: { host: options.host ?? `127.0.0.1:${server.port}` },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('error', reject);
      req.end();
    },
  );
}

describe('serveWeb', () => {
  it('listens on loopback only', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('serves files with the right types and a strict CSP', async () => {
    const js = await fetch(`${server.url}assets/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${server.url}assets/app.css`)).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
    const csp = js.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\* ws:\/\/localhost:\* wss:(;|$)/);
    expect(csp.match(/'[a-z-]*unsafe[a-z-]*'/g)).toEqual(["'wasm-unsafe-eval'"]);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('falls back to index.html for app routes but not for missing assets', async () => {
    expect(await (await fetch(server.url)).text()).toContain('id="root"');
    const route = await fetch(`${server.url}groups/abc`);
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toContain('text/html');
    expect((await fetch(`${server.url}assets/nope.js`)).status).toBe(404);
  });

  it('serves the relay URL as /config.json', async () => {
    const res = await fetch(`${server.url}config.json`);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ relayUrl: 'wss://relay.example.org/base' });
  });

  it('never serves files outside the folder', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const res = await raw(path);
      expect(res.body).not.toBe('secret');
    }
  });

  it('refuses other methods and foreign Host headers (DNS rebinding)', async () => {
    expect((await raw('/', { method: 'POST' })).status).toBe(405);
    expect((await raw('/', { host: 'evil.example' })).status).toBe(421);
    expect((await raw('/', { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('reports a busy port instead of moving elsewhere', async () => {
    await expect(serveWeb({ dir, port: server.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('sends the same policy as the desktop app', () => {
    const relays = [
      'wss://relay.example.org',
      'ws://127.0.0.1:4455',
      'ws://10.0.0.2:1234',
      'ws://a.org;x/',
      null,
    ];
    for (const relay of [...relays, 'https://not-a-relay']) {
      expect(webCsp(relay)).toBe(buildCsp({ relayUrl: relay }));
    }
  });
});
