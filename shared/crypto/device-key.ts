/**
 * The device key: 32 random bytes that encrypt this device's sensitive rows at rest (group keys,
 * decrypted events and views, chat, the identity secret; see shared/sync/dexie-at-rest.ts). It
 * never leaves the device and is stored only wrapped (key-wrap.ts, docs/threat-model.md).
 *
 * A sealed record is `format (1) ‖ nonce (24) ‖ XChaCha20-Poly1305(plaintext) ‖ tag (16)` with a
 * fresh random nonce per write. Its associated data names the row (table and primary key), so a
 * sealed value copied into another row, or another table, no longer opens: rows cannot be swapped.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { WalletError } from '../errors';
import { decryptBody, encryptBody, NONCE_LENGTH, randomNonce, TAG_LENGTH } from './aead';

export const DEVICE_KEY_LENGTH = 32;
export const RECORD_FORMAT = 1;
const AAD_PREFIX = `tally at-rest v${RECORD_FORMAT}\u0000`;
const utf8 = new TextEncoder();

export function generateDeviceKey(): Uint8Array {
  return randomBytes(DEVICE_KEY_LENGTH);
}

/** @throws WalletError `invalid_key` unless 32 bytes. */
export function assertDeviceKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== DEVICE_KEY_LENGTH) {
    throw new WalletError('invalid_key', `a device key is ${DEVICE_KEY_LENGTH} bytes`);
  }
}

/**
 * A primary key as text, one form per type so no two keys share one: `s` + a string as is,
 * `n` + a number, or `a` + JSON for arrays of those (every key the store uses).
 */
function keyText(key: unknown): string {
  if (typeof key === 'string') return `s${key}`;
  if (typeof key === 'number' && Number.isFinite(key)) return `n${key}`;
  const ok = (k: unknown): boolean =>
    typeof k === 'string' ||
    (typeof k === 'number' && Number.isFinite(k)) ||
    (Array.isArray(k) && k.every(ok));
  if (!Array.isArray(key) || !ok(key)) {
    throw new WalletError('at_rest_key_unsupported', 'a sealed row needs a string, number or array key');
  }
  return `a${JSON.stringify(key)}`;
}

/** The associated data of a row: which table, which primary key. */
export function recordAad(table: string, primaryKey: unknown): Uint8Array {
  return utf8.encode(`${AAD_PREFIX}${table}\u0000${keyText(primaryKey)}`);
}

/** Seals `plaintext` for the row (table, primaryKey). */
export function sealRecord(
  deviceKey: Uint8Array,
  table: string,
  primaryKey: unknown,
  plaintext: Uint8Array,
): Uint8Array {
  assertDeviceKey(deviceKey);
  const nonce = randomNonce();
  const sealed = encryptBody(deviceKey, nonce, plaintext, recordAad(table, primaryKey));
  const out = new Uint8Array(1 + NONCE_LENGTH + sealed.length);
  out[0] = RECORD_FORMAT;
  out.set(nonce, 1);
  out.set(sealed, 1 + NONCE_LENGTH);
  return out;
}

/**
 * The plaintext sealed for the row (table, primaryKey).
 * @throws WalletError `at_rest_tampered` when it does not open: another row's value, an edited
 * byte, or another device key; `at_rest_unsupported` for a format from a newer version.
 */
export function openRecord(
  deviceKey: Uint8Array,
  table: string,
  primaryKey: unknown,
  sealed: unknown,
): Uint8Array {
  assertDeviceKey(deviceKey);
  if (!(sealed instanceof Uint8Array) || sealed.length < 1 + NONCE_LENGTH + TAG_LENGTH) {
    throw new WalletError('at_rest_tampered', `the sealed value of ${table} row is malformed`, { table });
  }
  if (sealed[0] !== RECORD_FORMAT) {
    throw new WalletError(
      'at_rest_unsupported',
      `sealed row format ${sealed[0]} is not known to this version`,
    );
  }
  try {
    return decryptBody(
      deviceKey,
      sealed.subarray(1, 1 + NONCE_LENGTH),
      sealed.subarray(1 + NONCE_LENGTH),
      recordAad(table, primaryKey),
    );
  } catch {
    throw new WalletError(
      'at_rest_tampered',
      `a ${table} row does not open: it was moved from another row, edited, or sealed with another key`,
      { table },
    );
  }
}
