import type { Session } from 'electron';

export interface CspOptions {
  /** The relay the renderer syncs with (ws: or wss:); anything else is ignored. */
  relayUrl?: string | null;
  /** Set only in development: the electron-vite dev server the renderer is loaded from. */
  devServerUrl?: string | null;
  /**
   * "Sync with devices on this network" is on: relays found on the LAN are plain ws:// on
   * addresses only known at run time, after the page loaded, and CSP cannot name address ranges,
   * so cleartext websockets to any host are allowed while the person has chosen LAN sync. What
   * travels is the same signed, encrypted envelopes as to any relay.
   */
  lan?: boolean;
}

/** A policy, or how to compute it at each response (it changes with the LAN setting). */
export type CspSource = string | (() => string);

export const cspOf = (source: CspSource): string => (typeof source === 'string' ? source : source());

/**
 * Where the page may open websockets by default: loopback (the in-process relay, any port) and
 * any TLS relay. `wss:` is deliberate: an invite can name any relay (docs/invite-links.md), and
 * pinning connect-src to one relay would not stop exfiltration anyway, since a relay is a generic
 * store-and-forward channel. Cleartext ws: to other hosts is only allowed for a configured relay.
 */
const DEFAULT_WEBSOCKETS = ['ws://127.0.0.1:*', 'ws://localhost:*', 'wss:'];
const LOOPBACK_RELAY = /^ws:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?$/;

/**
 * Host names as CSP can carry them. WHATWG URLs allow characters such as `;` and `,` in hosts of
 * ws: URLs, which would end the directive and let a crafted relay setting add its own.
 */
const CSP_SAFE_HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The origin (`wss://host[:port]`) of a websocket relay URL, usable as a CSP source, or null
 * for anything that is not a plain ws:/wss: URL (so a bad setting cannot inject directives).
 */
export function relayOriginForCsp(relayUrl: string | null | undefined): string | null {
  if (!relayUrl) return null;
  let url: URL;
  try {
    url = new URL(relayUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return null;
  if (url.username || url.password || !CSP_SAFE_HOST.test(url.host)) return null;
  return `${url.protocol}//${url.host}`;
}

function websocketTwin(httpOrigin: string): string | null {
  const url = new URL(httpOrigin);
  if (url.protocol === 'http:') return `ws://${url.host}`;
  if (url.protocol === 'https:') return `wss://${url.host}`;
  return null;
}

const WASM = "'wasm-unsafe-eval'";

function serialize(directives: ReadonlyArray<readonly [string, readonly string[]]>): string {
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

/**
 * The Content-Security-Policy for the app window. Production allows no inline script or style
 * and never 'unsafe-eval' (React sets `style` props through the CSSOM, which CSP does not block,
 * and Vite emits CSS as files). 'wasm-unsafe-eval' lets the app compile WebAssembly (libsodium,
 * which opens entry bodies ~10× faster than JS) and nothing else: no string becomes script. Development adds 'unsafe-inline' only because Vite's dev server
 * injects the React Refresh preamble and CSS as inline elements.
 */
export function buildCsp(options: CspOptions = {}): string {
  const dev = Boolean(options.devServerUrl);
  const connect = ["'self'", ...DEFAULT_WEBSOCKETS];
  const relay = relayOriginForCsp(options.relayUrl);
  // wss: and loopback relays are already covered; a configured cleartext one (LAN) is added.
  if (relay?.startsWith('ws:') && !LOOPBACK_RELAY.test(relay)) connect.push(relay);
  if (options.lan) connect.push('ws:');
  if (options.devServerUrl) {
    const twin = websocketTwin(options.devServerUrl);
    if (twin) connect.push(twin);
  }
  return serialize([
    ['default-src', ["'self'"]],
    ['script-src', dev ? ["'self'", WASM, "'unsafe-inline'"] : ["'self'", WASM]],
    ['style-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', connect],
    ['worker-src', ["'self'"]],
    ['manifest-src', ["'self'"]],
    ['media-src', ["'none'"]],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ]);
}

/**
 * The policy for the `<meta>` fallback baked into the built index.html. It is the production
 * policy except: `frame-ancestors` is dropped (browsers ignore it in meta tags) and connect-src
 * admits any ws:/wss: origin, because the relay is only known at runtime. Both policies apply
 * together, so the stricter header still decides whenever it is present.
 */
export function buildMetaCsp(): string {
  return buildCsp()
    .split('; ')
    .filter((d) => !d.startsWith('frame-ancestors '))
    .map((d) => (d.startsWith('connect-src ') ? "connect-src 'self' ws: wss:" : d))
    .join('; ');
}

/**
 * Adds the policy to every response in the session (dev server pages included). It is added
 * next to any policy the server sent: when several policies are present all of them apply,
 * so this can only tighten what a response allows.
 */
export function installCspHeader(session: Session, csp: CspSource): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [cspOf(csp)] } });
  });
}
