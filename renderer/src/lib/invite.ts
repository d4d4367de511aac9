/**
 * Invite links. Two spellings of the same invite:
 *   app:  tally://join?relay=<relay>&group=<32 hex>#key=<base64url 32-byte key>
 *         (links from earlier versions say wallet://, still read: docs/desktop.md says why the scheme changed)
 *   web:  <app url>#/join?relay=<relay>&group=<32 hex>&key=<base64url key>
 * The group key only ever travels in the URL fragment, which browsers and the OS never send to a
 * server; a link that carries it in the query is refused so that it cannot be "fixed" by accident.
 * After a key rotation an invite also carries the current relay token (`rt`, 64 hex, fragment
 * only too): epoch 0's token, the one the key gives, stops working at the relay after a grace
 * period (docs/protocol.md §15, "Relay token").
 */
import { err, ok, type Result } from '../../../shared/errors';

export interface Invite {
  /** WebSocket URL of the relay (ws: or wss:). */
  readonly relay: string;
  /** 32 lower-case hex chars. */
  readonly groupId: string;
  /** The 256-bit group key, base64url without padding (43 chars). */
  readonly key: string;
  /** The relay token of the group's current key epoch (64 hex), when that is not epoch 0. */
  readonly relayToken?: string;
}

export type InviteErrorCode =
  | 'invite_empty'
  | 'invite_format'
  | 'invite_relay'
  | 'invite_group'
  | 'invite_key'
  | 'invite_key_in_query'
  | 'invite_relay_token'
  | 'invite_duplicate_param';

const GROUP_RE = /^[0-9a-f]{32}$/;
// 32 bytes in unpadded base64url are exactly 43 chars; the last char carries only 4 bits, so it
// must be one whose low 2 bits are zero (A, E, I, … , w, 0, 4, 8) to be canonical.
const KEY_RE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const TOKEN_RE = /^[0-9a-f]{64}$/;

export function isValidRelayUrl(relay: string): boolean {
  let u: URL;
  try {
    u = new URL(relay);
  } catch {
    return false;
  }
  return (u.protocol === 'ws:' || u.protocol === 'wss:') && u.hostname !== '' && u.username === '' && !u.hash;
}

export function isValidGroupKey(key: string): boolean {
  return KEY_RE.test(key);
}

export function formatAppInvite(invite: Invite): string {
  const q = new URLSearchParams({ relay: invite.relay, group: invite.groupId });
  const token = invite.relayToken === undefined ? '' : `&rt=${invite.relayToken}`;
  return `tally://join?${q.toString()}#key=${invite.key}${token}`;
}

/** `appUrl` is where the web app lives (origin + path, any fragment is dropped). */
export function formatWebInvite(invite: Invite, appUrl: string): string {
  const base = appUrl.split('#')[0] ?? appUrl;
  const q = new URLSearchParams({ relay: invite.relay, group: invite.groupId, key: invite.key });
  if (invite.relayToken !== undefined) q.set('rt', invite.relayToken);
  return `${base}#/join?${q.toString()}`;
}

/** Reads one parameter, refusing links that repeat it (which would make the meaning ambiguous). */
function single(params: URLSearchParams, name: string): Result<string | undefined, InviteErrorCode> {
  const all = params.getAll(name);
  if (all.length > 1) return err('invite_duplicate_param', `The link repeats “${name}”.`, { name });
  return ok(all[0]);
}

function build(query: URLSearchParams, keySource: URLSearchParams): Result<Invite, InviteErrorCode> {
  const relay = single(query, 'relay');
  if (!relay.ok) return relay;
  const group = single(query, 'group');
  if (!group.ok) return group;
  const key = single(keySource, 'key');
  if (!key.ok) return key;
  const token = single(keySource, 'rt');
  if (!token.ok) return token;
  if (!relay.value || !isValidRelayUrl(relay.value)) {
    return err('invite_relay', 'The link does not name a valid relay (ws:// or wss://).');
  }
  if (!group.value || !GROUP_RE.test(group.value)) {
    return err('invite_group', 'The link does not carry a valid group id.');
  }
  if (!key.value || !isValidGroupKey(key.value)) {
    return err('invite_key', 'The link does not carry a valid group key.');
  }
  if (token.value !== undefined && !TOKEN_RE.test(token.value)) {
    return err('invite_relay_token', 'The link carries a damaged relay token.');
  }
  return ok({
    relay: relay.value,
    groupId: group.value,
    key: key.value,
    ...(token.value !== undefined ? { relayToken: token.value } : {}),
  });
}

/** Parses either spelling of an invite. Never throws; an invalid link gives a typed error. */
export function parseInvite(text: string): Result<Invite, InviteErrorCode> {
  const input = text.trim();
  if (input === '') return err('invite_empty', 'Paste an invite link first.');
  if (/\s/.test(input)) return err('invite_format', 'This is not an invite link.');

  if (/^(tally|wallet):\/\//i.test(input)) {
    const m = /^(?:tally|wallet):\/\/join\/?\?([^#]*)#(.*)$/i.exec(input);
    if (!m) {
      if (/^(?:tally|wallet):\/\/join\/?\?[^#]*key=/i.test(input)) {
        return err('invite_key_in_query', 'The group key must never be in the query part of a link.');
      }
      return err('invite_format', 'This is not an invite link.');
    }
    const query = new URLSearchParams(m[1]);
    if (query.has('key') || query.has('rt')) {
      return err('invite_key_in_query', 'The group key must never be in the query part of a link.');
    }
    return build(query, new URLSearchParams(m[2]));
  }

  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return err('invite_format', 'This is not an invite link.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'file:') {
    return err('invite_format', 'This is not an invite link.');
  }
  if (url.searchParams.has('key') || url.searchParams.has('rt')) {
    return err('invite_key_in_query', 'The group key must never be in the query part of a link.');
  }
  const m = /^#\/join\/?\?(.*)$/.exec(url.hash);
  if (!m) return err('invite_format', 'This is not an invite link.');
  const params = new URLSearchParams(m[1]);
  return build(params, params);
}

/** Parses the part of a web invite after `#/join?` (used when the app itself is opened by one). */
export function parseJoinRouteQuery(query: string): Result<Invite, InviteErrorCode> {
  const params = new URLSearchParams(query);
  return build(params, params);
}
