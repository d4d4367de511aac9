/**
 * The link that lets a new device join its person (docs/protocol.md §16, "Linking a device").
 *
 * The first device draws a one-time secret s (32 random bytes) and shows
 *
 *   tally://link?relay=<url-encoded relay>&expires=<ms since epoch>#secret=<64 hex>
 *
 * as text and as a QR code. From s both devices derive a provisional "link room" at that relay:
 * HKDF-SHA256(ikm = s, salt = none, info = "tally link-room v1", 48 bytes) = room id (16) ‖ room
 * key (32). The relay sees only the room id and a token derived from the key (as for any group),
 * and ciphertext. The secret sits in the fragment, which is never sent to a server (as invites).
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { bytesToHex, hexToBytes } from '../crypto/hash';
import { err, ok, type Result } from '../errors';
import type { GroupId } from '../ledger/types';

export const LINK_SECRET_LENGTH = 32;
/** How long a link may be used. Short: whoever holds the link can become the person's device. */
export const LINK_TTL_MS = 10 * 60 * 1000;
const ROOM_INFO = new TextEncoder().encode('tally link-room v1');

export interface DeviceLink {
  readonly relay: string;
  readonly secret: Uint8Array;
  /** Ms since the epoch after which neither side uses the link. */
  readonly expires: number;
}

export interface LinkRoom {
  readonly groupId: GroupId;
  readonly groupKey: Uint8Array;
}

export type LinkCodeError = 'link_format' | 'link_relay' | 'link_secret' | 'link_expired';

export function newDeviceLink(relay: string, now: number): DeviceLink {
  return { relay, secret: randomBytes(LINK_SECRET_LENGTH), expires: now + LINK_TTL_MS };
}

export function linkRoom(secret: Uint8Array): LinkRoom {
  const okm = hkdf(sha256, secret, undefined, ROOM_INFO, 48);
  return { groupId: bytesToHex(okm.subarray(0, 16)), groupKey: okm.slice(16) };
}

export function formatDeviceLink(link: DeviceLink): string {
  const q = new URLSearchParams({ relay: link.relay, expires: String(link.expires) });
  return `tally://link?${q.toString()}#secret=${bytesToHex(link.secret)}`;
}

/** A relay a link may name: ws:// or wss://, no credentials, no fragment (as invites). */
export function isRelayUrl(relay: string): boolean {
  let u: URL;
  try {
    u = new URL(relay);
  } catch {
    return false;
  }
  return (u.protocol === 'ws:' || u.protocol === 'wss:') && u.hostname !== '' && u.username === '' && !u.hash;
}

/** Parses a pasted or scanned link. Never throws; a bad or expired link gives a typed error. */
export function parseDeviceLink(text: string, now: number): Result<DeviceLink, LinkCodeError> {
  const m = /^tally:\/\/link\?([^#]*)#secret=([0-9a-f]*)$/.exec(text.trim());
  if (!m) return err('link_format', 'This is not a Tally device link.');
  const q = new URLSearchParams(m[1]);
  const relay = q.getAll('relay');
  const expires = q.getAll('expires');
  if (relay.length !== 1 || !isRelayUrl(relay[0]!)) {
    return err('link_relay', 'The link does not name a valid relay (ws:// or wss://).');
  }
  if (expires.length !== 1 || !/^\d{1,16}$/.test(expires[0]!)) {
    return err('link_format', 'The link has no valid expiry time.');
  }
  if (m[2]!.length !== LINK_SECRET_LENGTH * 2) {
    return err('link_secret', 'The link’s secret is damaged (it must be 64 hex characters).');
  }
  const until = Number(expires[0]);
  if (now > until) return err('link_expired', 'This link has expired: make a new one on your other device.');
  return ok({ relay: relay[0]!, secret: hexToBytes(m[2]!), expires: until });
}
