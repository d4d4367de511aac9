/**
 * The fastest symmetric primitives a Node thread has (shared/crypto/primitives.ts): OpenSSL's
 * SHA-256 and ChaCha20-Poly1305, plus libsodium's whole XChaCha20-Poly1305 open once its
 * WebAssembly has loaded. Measured here on 400-byte bodies: hashing about twice as fast as noble;
 * opening ~10 µs through OpenSSL (mostly its per-call cipher set-up) and ~3 µs through
 * libsodium, against ~35 µs in noble. Sealing (an import's 10k entries) goes through OpenSSL too. Opening is most of what a fresh Node client (headless
 * client, simulation, benchmarks) spends checking a history.
 */
import { createCipheriv, createDecipheriv, createHash, hash as oneShotHash } from 'node:crypto';
import { installSymmetricPrimitives, type SymmetricPrimitives } from '../shared/crypto/primitives';
import { withSodiumOpen } from '../shared/crypto/sodium-open';
import { installNodeSigner } from './node-sign';

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

function sealChaCha20Poly1305(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): Uint8Array {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(aad, { plaintextLength: plaintext.length });
  const out = new Uint8Array(plaintext.length + TAG_LENGTH);
  out.set(cipher.update(plaintext));
  cipher.final();
  out.set(cipher.getAuthTag(), plaintext.length);
  return out;
}

export const nodePrimitives: SymmetricPrimitives = {
  name: 'node',
  sha256,
  openChaCha20Poly1305,
  sealChaCha20Poly1305,
};

/**
 * Installs Node's primitives at once, then libsodium's open on top when it has loaded (each
 * checked against known vectors first). Await it before opening many bodies; a thread that does
 * not still gets OpenSSL meanwhile. Resolves with what is installed; where WebAssembly cannot
 * load, that is OpenSSL alone. Ed25519 signing switches to node:crypto's (node-sign.ts) too.
 */
export async function installNodePrimitives(): Promise<SymmetricPrimitives> {
  installSymmetricPrimitives(nodePrimitives);
  installNodeSigner();
  let withSodium: SymmetricPrimitives;
  try {
    withSodium = await withSodiumOpen(nodePrimitives);
  } catch {
    return nodePrimitives;
  }
  installSymmetricPrimitives(withSodium);
  return withSodium;
}
