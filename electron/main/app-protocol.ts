import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './app-origin';
import { type CspSource, cspOf } from './csp';

/**
 * Declares app:// as a standard, secure scheme. Must run before the app is ready. "Secure"
 * makes the page a secure context (WebCrypto, IndexedDB); "standard" gives it a real origin
 * so relative URLs, storage and same-origin checks behave as on the web.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true },
    },
  ]);
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The file a URL path names inside `rootDir`, or null if it would escape it (`..`, encoded tricks). */
export function resolveInside(rootDir: string, urlPathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const root = resolve(rootDir);
  const target = resolve(root, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  const rel = relative(root, target);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel === '' ? resolve(root, 'index.html') : target;
}

export interface AppProtocolOptions {
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The Content-Security-Policy sent with every response (a function: computed at each). */
  csp: CspSource;
  /** Served as /config.json, the same runtime-config file the browser build reads. */
  config(): Promise<Record<string, unknown>>;
}

const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain' } });

/** Request handler for app://tally/…: static files, SPA fallback to index.html, /config.json. */
export function createAppRequestHandler(
  options: AppProtocolOptions,
): (request: Request) => Promise<Response> {
  const securityHeaders = () => ({
    'content-security-policy': cspOf(options.csp),
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
  });
  return async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return notFound();
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405 });
    }
    const withBody = (
      body: Uint8Array<ArrayBuffer> | string,
      type: string,
      extra: Record<string, string> = {},
    ) =>
      new Response(request.method === 'HEAD' ? null : body, {
        status: 200,
        headers: { ...securityHeaders(), 'content-type': type, ...extra },
      });

    if (url.pathname === '/config.json') {
      const body = JSON.stringify(await options.config());
      return withBody(body, CONTENT_TYPES['.json']!, { 'cache-control': 'no-store' });
    }
    const file = resolveInside(options.rendererDir, url.pathname);
    if (!file) return notFound();
    try {
      return withBody(new Uint8Array(await readFile(file)), contentTypeFor(file));
    } catch {
      // Client-side routes ("/groups/abc") have no extension: give them the app shell.
      if (extname(file) !== '') return notFound();
      const index = resolve(options.rendererDir, 'index.html');
      try {
        return withBody(new Uint8Array(await readFile(index)), CONTENT_TYPES['.html']!);
      } catch {
        return notFound();
      }
    }
  };
}

/** Serves the renderer over app:// (call after the app is ready). */
export function serveAppProtocol(options: AppProtocolOptions): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(options));
}
