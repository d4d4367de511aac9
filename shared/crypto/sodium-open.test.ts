import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decryptBody } from './aead';
import {
  checkPrimitives,
  installSymmetricPrimitives,
  noblePrimitives,
  resetSymmetricPrimitives,
} from './primitives';
import { loadSodiumOpen, withSodiumOpen } from './sodium-open';

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

describe("libsodium's XChaCha20-Poly1305 open", () => {
  it('loads once and passes the known-answer tests as a primitive', async () => {
    const open = await loadSodiumOpen();
    expect(await loadSodiumOpen()).toBe(open);
    const withSodium = await withSodiumOpen(noblePrimitives);
    expect(withSodium.name).toBe('noble+libsodium');
    expect(withSodium.openXChaCha20Poly1305).toBe(open);
    expect(checkPrimitives(withSodium)).toBe(true);
  });

  it('opens what noble seals, into a given buffer too, and refuses any altered byte of box, nonce or aad', async () => {
    const open = await loadSodiumOpen();
    fc.assert(
      fc.property(
        bytes(32, 32),
        bytes(24, 24),
        bytes(0, 900),
        bytes(0, 200),
        fc.nat(),
        fc.constantFrom('sealed', 'nonce', 'aad'),
        (key, nonce, plain, aad, flipAt, part) => {
          const sealed = xchacha20poly1305(key, nonce, aad).encrypt(plain);
          expect(open(key, nonce, sealed, aad)).toEqual(plain);
          const out = new Uint8Array(plain.length);
          expect(open(key, nonce, sealed, aad, out)).toBe(out);
          expect(out).toEqual(plain);
          const altered = { sealed: sealed.slice(), nonce: nonce.slice(), aad: aad.slice() };
          const target = altered[part].length > 0 ? altered[part] : altered.sealed;
          target[flipAt % target.length]! ^= 0x08;
          expect(() => open(key, altered.nonce, altered.sealed, altered.aad)).toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('opens a body larger than its standing scratch region (and still refuses a bad tag there)', async () => {
    const open = await loadSodiumOpen();
    const key = new Uint8Array(32).fill(7);
    const nonce = new Uint8Array(24).fill(9);
    const aad = new Uint8Array(300).fill(1);
    const plain = Uint8Array.from({ length: 70_000 }, (_, i) => i % 251);
    const sealed = xchacha20poly1305(key, nonce, aad).encrypt(plain);
    expect(open(key, nonce, sealed, aad)).toEqual(plain);
    sealed[sealed.length - 1]! ^= 1;
    expect(() => open(key, nonce, sealed, aad)).toThrow();
    // The standing region still works after an oversized call.
    const small = xchacha20poly1305(key, nonce, aad.subarray(0, 10)).encrypt(plain.subarray(0, 50));
    expect(open(key, nonce, small, aad.subarray(0, 10))).toEqual(plain.subarray(0, 50));
  });

  it('refuses a box shorter than its tag and an output of the wrong length', async () => {
    const open = await loadSodiumOpen();
    const key = new Uint8Array(32);
    const nonce = new Uint8Array(24);
    expect(() => open(key, nonce, new Uint8Array(5), new Uint8Array())).toThrow();
    const sealed = xchacha20poly1305(key, nonce).encrypt(new Uint8Array(10));
    expect(() => open(key, nonce, sealed, new Uint8Array(), new Uint8Array(9))).toThrow();
  });

  it('gives decryptBody the same plaintexts and the same typed refusal once installed', async () => {
    const open = await loadSodiumOpen();
    const key = new Uint8Array(32).fill(3);
    const nonce = new Uint8Array(24).fill(4);
    const aad = new TextEncoder().encode('header');
    const sealed = xchacha20poly1305(key, nonce, aad).encrypt(new TextEncoder().encode('{"a":1}'));
    const tampered = sealed.slice();
    tampered[0]! ^= 1;
    const viaNoble = decryptBody(key, nonce, sealed, aad);
    try {
      installSymmetricPrimitives({ ...noblePrimitives, name: 'sodium', openXChaCha20Poly1305: open });
      expect(decryptBody(key, nonce, sealed, aad)).toEqual(viaNoble);
      expect(() => decryptBody(key, nonce, tampered, aad)).toThrow(
        expect.objectContaining({ code: 'decrypt_failed' }),
      );
    } finally {
      resetSymmetricPrimitives();
    }
  });
});
