import { type Session, shell, type WebContents } from 'electron';
import { UserGestures } from './user-gesture';

const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * Whether a link may be handed to the OS browser: https with a host and no embedded credentials.
 * Anything else (file:, javascript:, custom schemes that launch other apps) is refused, because
 * shell.openExternal with untrusted input can run programs; plain http is refused too, the app
 * has no reason to send anyone to a page that can be rewritten on the way.
 */
export function isSafeExternalUrl(url: string): boolean {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL_LENGTH) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:') return false;
  return parsed.hostname !== '' && parsed.username === '' && parsed.password === '';
}

/**
 * Permissions the app's own pages get; everything else, and everything for any other origin,
 * is denied. Clipboard writes serve "copy invite link"; persistent storage keeps the local
 * ledger (IndexedDB) from being evicted under disk pressure; the loopback / local-network entries
 * let the page reach the in-process relay on 127.0.0.1 under Chromium's Local Network Access
 * rules (CSP connect-src still limits where it may connect).
 */
const APP_PERMISSIONS: ReadonlySet<string> = new Set([
  'clipboard-sanitized-write',
  'persistent-storage',
  'loopback-network',
  'local-network-access',
]);

export function isPermissionAllowed(
  permission: string,
  requestingUrl: string,
  isAppUrl: (url: string) => boolean,
): boolean {
  return APP_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}

export interface HardenOptions {
  /** True for URLs of the app itself (app://tally, or the dev server in development). */
  isAppUrl: (url: string) => boolean;
  /** Injected for tests: the clock of the gesture window. */
  now?: () => number;
}

/**
 * Locks one WebContents down: no navigation away, no new windows, no <webview>. A link the person
 * clicked (a real OS click or Enter/Space, within a second) to an https page opens in their
 * browser; nothing else ever reaches shell.openExternal.
 */
export function hardenWebContents(contents: WebContents, options: HardenOptions): void {
  const gestures = new UserGestures(options.now);
  contents.on('before-mouse-event', (_event, mouse) => gestures.noteMouse(mouse));
  contents.on('before-input-event', (_event, input) => gestures.noteKey(input));
  const openIfClicked = (url: string): void => {
    // Spent even when the URL is refused: a refused link must not leave a gesture to reuse.
    if (gestures.consume() && isSafeExternalUrl(url)) shell.openExternal(url).catch(() => undefined);
  };
  const blockForeign = (event: { url: string; preventDefault(): void }): boolean => {
    if (options.isAppUrl(event.url)) return false;
    event.preventDefault();
    return true;
  };
  // A plain <a href="https://…"> click navigates the window itself: kept in, sent to the browser.
  contents.on('will-navigate', (event) => {
    if (blockForeign(event)) openIfClicked(event.url);
  });
  contents.on('will-redirect', (event) => {
    blockForeign(event);
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // The app never opens a second window; a clicked web link goes to the user's browser.
    openIfClicked(url);
    return { action: 'deny' };
  });
}

/** Default-deny permission handling for a session. */
export function installPermissionHandlers(session: Session, isAppUrl: (url: string) => boolean): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, isAppUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, isAppUrl),
  );
  // USB / HID / serial devices: never.
  session.setDevicePermissionHandler(() => false);
}
