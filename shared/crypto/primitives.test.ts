import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { afterEach, describe, expect, it } from 'vitest';
import { isWalletError } from '../errors';
import { sha256 } from './hash';
import {
  checkPrimitives,
  installSymmetricPrimitives,
  noblePrimitives,
  resetSymmetricPrimitives,
  type SymmetricPrimitives,
  symmetricPrimitives,
} from './primitives';

afterEach(() => resetSymmetricPrimitives());

const abc = new TextEncoder().encode('abc');

describe('symmetric primitives', () => {
  it('uses noble until a host installs others, and noble passes the known-answer tests', () => {
    expect(symmetricPrimitives().name).toBe('noble');
    expect(checkPrimitives(noblePrimitives)).toBe(true);
  });

  const broken: Record<string, SymmetricPrimitives> = {
    'a wrong digest': {
      ...noblePrimitives,
      name: 'bad-hash',
      sha256: (d) => noblePrimitives.sha256(d).reverse(),
    },
    'a tag check that never fails': {
      ...noblePrimitives,
      name: 'no-tag-check',
      openChaCha20Poly1305: (k, n, sealed, aad, out) => {
        try {
          return noblePrimitives.openChaCha20Poly1305(k, n, sealed, aad, out);
        } catch {
          return new Uint8Array(sealed.length - 16);
        }
      },
    },
    'an ignored output buffer': {
      ...noblePrimitives,
      name: 'ignores-output',
      openChaCha20Poly1305: (k, n, sealed, aad) => noblePrimitives.openChaCha20Poly1305(k, n, sealed, aad),
    },
    'an XChaCha open that ignores the nonce': {
      ...noblePrimitives,
      name: 'xchacha-ignores-nonce',
      openXChaCha20Poly1305: (k, _n, sealed, aad, out) =>
        xchacha20poly1305(k, new Uint8Array(24), aad).decrypt(sealed, out),
    },
    'an XChaCha open that accepts any tag': {
      ...noblePrimitives,
      name: 'xchacha-no-tag-check',
      openXChaCha20Poly1305: (k, n, sealed, aad, out) => {
        try {
          return xchacha20poly1305(k, n, aad).decrypt(sealed, out);
        } catch {
          return out ?? new Uint8Array(sealed.length - 16);
        }
      },
    },
    'one that throws': {
      name: 'throws',
      sha256: () => {
        throw new Error('boom');
      },
      openChaCha20Poly1305: () => {
        throw new Error('boom');
      },
    },
  };

  for (const [what, primitives] of Object.entries(broken)) {
    it(`refuses ${what} with a typed error and keeps noble`, () => {
      expect(checkPrimitives(primitives)).toBe(false);
      let code: string | undefined;
      try {
        installSymmetricPrimitives(primitives);
      } catch (e) {
        code = isWalletError(e) ? e.code : 'untyped';
      }
      expect(code).toBe('crypto_backend_invalid');
      expect(symmetricPrimitives()).toBe(noblePrimitives);
    });
  }

  it('routes sha256 through the installed primitives', () => {
    let calls = 0;
    installSymmetricPrimitives({
      ...noblePrimitives,
      name: 'counting',
      sha256: (d) => {
        calls++;
        return noblePrimitives.sha256(d);
      },
    });
    const before = calls;
    expect(sha256(abc)).toEqual(noblePrimitives.sha256(abc));
    expect(calls).toBe(before + 1);
  });
});
