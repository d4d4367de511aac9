/**
 * Node's OpenSSL SHA-256 and ChaCha20-Poly1305 as the core's symmetric primitives
 * (shared/crypto/primitives.ts). Measured here on 600-byte entries: hashing about twice and
 * opening a body about three times as fast as the pure-JS versions, which is most of what a
 * fresh Node client (headless client, simulation, benchmarks) spends verifying a history.
 */
import { createDecipheriv, createHash, hash as oneShotHash } from 'node:crypto';
import { installSymmetricPrimitives, type SymmetricPrimitives } from '../shared/crypto/primitives';

const TAG_LENGTH = 16;

function sha256(data: Uint8Array): Uint8Array {
  // crypto.hash (Node ≥ 20.12) skips the Hash object; createHash elsewhere.
  const digest =
    typeof oneShotHash === 'function'
      ? oneShotHash('sha256', data, 'buffer')
      : createHash('sha256').update(data).digest();
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
}

function openChaCha20Poly1305(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array,
  output?: Uint8Array,
): Uint8Array {
  if (sealed.length < TAG_LENGTH) throw new Error('sealed box shorter than its tag');
  const split = sealed.length - TAG_LENGTH;
  const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_LENGTH });
  decipher.setAAD(aad, { plaintextLength: split });
  decipher.setAuthTag(sealed.subarray(split));
  const plain = decipher.update(sealed.subarray(0, split));
  decipher.final(); // throws on a tag mismatch, before anything is handed out
  if (output === undefined) return new Uint8Array(plain.buffer, plain.byteOffset, plain.byteLength);
  output.set(plain);
  return output;
}

export const nodePrimitives: SymmetricPrimitives = { name: 'node', sha256, openChaCha20Poly1305 };

/** Installs the native primitives (checked against known vectors first). */
export function installNodePrimitives(): void {
  installSymmetricPrimitives(nodePrimitives);
}
