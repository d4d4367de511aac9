import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAppRequestHandler, registerAppScheme, resolveInside } from './app-protocol';

const { protocol } = vi.hoisted(() => ({
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
}));
vi.mock('electron', () => ({ protocol }));

let root: string;
let handle: (request: Request) => Promise<Response>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tally-app-protocol-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(root, 'assets', 'main.js'), 'console.log(1)');
  await writeFile(join(root, 'assets', 'style.css'), 'body{}');
  await writeFile(join(root, '..', `${root.split('/').pop()}-secret.txt`), 'secret');
  handle = createAppRequestHandler({
    rendererDir: root,
    csp: "default-src 'self'",
    config: async () => ({ relayUrl: 'ws://127.0.0.1:4455' }),
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(join(root, '..', `${root.split('/').pop()}-secret.txt`), { force: true });
});

const get = (url: string, method = 'GET') => handle(new Request(url, { method }));

describe('registerAppScheme', () => {
  it('declares app:// standard and secure', () => {
    registerAppScheme();
    const [schemes] = protocol.registerSchemesAsPrivileged.mock.calls[0]!;
    expect(schemes).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
  });
});

describe('app:// request handler', () => {
  it('serves files with their content type and the CSP', async () => {
    const js = await get('app://tally/assets/main.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await js.text()).toBe('console.log(1)');
    expect((await get('app://tally/assets/style.css')).headers.get('content-type')).toContain('text/css');
  });

  it('serves index.html for / and for client-side routes, 404 for missing assets', async () => {
    expect(await (await get('app://tally/')).text()).toContain('id="root"');
    const route = await get('app://tally/groups/abc');
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toContain('text/html');
    expect((await get('app://tally/assets/missing.js')).status).toBe(404);
  });

  it('never serves files outside the renderer folder', async () => {
    const name = `${root.split('/').pop()}-secret.txt`;
    for (const path of [`/../${name}`, `/%2e%2e/${name}`, `/assets/..%2f..%2f${name}`, '/%00']) {
      const res = await get(`app://tally${path}`);
      expect(await res.text()).not.toBe('secret');
    }
  });

  it('answers only its own host and only GET/HEAD', async () => {
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://tally/index.html', 'POST')).status).toBe(405);
    const head = await get('app://tally/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('serves the runtime config as /config.json', async () => {
    const res = await get('app://tally/config.json');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ relayUrl: 'ws://127.0.0.1:4455' });
  });
});

describe('resolveInside', () => {
  it('maps URL paths into the folder and refuses escapes', () => {
    expect(resolveInside('/srv/app', '/assets/a.js')).toBe('/srv/app/assets/a.js');
    expect(resolveInside('/srv/app', '/')).toBe('/srv/app/index.html');
    expect(resolveInside('/srv/app', '/%2e%2e/secret')).toBeNull();
    expect(resolveInside('/srv/app', '/a/%2e%2e/%2e%2e/secret')).toBeNull();
    expect(resolveInside('/srv/app', '/%E0%A4%A')).toBeNull();
  });
});
