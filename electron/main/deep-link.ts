import { resolve } from 'node:path';
import { err, ok, type Result } from '../../shared/errors';

/**
 * The app's own scheme. `wallet://` is a generic word other apps (crypto wallets above all) also
 * register, and on Windows and Linux the last one installed wins: an invite carries the group key
 * in its fragment, so a click must not land in someone else's app. `tally://` is ours.
 */
export const INVITE_SCHEME = 'tally';
/** Still accepted (invites already shared use it) and registered, until those links have aged out. */
export const LEGACY_INVITE_SCHEME = 'wallet';
export const INVITE_SCHEMES: readonly string[] = [INVITE_SCHEME, LEGACY_INVITE_SCHEME];
/**
 * The form handed to the renderer. Its invite parser (renderer/src/lib/invite.ts) reads
 * `wallet://join…`; both schemes carry the same parameters, so the shell rewrites to that one.
 */
const CANONICAL_SCHEME = LEGACY_INVITE_SCHEME;
export const MAX_INVITE_LENGTH = 2048;
const MAX_PARAMS = 16;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
// Printable ASCII without space: a real invite percent-encodes everything else.
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

export type DeepLinkErrorCode = 'DEEPLINK_INVALID';

/**
 * Checks the shape of a `tally://join?…[#…]` (or legacy `wallet://…`) invite, or a
 * `tally://link?…#…` device link, and returns it in canonical form. The shell
 * only checks syntax (scheme, host, no credentials/port/path, sane parameters, bounded size);
 * what the parameters mean is validated by the app's invite parser in the renderer.
 */
export function parseInviteLink(raw: unknown): Result<string, DeepLinkErrorCode> {
  const invalid = (why: string) => err('DEEPLINK_INVALID' as const, `Not a valid invite link: ${why}.`);
  if (typeof raw !== 'string') return invalid('not text');
  if (raw.length === 0 || raw.length > MAX_INVITE_LENGTH) return invalid('empty or too long');
  if (!PRINTABLE_ASCII.test(raw)) return invalid('contains spaces or unencoded characters');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return invalid('does not parse');
  }
  if (!INVITE_SCHEMES.some((scheme) => url.protocol === `${scheme}:`)) return invalid('wrong scheme');
  const action = url.hostname.toLowerCase();
  if (action !== 'join' && action !== 'link') return invalid('unknown action');
  // A device link (docs/protocol.md §16) exists only as tally://link.
  if (action === 'link' && url.protocol !== `${INVITE_SCHEME}:`) return invalid('unknown action');
  if (url.username || url.password || url.port) return invalid('unexpected credentials or port');
  // Some OS launchers append a slash ("wallet://join/?…"); any other path is not ours.
  if (url.pathname !== '' && url.pathname !== '/') return invalid('unexpected path');
  const names = [...url.searchParams.keys()];
  if (names.length === 0) return invalid('no parameters');
  if (names.length > MAX_PARAMS) return invalid('too many parameters');
  if (names.some((n) => !PARAM_NAME.test(n))) return invalid('bad parameter name');
  if (new Set(names).size !== names.length) return invalid('repeated parameter');
  if (action === 'link') return ok(`${INVITE_SCHEME}://link${url.search}${url.hash}`);
  return ok(`${CANONICAL_SCHEME}://join${url.search}${url.hash}`);
}

/**
 * The first valid invite link among command-line arguments: on Windows and Linux the OS starts
 * the app (or a second instance) with the link as an argument. Invalid links are ignored.
 */
export function findInviteInArgv(argv: readonly string[]): string | null {
  for (const arg of argv) {
    const lower = arg.toLowerCase();
    if (!INVITE_SCHEMES.some((scheme) => lower.startsWith(`${scheme}:`))) continue;
    const parsed = parseInviteLink(arg);
    if (parsed.ok) return parsed.value;
  }
  return null;
}

interface ProtocolClientApp {
  setAsDefaultProtocolClient(protocol: string, path?: string, args?: string[]): boolean;
}

/**
 * Registers the app as the tally:// and wallet:// handler. When run unpackaged (`electron .`)
 * the OS must launch Electron with the app path, or the link would open a bare Electron.
 * True when every scheme was registered.
 */
export function registerInviteProtocol(
  app: ProtocolClientApp,
  proc: Pick<NodeJS.Process, 'defaultApp' | 'argv' | 'execPath'> = process,
): boolean {
  const appPath = proc.argv[1];
  const results = INVITE_SCHEMES.map((scheme) =>
    proc.defaultApp && appPath
      ? app.setAsDefaultProtocolClient(scheme, proc.execPath, [resolve(appPath)])
      : app.setAsDefaultProtocolClient(scheme),
  );
  return results.every(Boolean);
}

export interface InviteTarget {
  send(channel: string, url: string): void;
}

/**
 * Hands invites to the renderer. Links can arrive before the window has loaded (a cold start
 * from a link, macOS 'open-url' before ready): they wait here until a target is set.
 */
export class InviteDispatcher {
  private readonly pending: string[] = [];
  private target: InviteTarget | null = null;

  constructor(private readonly channel: string) {}

  deliver(url: string): void {
    if (this.target) this.target.send(this.channel, url);
    else if (this.pending.length < 8) this.pending.push(url);
  }

  setTarget(target: InviteTarget | null): void {
    this.target = target;
    if (!target) return;
    for (const url of this.pending.splice(0)) target.send(this.channel, url);
  }
}
