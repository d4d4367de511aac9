// A tiny static server for the browser build (out/web): loopback only, correct MIME types,
// SPA fallback to index.html, a CSP like the desktop app's, and /config.json telling the app
// which relay to use. Used by `npm run web` (scripts/start.mjs) and the end-to-end tests.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, isAbsolute, relative, resolve } from 'node:path';

const HOST = '127.0.0.1';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

// Hosts as CSP can carry them: URL hosts may contain `;` or `,`, which would inject directives.
const CSP_SAFE_HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** ws:/wss: origin of the relay for connect-src, or null. */
function relayOrigin(relayUrl) {
  try {
    const url = new URL(relayUrl);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return null;
    if (url.username || url.password || !CSP_SAFE_HOST.test(url.host)) return null;
    return `${url.protocol}//${url.host}`;
  } catch {
    return null;
  }
}

/**
 * The production policy of electron/main/csp.ts, for the browser build (see there for why
 * `wss:` is open: invites can name any TLS relay; cleartext ws: only for loopback or the
 * relay this server was started with).
 */
export function webCsp(relayUrl) {
  const connect = ["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*', 'wss:'];
  const relay = relayOrigin(relayUrl);
  if (relay?.startsWith('ws:') && !/^ws:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?$/.test(relay))
    connect.push(relay);
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The file a URL path names inside `root`, or null when it would escape it. */
function fileFor(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const target = resolve(root, `.${decoded}`);
  const rel = relative(root, target);
  if (rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel === '' ? resolve(root, 'index.html') : target;
}

/**
 * Serves `dir` on http://127.0.0.1:<port> (port 0 = any free port).
 * @param {{ dir: string, port?: number, relayUrl?: string | null }} options
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function serveWeb({ dir, port = 5173, relayUrl = null }) {
  const root = resolve(dir);
  const csp = webCsp(relayUrl);
  const baseHeaders = {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
  let allowedHosts = new Set();

  const server = createServer(async (req, res) => {
    const send = (status, type, body, extra = {}) => {
      res.writeHead(status, { ...baseHeaders, 'content-type': type, ...extra });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    // Only our own host name: a DNS-rebinding page must not read the app through this server.
    if (!allowedHosts.has(req.headers.host ?? '')) return send(421, 'text/plain', 'Misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, 'text/plain', 'Method not allowed', { allow: 'GET, HEAD' });
    }
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname === '/config.json') {
      return send(200, CONTENT_TYPES['.json'], JSON.stringify({ relayUrl }), { 'cache-control': 'no-store' });
    }
    const file = fileFor(root, pathname);
    if (!file) return send(404, 'text/plain', 'Not found');
    try {
      const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      return send(200, type, await readFile(file), { 'cache-control': 'no-cache' });
    } catch {
      // Client-side routes have no extension: answer with the app shell.
      if (extname(file) !== '') return send(404, 'text/plain', 'Not found');
      try {
        return send(200, CONTENT_TYPES['.html'], await readFile(resolve(root, 'index.html')), {
          'cache-control': 'no-cache',
        });
      } catch {
        return send(404, 'text/plain', 'Not found (is the web app built? npm run build:web)');
      }
    }
  });

  await new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const actualPort = server.address().port;
  allowedHosts = new Set([`${HOST}:${actualPort}`, `localhost:${actualPort}`]);
  return {
    url: `http://${HOST}:${actualPort}/`,
    port: actualPort,
    close: () =>
      new Promise((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      }),
  };
}
