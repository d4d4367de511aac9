import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { afterEach, describe, expect, it } from 'vitest';
import { decryptBody } from '../../../shared/crypto/aead';
import {
  noblePrimitives,
  resetSymmetricPrimitives,
  symmetricPrimitives,
} from '../../../shared/crypto/primitives';
import { installFastOpen } from './fastOpen';

afterEach(() => resetSymmetricPrimitives());

describe('installFastOpen', () => {
  it("keeps the page's primitives when libsodium cannot load, and can try again later", async () => {
    expect(await installFastOpen(() => Promise.reject(new Error('WebAssembly refused')))).toBe(false);
    expect(symmetricPrimitives()).toBe(noblePrimitives);
    expect(await installFastOpen()).toBe(true);
  });

  it("adds libsodium's open over the page's primitives, with the same plaintexts", async () => {
    expect(await installFastOpen()).toBe(true);
    const installed = symmetricPrimitives();
    expect(installed.name).toBe('noble+libsodium');
    expect(installed.sha256).toBe(noblePrimitives.sha256);
    expect(installed.openXChaCha20Poly1305).toBeTypeOf('function');
    const key = new Uint8Array(32).fill(5);
    const nonce = new Uint8Array(24).fill(6);
    const plain = new TextEncoder().encode('{"type":"chat.message","text":"hi"}');
    const sealed = xchacha20poly1305(key, nonce, new Uint8Array(3)).encrypt(plain);
    expect(decryptBody(key, nonce, sealed, new Uint8Array(3))).toEqual(plain);
  });
});
