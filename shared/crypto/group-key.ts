/**
 * Group secrets. The 256-bit group key encrypts every entry body and travels only in the
 * invite's URL fragment; the relay gets a token derived from it, from which the key cannot
 * be recovered (HKDF is one-way), so it can authorise a room without reading it.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { WalletError } from '../errors';
import type { GroupId } from '../ledger/types';
import { bytesToHex, hexToBytes } from './hash';

export const GROUP_KEY_LENGTH = 32;
export const GROUP_ID_LENGTH = 16;
const RELAY_TOKEN_INFO = new TextEncoder().encode('tally relay-token v1');
const GROUP_ID_PATTERN = /^[0-9a-f]{32}$/;

export function generateGroupKey(): Uint8Array {
  return randomBytes(GROUP_KEY_LENGTH);
}

export function generateGroupId(): GroupId {
  return bytesToHex(randomBytes(GROUP_ID_LENGTH));
}

export function isGroupId(value: unknown): value is GroupId {
  return typeof value === 'string' && GROUP_ID_PATTERN.test(value);
}

/** @throws WalletError `invalid_group_id` unless 32 lower-case hex chars. */
export function groupIdToBytes(groupId: GroupId): Uint8Array {
  if (!isGroupId(groupId)) throw new WalletError('invalid_group_id', 'a group id is 32 lower-case hex chars');
  return hexToBytes(groupId, GROUP_ID_LENGTH);
}

/** @throws WalletError `invalid_key` unless the key is 32 bytes. */
export function assertGroupKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== GROUP_KEY_LENGTH) {
    throw new WalletError('invalid_key', `a group key is ${GROUP_KEY_LENGTH} bytes`);
  }
}

/**
 * HKDF-SHA256(ikm = group key, salt = none, info = "tally relay-token v1", 32 bytes), as hex.
 * No salt: the key is already uniformly random (RFC 5869 §3.1); `info` separates this use from any other.
 */
export function deriveRelayToken(groupKey: Uint8Array): string {
  assertGroupKey(groupKey);
  return bytesToHex(hkdf(sha256, groupKey, undefined, RELAY_TOKEN_INFO, 32));
}
