/**
 * Body encryption: XChaCha20-Poly1305. Its 24-byte nonce is large enough to draw at random
 * for every entry with no coordination between devices sharing one group key.
 *
 * Decryption, the hot path of a sync, spells out the construction of
 * draft-irtf-cfrg-xchacha §2.3 with @noble/ciphers' own parts: subkey = HChaCha20(key,
 * nonce[0..16]), then ChaCha20-Poly1305 (RFC 8439) under the subkey with nonce 0⁴ ‖ nonce[16..24].
 * noble's xchacha20poly1305 does exactly this but derives the subkey twice (once for the
 * Poly1305 key, once for the keystream) and allocates a copy of every input; this way is
 * about a quarter faster. Same bytes, same tag check (tested against xchacha20poly1305). The
 * inner ChaCha20-Poly1305 is the installed primitive (primitives.ts), native where the host has it;
 * a host with a whole XChaCha20-Poly1305 open (libsodium, sodium-open.ts) skips all of this.
 */
import { hchacha, xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { randomBytes } from '@noble/ciphers/utils.js';
import { WalletError } from '../errors';
import { assertGroupKey } from './group-key';
import { symmetricPrimitives } from './primitives';

export const NONCE_LENGTH = 24;
export const TAG_LENGTH = 16;

/**
 * Random bytes are drawn from the system in blocks: one call per 170 nonces instead of one each
 * (a 10k-row import spent ~180 ms in the calls alone). Each nonce is a copy of bytes never handed
 * out before, and the block forgets them as they go.
 */
const NONCE_POOL_BYTES = 4080;
let noncePool = new Uint8Array(0);
let noncePoolUsed = 0;

export function randomNonce(): Uint8Array {
  if (noncePoolUsed + NONCE_LENGTH > noncePool.length) {
    noncePool = randomBytes(NONCE_POOL_BYTES);
    noncePoolUsed = 0;
  }
  const nonce = noncePool.slice(noncePoolUsed, noncePoolUsed + NONCE_LENGTH);
  noncePool.fill(0, noncePoolUsed, noncePoolUsed + NONCE_LENGTH);
  noncePoolUsed += NONCE_LENGTH;
  return nonce;
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
  const seal = symmetricPrimitives().sealChaCha20Poly1305;
  if (!seal) return xchacha20poly1305(key, nonce, aad).encrypt(plaintext);
  // The construction openXChaCha spells out, sealing through the host's native primitive.
  try {
    deriveSubkey(key, nonce);
    return seal(subkey, innerNonce, plaintext, aad);
  } finally {
    keyWords.fill(0);
    subkeyWords.fill(0);
  }
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
    const open = symmetricPrimitives().openXChaCha20Poly1305 ?? openXChaCha;
    return open(key, nonce, ciphertext, aad, output);
  } catch {
    throw new WalletError('decrypt_failed', 'body does not decrypt: wrong group key or altered ciphertext');
  }
}

// Word views for hchacha (it reads and writes little-endian words; noble swaps on big-endian
// hosts). Module-level so a decrypt allocates nothing; wiped after every use.
const SIGMA = new Uint32Array(new TextEncoder().encode('expand 32-byte k').buffer);
const keyWords = new Uint32Array(8);
const keyBytes = new Uint8Array(keyWords.buffer);
const prefixWords = new Uint32Array(4);
const prefixBytes = new Uint8Array(prefixWords.buffer);
const subkeyWords = new Uint32Array(8);
const subkey = new Uint8Array(subkeyWords.buffer);
/** ChaCha20 nonce under the subkey: four zero bytes, then the last 8 bytes of the XChaCha nonce. */
const innerNonce = new Uint8Array(12);

/** HChaCha20 subkey into `subkey`, inner nonce into `innerNonce` (callers wipe the words). */
function deriveSubkey(key: Uint8Array, nonce: Uint8Array): void {
  keyBytes.set(key);
  prefixBytes.set(nonce.subarray(0, 16));
  hchacha(SIGMA, keyWords, prefixWords, subkeyWords);
  innerNonce.set(nonce.subarray(16, 24), 4);
}

function openXChaCha(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
  output?: Uint8Array,
): Uint8Array {
  try {
    deriveSubkey(key, nonce);
    return symmetricPrimitives().openChaCha20Poly1305(subkey, innerNonce, ciphertext, aad, output);
  } finally {
    keyWords.fill(0);
    subkeyWords.fill(0);
  }
}
