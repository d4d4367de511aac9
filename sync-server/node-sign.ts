/**
 * Ed25519 signing through node:crypto's synchronous `sign` (OpenSSL), installed beside the
 * symmetric primitives (node-primitives.ts) through shared/crypto/sign.ts's `installSigner`.
 * Measured on this project's machine: ~40 µs a signature, against ~110 µs for an awaited
 * WebCrypto sign in Node (a thread-pool round trip each) and several hundred for noble; on a
 * 10k-row import that is most of the signing floor. Ed25519 is deterministic: the bytes are
 * those of every other backend (checked on RFC 8032 vectors before installing).
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { installSigner } from '../shared/crypto/sign';

/** DER prefix of a PKCS#8 Ed25519 private key (RFC 8410): the 32-byte seed follows. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

// Importing a key costs about a signature: keys are kept per seed object (no copy of the secret
// as a map key), and forgotten with it.
const keys = new WeakMap<Uint8Array, KeyObject>();

function keyFor(seed: Uint8Array): KeyObject {
  let key = keys.get(seed);
  if (!key) {
    const der = Buffer.concat([PKCS8_PREFIX, seed]);
    try {
      key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } finally {
      der.fill(0);
    }
    keys.set(seed, key);
  }
  return key;
}

export function nodeSign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  const signature = sign(null, message, keyFor(seed));
  return new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength);
}

/** Installs nodeSign (after the known-answer checks). */
export function installNodeSigner(): void {
  installSigner(nodeSign);
}
