import { createHash, timingSafeEqual } from 'node:crypto';

/** A room is one group: its id is the group's random 128-bit id in lower-case hex. */
const ROOM_PATH = /^\/([0-9a-f]{32})$/;
/** The relay token: 32 bytes (HKDF of the group key, derived by clients) in lower-case hex. */
const TOKEN = /^[0-9a-f]{64}$/;

export type UpgradeTarget =
  | { readonly ok: true; readonly roomId: string; readonly token: string }
  | { readonly ok: false; readonly status: 400 | 401; readonly reason: 'bad_path' | 'unauthorized' };

/**
 * Reads the room id and token from an upgrade request URL (`/<roomId>?token=<hex>`).
 * A bad path is a 400; a missing, repeated or malformed token is a 401.
 */
export function parseUpgradeUrl(rawUrl: string | undefined): UpgradeTarget {
  let url: URL;
  try {
    url = new URL(rawUrl ?? '', 'http://relay.invalid');
  } catch {
    return { ok: false, status: 400, reason: 'bad_path' };
  }
  const room = ROOM_PATH.exec(url.pathname);
  if (room === null) return { ok: false, status: 400, reason: 'bad_path' };
  const tokens = url.searchParams.getAll('token');
  const token = tokens.length === 1 ? tokens[0] : undefined;
  if (token === undefined || !TOKEN.test(token)) return { ok: false, status: 401, reason: 'unauthorized' };
  return { ok: true, roomId: room[1]!, token };
}

/** What the relay keeps instead of the token: SHA-256 over the 32 token bytes. */
export function hashToken(token: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(Buffer.from(token, 'hex')).digest());
}

/** Constant-time comparison of two token hashes (lengths are public: both are 32 bytes). */
export function tokenHashesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && timingSafeEqual(a, b);
}
