import { type Session, shell, type WebContents } from 'electron';

const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * Whether a link may be handed to the OS browser: plain http(s) with a host and no embedded
 * credentials. Anything else (file:, javascript:, custom schemes that launch other apps) is
 * refused, because shell.openExternal with untrusted input can run programs.
 */
export function isSafeExternalUrl(url: string): boolean {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL_LENGTH) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
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
}

/** Locks one WebContents down: no navigation away, no new windows, no <webview>. */
export function hardenWebContents(contents: WebContents, options: HardenOptions): void {
  const blockForeign = (event: { url: string; preventDefault(): void }): void => {
    if (!options.isAppUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', blockForeign);
  contents.on('will-redirect', blockForeign);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links meant for the web go to the user's browser; the app never opens a second window.
    if (isSafeExternalUrl(url)) {
      shell.openExternal(url).catch(() => undefined);
    }
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
