/**
 * Membership tags in a LAN relay's announcement, so an app whose LAN sync is off can say "a member
 * of Flat 3B is on this network" without anything in the announcement meaning something to a
 * stranger: each tag is HMAC(tag key of a group, the announcement's random service id), cut to
 * 48 bits. Only holders of the group key can compute the tag key; the service id is fresh for each
 * run, so tags cannot be linked across sessions, nor two groups' tags to each other.
 *
 * A tag says "some member of this group is here"; never who, and nothing is trusted because of it:
 * syncing still goes through the relay's token gate and the entries' signatures.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '../crypto/hash';

const TAG_KEY_INFO = new TextEncoder().encode('tally/lan-tag/v1');
/** Hex characters of one tag (48 bits: a chance collision among a few groups is negligible). */
export const TAG_HEX_LENGTH = 12;
/** Tags per TXT string: DNS-SD strings hold at most 255 bytes ("t0=" + 18 × 13). */
const TAGS_PER_STRING = 18;
/** Most groups tagged in one announcement; beyond, the rest are served but not hinted. */
export const MAX_TAGS = 4 * TAGS_PER_STRING;
const TAG = /^[0-9a-f]{12}$/;

/** The key a group's tags are made with (hex), derived from the group key: safe to hand to the desktop shell. */
export function lanTagKey(groupKey: Uint8Array): string {
  return bytesToHex(hkdf(sha256, groupKey, undefined, TAG_KEY_INFO, 32));
}

/** The tag of a group (by its tag key) in the announcement `serviceId`. */
export function lanTag(tagKeyHex: string, serviceId: string): string {
  const mac = hmac(sha256, hexToBytes(tagKeyHex, 32), new TextEncoder().encode(serviceId));
  return bytesToHex(mac).slice(0, TAG_HEX_LENGTH);
}

/** TXT record fields carrying `tags` (t0…t3); at most MAX_TAGS are kept, in the order given. */
export function tagsToTxt(tags: readonly string[]): Record<string, string> {
  const txt: Record<string, string> = {};
  const kept = tags.filter((t) => TAG.test(t)).slice(0, MAX_TAGS);
  for (let i = 0; i * TAGS_PER_STRING < kept.length; i++) {
    txt[`t${i}`] = kept.slice(i * TAGS_PER_STRING, (i + 1) * TAGS_PER_STRING).join(',');
  }
  return txt;
}

/** The tags in a TXT record seen on the network; anything malformed is ignored (it is a stranger's input). */
export function tagsFromTxt(txt: unknown): string[] {
  if (typeof txt !== 'object' || txt === null) return [];
  const tags: string[] = [];
  for (let i = 0; i < MAX_TAGS / TAGS_PER_STRING; i++) {
    const field = (txt as Record<string, unknown>)[`t${i}`];
    const text =
      typeof field === 'string' ? field : field instanceof Uint8Array ? new TextDecoder().decode(field) : '';
    for (const t of text.split(',')) if (TAG.test(t) && tags.length < MAX_TAGS) tags.push(t);
  }
  return tags;
}

/** The groups (of those given, by tag key) that an announcement with `tags` under `serviceId` says are here. */
export function groupsTagged(
  groups: ReadonlyMap<string, string>,
  serviceId: string,
  tags: readonly string[],
): string[] {
  if (tags.length === 0) return [];
  const seen = new Set(tags);
  const found: string[] = [];
  for (const [groupId, tagKey] of groups) if (seen.has(lanTag(tagKey, serviceId))) found.push(groupId);
  return found;
}
