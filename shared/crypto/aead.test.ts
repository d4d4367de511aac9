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

  it('uses a fresh nonce each time', () => {
    expect(randomNonce()).not.toEqual(randomNonce());
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
});
