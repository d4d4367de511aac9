import type { Session } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildCsp, buildMetaCsp, installCspHeader, relayOriginForCsp } from './csp';

function directives(csp: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) map.set(name, sources);
  }
  return map;
}

describe('buildCsp (production)', () => {
  const csp = buildCsp({ relayUrl: 'wss://relay.example.org:8443/some/path?x=1' });
  const d = directives(csp);

  it('has the required restrictive directives', () => {
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'none'"]);
  });

  it('never allows eval or inline code (only WebAssembly compilation)', () => {
    const sources = [...d.values()].flat();
    expect(sources).not.toContain("'unsafe-eval'");
    expect(sources).not.toContain("'unsafe-inline'");
    expect(sources.filter((s) => s.includes('unsafe'))).toEqual(["'wasm-unsafe-eval'"]);
    expect(csp).not.toContain('*;');
  });

  it('admits cleartext ws: to any host only while LAN sync is on (LAN relays are found at run time)', () => {
    expect(directives(buildCsp({ lan: true })).get('connect-src')).toContain('ws:');
    expect(directives(buildCsp({ lan: false })).get('connect-src')).not.toContain('ws:');
    expect(directives(buildCsp()).get('connect-src')).not.toContain('ws:');
  });

  it('lets the page reach loopback relays and TLS relays, nothing else', () => {
    expect(d.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*', 'wss:']);
  });

  it('does not repeat a loopback relay the defaults already cover', () => {
    const c = directives(buildCsp({ relayUrl: 'ws://127.0.0.1:4455' })).get('connect-src');
    expect(c).toEqual(["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*', 'wss:']);
  });

  it('adds a configured cleartext relay origin (e.g. on the LAN), and only that origin', () => {
    const c = directives(buildCsp({ relayUrl: 'ws://192.168.1.20:4455/x' })).get('connect-src');
    expect(c).toEqual(["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*', 'wss:', 'ws://192.168.1.20:4455']);
  });

  it('ignores a relay setting that is not a ws/wss URL', () => {
    const injections = ['ws://x.org;script-src/', 'ws://x.org,a/', "ws://x'y.org/"];
    for (const bad of ['https://evil.example', ...injections, 'not a url', '']) {
      const c = directives(buildCsp({ relayUrl: bad })).get('connect-src');
      expect(c).toEqual(["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*', 'wss:']);
    }
  });
});

describe('buildCsp (development)', () => {
  it('relaxes inline script/style for the Vite dev server only, still without eval', () => {
    const d = directives(buildCsp({ devServerUrl: 'http://localhost:5173' }));
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'", "'unsafe-inline'"]);
    expect(d.get('connect-src')).toContain('ws://localhost:5173');
    expect([...d.values()].flat()).not.toContain("'unsafe-eval'");
  });
});

describe('relayOriginForCsp', () => {
  it('keeps scheme, host and port, dropping path and query', () => {
    expect(relayOriginForCsp('ws://127.0.0.1:4455/room?token=abc')).toBe('ws://127.0.0.1:4455');
    expect(relayOriginForCsp('wss://relay.example.org')).toBe('wss://relay.example.org');
    expect(relayOriginForCsp('ws://[::1]:4455')).toBe('ws://[::1]:4455');
  });
  it('rejects other schemes and credentials', () => {
    expect(relayOriginForCsp('http://relay.example.org')).toBeNull();
    expect(relayOriginForCsp('wss://user:pw@relay.example.org')).toBeNull();
    expect(relayOriginForCsp('ws://relay.example.org;script-src/')).toBeNull();
    expect(relayOriginForCsp(null)).toBeNull();
  });
});

describe('buildMetaCsp', () => {
  it('drops frame-ancestors (ignored in <meta>) and keeps script/style strict', () => {
    const d = directives(buildMetaCsp());
    expect(d.has('frame-ancestors')).toBe(false);
    expect(d.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(d.get('connect-src')).toEqual(["'self'", 'ws:', 'wss:']);
    expect([...d.values()].flat().filter((s) => s.includes('unsafe'))).toEqual(["'wasm-unsafe-eval'"]);
  });
});

describe('installCspHeader', () => {
  it('adds the policy to every response and keeps the other headers', () => {
    let listener: ((details: unknown, cb: (r: unknown) => void) => void) | undefined;
    const session = {
      webRequest: { onHeadersReceived: vi.fn((l) => (listener = l)) },
    } as unknown as Session;
    installCspHeader(session, "default-src 'self'");
    const callback = vi.fn();
    listener!({ responseHeaders: { 'Content-Type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src 'self'"] },
    });
  });
});
