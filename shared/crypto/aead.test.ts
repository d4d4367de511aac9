import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type WalletError, isWalletError } from '../errors';
import { decryptBody, encryptBody, randomNonce } from './aead';
import { generateGroupKey } from './group-key';

const text = (s: string) => new TextEncoder().encode(s);

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isWalletError(e) ? (e as WalletError).code : 'not a WalletError';
  }
  return undefined;
}

describe('aead', () => {
  const key = generateGroupKey();
  const nonce = randomNonce();
  const aad = text('header');
  const ct = encryptBody(key, nonce, text('hello'), aad);

  it('round-trips with a 16-byte tag', () => {
    expect(ct).toHaveLength(5 + 16);
    expect(new TextDecoder().decode(decryptBody(key, nonce, ct, aad))).toBe('hello');
  });

  it('uses a fresh nonce each time, across the blocks it draws from', () => {
    expect(randomNonce()).not.toEqual(randomNonce());
    // More than one pool block: every nonce is 24 bytes, distinct, and not all zero.
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const n = randomNonce();
      expect(n).toHaveLength(24);
      expect(n.some((b) => b !== 0)).toBe(true);
      seen.add(Buffer.from(n).toString('hex'));
    }
    expect(seen.size).toBe(1000);
  });

  it('fails with decrypt_failed on a wrong key, nonce, aad or ciphertext', () => {
    expect(codeOf(() => decryptBody(generateGroupKey(), nonce, ct, aad))).toBe('decrypt_failed');
    expect(codeOf(() => decryptBody(key, randomNonce(), ct, aad))).toBe('decrypt_failed');
    expect(codeOf(() => decryptBody(key, nonce, ct, text('other')))).toBe('decrypt_failed');
    const flipped = ct.slice();
    flipped[0]! ^= 1;
    expect(codeOf(() => decryptBody(key, nonce, flipped, aad))).toBe('decrypt_failed');
    expect(codeOf(() => decryptBody(key, nonce, ct.subarray(0, 10), aad))).toBe('decrypt_failed');
  });

  it('refuses malformed keys and nonces with typed errors', () => {
    expect(codeOf(() => encryptBody(new Uint8Array(31), nonce, text('x'), aad))).toBe('invalid_key');
    expect(codeOf(() => encryptBody(key, new Uint8Array(12), text('x'), aad))).toBe('invalid_nonce');
  });

  it('decrypts exactly like the reference XChaCha20-Poly1305, views and output buffer included', () => {
    const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
    fc.assert(
      fc.property(
        bytes(32),
        bytes(24),
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 700 }),
        fc.nat({ max: 3 }),
        (k, n, a, plain, shift) => {
          const sealed = xchacha20poly1305(k, n, a).encrypt(plain);
          // Unaligned views, as inside an entry's bytes.
          const buf = new Uint8Array(shift + 24 + sealed.length);
          buf.set(n, shift);
          buf.set(sealed, shift + 24);
          const nonceView = buf.subarray(shift, shift + 24);
          const ctView = buf.subarray(shift + 24);
          expect(decryptBody(k, nonceView, ctView, a)).toEqual(plain);
          const out = new Uint8Array(plain.length);
          expect(decryptBody(k, nonceView, ctView, a, out)).toBe(out);
          expect(out).toEqual(plain);
          expect(encryptBody(k, n, plain, a)).toEqual(sealed);
          if (sealed.length > 0) {
            const bad = sealed.slice();
            bad[(plain.length * 7) % bad.length]! ^= 0x80;
            expect(codeOf(() => decryptBody(k, n, bad, a))).toBe('decrypt_failed');
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
