/**
 * The app's own origin. Production pages load from the privileged `app://tally` scheme
 * (not file://, per Electron's security checklist), so the origin is stable and known;
 * in development the renderer comes from the electron-vite dev server instead.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'tally';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * `scheme://host[:port]` of a URL, or null when it does not parse or has no host.
 * Computed by hand because WHATWG `URL.origin` is "null" for non-special schemes like app://.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!parsed.host) return null;
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}

/** Builds the check "does this URL belong to the app?" for a fixed set of trusted origins. */
export function createOriginCheck(trustedOrigins: readonly string[]): (url: string) => boolean {
  const trusted = new Set(trustedOrigins.map((o) => originOf(o)).filter((o): o is string => o !== null));
  return (url: string) => {
    const origin = originOf(url);
    return origin !== null && trusted.has(origin);
  };
}
