/**
 * Body encryption: XChaCha20-Poly1305. Its 24-byte nonce is large enough to draw at random
 * for every entry with no coordination between devices sharing one group key.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/ciphers/utils.js';
import { WalletError } from '../errors';
import { assertGroupKey } from './group-key';

export const NONCE_LENGTH = 24;
export const TAG_LENGTH = 16;

export function randomNonce(): Uint8Array {
  return randomBytes(NONCE_LENGTH);
}

function assertNonce(nonce: Uint8Array): void {
  if (!(nonce instanceof Uint8Array) || nonce.length !== NONCE_LENGTH) {
    throw new WalletError('invalid_nonce', `a nonce is ${NONCE_LENGTH} bytes`);
  }
}

/** Returns ciphertext || 16-byte tag. */
export function encryptBody(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  assertGroupKey(key);
  assertNonce(nonce);
  return xchacha20poly1305(key, nonce, aad).encrypt(plaintext);
}

/**
 * Returns the plaintext; with `output` (exactly ciphertext length − 16 bytes, not overlapping
 * the ciphertext) it is written there instead of a new array.
 * @throws WalletError `decrypt_failed` when the tag does not match: wrong key, or the
 * ciphertext, nonce or associated data were altered.
 */
export function decryptBody(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
  output?: Uint8Array,
): Uint8Array {
  assertGroupKey(key);
  assertNonce(nonce);
  if (ciphertext.length < TAG_LENGTH)
    throw new WalletError('decrypt_failed', 'ciphertext shorter than its tag');
  try {
    return xchacha20poly1305(key, nonce, aad).decrypt(ciphertext, output);
  } catch {
    throw new WalletError('decrypt_failed', 'body does not decrypt: wrong group key or altered ciphertext');
  }
}
