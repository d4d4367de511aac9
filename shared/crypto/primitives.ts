/**
 * The two symmetric primitives on every entry's hot path (SHA-256 for its id, ChaCha20-Poly1305
 * for its body), swappable per platform like loot-core's platform modules: shared/ stays
 * platform-free and runs on the pure-JS noble versions everywhere; a host with native ones
 * (Node's OpenSSL, see sync-server/node-crypto.ts) installs them once at startup. A backend
 * must give the same bytes and refuse the same tags as noble: `checkPrimitives` proves it on
 * known vectors before the swap, so a broken backend is refused rather than trusted.
 */
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex as toHex, hexToBytes as hex } from '@noble/hashes/utils.js';
import { WalletError } from '../errors';

/**
 * XChaCha20-Poly1305 open of `sealed` = ciphertext ‖ 16-byte tag under a 24-byte nonce; with
 * `output` (exactly sealed.length − 16 bytes) the plaintext is written there. Throws (any error)
 * when the tag does not match.
 */
export type OpenXChaCha = (
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array,
  output?: Uint8Array,
) => Uint8Array;

export interface SymmetricPrimitives {
  readonly name: string;
  sha256(data: Uint8Array): Uint8Array;
  /**
   * ChaCha20-Poly1305 (RFC 8439) open of `sealed` = ciphertext ‖ 16-byte tag; with `output`
   * (exactly sealed.length − 16 bytes) the plaintext is written there.
   * Throws (any error) when the tag does not match.
   */
  openChaCha20Poly1305(
    key: Uint8Array,
    nonce: Uint8Array,
    sealed: Uint8Array,
    aad: Uint8Array,
    output?: Uint8Array,
  ): Uint8Array;
  /**
   * ChaCha20-Poly1305 seal: ciphertext ‖ 16-byte tag, where the backend has a faster one than
   * noble's (Node's OpenSSL). Without it aead.ts seals with noble.
   */
  readonly sealChaCha20Poly1305?: (
    key: Uint8Array,
    nonce: Uint8Array,
    plaintext: Uint8Array,
    aad: Uint8Array,
  ) => Uint8Array;
  /**
   * The whole XChaCha20-Poly1305 open in one call, where the backend has it (libsodium:
   * sodium-open.ts). Without it aead.ts derives the subkey itself and calls openChaCha20Poly1305.
   */
  readonly openXChaCha20Poly1305?: OpenXChaCha;
}

export const noblePrimitives: SymmetricPrimitives = {
  name: 'noble',
  sha256: (data) => nobleSha256(data),
  openChaCha20Poly1305: (key, nonce, sealed, aad, output) =>
    chacha20poly1305(key, nonce, aad).decrypt(sealed, output),
};

let current: SymmetricPrimitives = noblePrimitives;

/** The primitives in use now (noble unless a host installed others). */
export function symmetricPrimitives(): SymmetricPrimitives {
  return current;
}

// RFC 8439 §2.8.2 (AEAD test vector) and FIPS 180-2 "abc". (noble's hex helpers: hash.ts builds on this module.)
const ABC_DIGEST = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const RFC8439 = {
  key: '808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f',
  nonce: '070000004041424344454647',
  aad: '50515253c0c1c2c3c4c5c6c7',
  plaintext:
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  sealed:
    'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116' +
    '1ae10b594f09e26a7e902ecbd0600691',
};

/** draft-irtf-cfrg-xchacha-03 §A.3.1: the same plaintext, key and AAD under a 24-byte nonce. */
const XCHACHA = {
  nonce: '404142434445464748494a4b4c4d4e4f5051525354555657',
  sealed:
    'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e' +
    'c0875924c1c7987947deafd8780acf49',
};

/** True when `open` gives the vector's plaintext (returned and written into `output`) and refuses an altered tag. */
function opensVector(open: OpenXChaCha, nonceHex: string, sealedHex: string): boolean {
  const key = hex(RFC8439.key);
  const nonce = hex(nonceHex);
  const aad = hex(RFC8439.aad);
  const sealed = hex(sealedHex);
  const opened = open(key, nonce, sealed, aad);
  if (new TextDecoder().decode(opened) !== RFC8439.plaintext) return false;
  const into = new Uint8Array(sealed.length - 16);
  if (open(key, nonce, sealed, aad, into) !== into || toHex(into) !== toHex(opened)) return false;
  const altered = sealed.slice();
  altered[altered.length - 1]! ^= 1;
  try {
    open(key, nonce, altered, aad);
    return false;
  } catch {
    return true;
  }
}

/** True when `p` hashes and opens the known vectors exactly and refuses altered tags. */
export function checkPrimitives(p: SymmetricPrimitives): boolean {
  try {
    if (toHex(p.sha256(new TextEncoder().encode('abc'))) !== ABC_DIGEST) return false;
    if (!opensVector((...a) => p.openChaCha20Poly1305(...a), RFC8439.nonce, RFC8439.sealed)) return false;
    const seal = p.sealChaCha20Poly1305;
    if (seal) {
      const plaintext = new TextEncoder().encode(RFC8439.plaintext);
      const sealed = seal(hex(RFC8439.key), hex(RFC8439.nonce), plaintext, hex(RFC8439.aad));
      if (toHex(sealed) !== RFC8439.sealed) return false;
    }
    const openX = p.openXChaCha20Poly1305;
    return openX === undefined || opensVector(openX, XCHACHA.nonce, XCHACHA.sealed);
  } catch {
    return false;
  }
}

/**
 * Switches to `p` after `checkPrimitives` passes.
 * @throws WalletError `crypto_backend_invalid` when it does not; noble stays in use.
 */
export function installSymmetricPrimitives(p: SymmetricPrimitives): void {
  if (!checkPrimitives(p)) {
    throw new WalletError('crypto_backend_invalid', `the ${p.name} primitives fail the known-answer tests`);
  }
  current = p;
}

/** Back to the pure-JS primitives (tests). */
export function resetSymmetricPrimitives(): void {
  current = noblePrimitives;
}
