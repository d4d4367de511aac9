import { describe, expect, it } from 'vitest';
import { isWalletError } from '../errors';
import { bytesToHex, equalBytes, hexToBytes, sha256Hex } from './hash';

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
});
