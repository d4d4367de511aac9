import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { bytesToHex as nobleBytesToHex } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWalletError } from '../errors';
import {
  bytesToHex,
  hexOfRange,
  copyTogether,
  digestBackend,
  equalBytes,
  hexToBytes,
  sha256,
  sha256Hex,
  sha256Many,
} from './hash';

describe('hash', () => {
  it('computes SHA-256 (FIPS 180-2 "abc" vector)', () => {
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('round-trips hex', () => {
    const bytes = new Uint8Array([0, 1, 0xab, 0xff]);
    expect(bytesToHex(bytes)).toBe('0001abff');
    expect(hexToBytes('0001abff')).toEqual(bytes);
  });

  it.each([['abc'], ['zz'], ['ABCD'], [' 00']])('refuses bad hex %j with invalid_hex', (hex) => {
    let caught: unknown;
    try {
      hexToBytes(hex);
    } catch (e) {
      caught = e;
    }
    expect(isWalletError(caught) && caught.code).toBe('invalid_hex');
  });

  it('checks the expected length', () => {
    expect(() => hexToBytes('0001', 3)).toThrow(/expected 3 bytes/);
    expect(hexToBytes('000102', 3)).toHaveLength(3);
  });

  it('compares bytes', () => {
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(equalBytes(new Uint8Array([1]), new Uint8Array([1, 2]))).toBe(false);
  });

  it('hex-encodes any bytes exactly like the reference encoder (short, long, views)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat({ max: 7 }), (bytes, skip) => {
        const view = bytes.subarray(Math.min(skip, bytes.length));
        expect(bytesToHex(view)).toBe(nobleBytesToHex(view));
      }),
      { numRuns: 300 },
    );
  });

  it('hex-encodes a range like the reference encoder on its subarray, sizes 16 and 32 included', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.nat(),
        fc.oneof(fc.constantFrom(16, 32), fc.nat({ max: 100 })),
        (bytes, at, size) => {
          const from = at % bytes.length;
          const length = Math.min(size, bytes.length - from);
          // Twice: a reused scratch view must not leak the previous call's chars.
          for (let k = 0; k < 2; k++) {
            expect(hexOfRange(bytes, from, length)).toBe(
              nobleBytesToHex(bytes.subarray(from, from + length)),
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('sha256Many', () => {
  // Inputs around entry sizes, plus empty input and views into a larger buffer at odd offsets.
  const inputs = (() => {
    const pool = new Uint8Array(3000).map((_, i) => (i * 131 + 7) % 256);
    return [
      new Uint8Array(0),
      pool.subarray(1, 2),
      pool.subarray(3, 67),
      pool.subarray(5, 605),
      pool.slice(0, 2999),
    ];
  })();

  it('gives the same digests with the JS and the WebCrypto backend', async () => {
    const expected = inputs.map((b) => nobleSha256(b));
    expect(await sha256Many(inputs, 'inline')).toEqual(expected);
    expect(await sha256Many(inputs, 'webcrypto')).toEqual(expected);
    expect(await sha256Many(inputs)).toEqual(expected);
    expect(inputs.map((b) => sha256(b))).toEqual(expected);
  });

  it('agrees on random inputs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 800 }), { maxLength: 8 }), async (items) => {
        const [js, native] = await Promise.all([sha256Many(items, 'inline'), sha256Many(items, 'webcrypto')]);
        expect(native).toEqual(js);
      }),
      { numRuns: 40 },
    );
  });

  it('uses the JS backend on Node, where it is the faster one', async () => {
    expect(await digestBackend()).toBe('inline');
  });
});

describe('copyTogether', () => {
  it('copies arrays end to end into one buffer, each copy a view of it', () => {
    const parts = [new Uint8Array([1, 2]), new Uint8Array(0), new Uint8Array([3])];
    const { buffer, views } = copyTogether(parts);
    expect([...buffer]).toEqual([1, 2, 3]);
    expect(views.map((v) => [...v])).toEqual([[1, 2], [], [3]]);
    expect(views.every((v) => v.buffer === buffer.buffer)).toBe(true);
    parts[0]![0] = 9; // copies: the inputs can change afterwards
    expect(views[0]![0]).toBe(1);
  });
});
