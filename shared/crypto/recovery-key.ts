/**
 * The recovery key: 128 random bits shown once when a passcode is set, so a forgotten passcode
 * does not lose this device's data. Written for people: Crockford base32 (no I, L, O, U; read
 * back case-insensitively with I/L as 1 and O as 0), 8 groups of 4 separated by hyphens. The last
 * 32 bits are a SHA-256 checksum of the first 128, so a mistyped key is refused as mistyped
 * (`recovery_key_invalid`) instead of being tried as a key: 2⁻³² chance a typo slips through.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { WalletError } from '../errors';

export const RECOVERY_SECRET_LENGTH = 16;
const CHECKSUM_LENGTH = 4;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUP = 4;
/** 20 bytes = 160 bits = 32 base32 characters exactly. */
const ENCODED_LENGTH = ((RECOVERY_SECRET_LENGTH + CHECKSUM_LENGTH) * 8) / 5;

/** The secret bytes of a fresh recovery key (encode with `formatRecoveryKey`). */
export function generateRecoverySecret(): Uint8Array {
  return randomBytes(RECOVERY_SECRET_LENGTH);
}

function checksum(secret: Uint8Array): Uint8Array {
  return sha256(secret).subarray(0, CHECKSUM_LENGTH);
}

function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >>> bits) & 31];
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}

/** "ABCD-EFGH-…": the form shown to the user. */
export function formatRecoveryKey(secret: Uint8Array): string {
  if (!(secret instanceof Uint8Array) || secret.length !== RECOVERY_SECRET_LENGTH) {
    throw new WalletError('recovery_key_invalid', `a recovery secret is ${RECOVERY_SECRET_LENGTH} bytes`);
  }
  const bytes = new Uint8Array(RECOVERY_SECRET_LENGTH + CHECKSUM_LENGTH);
  bytes.set(secret);
  bytes.set(checksum(secret), RECOVERY_SECRET_LENGTH);
  const text = base32(bytes);
  const groups: string[] = [];
  for (let i = 0; i < text.length; i += GROUP) groups.push(text.slice(i, i + GROUP));
  return groups.join('-');
}

function digitValue(char: string): number {
  const c = char.toUpperCase();
  const mapped = c === 'I' || c === 'L' ? '1' : c === 'O' ? '0' : c;
  return ALPHABET.indexOf(mapped);
}

/**
 * The secret bytes of a typed recovery key; spaces and hyphens anywhere are ignored.
 * @throws WalletError `recovery_key_invalid` on a wrong length, a character outside the
 * alphabet, or a checksum mismatch (a typo).
 */
export function parseRecoveryKey(text: string): Uint8Array {
  const compact = typeof text === 'string' ? text.replace(/[\s-]/g, '') : '';
  if (compact.length !== ENCODED_LENGTH) {
    throw new WalletError('recovery_key_invalid', `a recovery key has ${ENCODED_LENGTH} characters`);
  }
  const bytes = new Uint8Array(RECOVERY_SECRET_LENGTH + CHECKSUM_LENGTH);
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (const char of compact) {
    const v = digitValue(char);
    if (v < 0) throw new WalletError('recovery_key_invalid', `“${char}” is not in a recovery key`);
    buffer = (buffer << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes[at++] = (buffer >>> bits) & 255;
      buffer &= (1 << bits) - 1;
    }
  }
  const secret = bytes.slice(0, RECOVERY_SECRET_LENGTH);
  const expected = checksum(secret);
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    if (bytes[RECOVERY_SECRET_LENGTH + i] !== expected[i]) {
      throw new WalletError(
        'recovery_key_invalid',
        'the recovery key has a typo (its checksum does not match)',
      );
    }
  }
  return secret;
}
