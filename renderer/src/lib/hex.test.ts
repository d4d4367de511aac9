import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../../shared/crypto/hash';
import { fromHex, toHex } from './hex';

describe('hex', () => {
  it('agrees with the crypto code both ways, leading zeros included', () => {
    const bytes = new Uint8Array([0, 1, 15, 16, 127, 128, 254, 255]);
    expect(toHex(bytes)).toBe(bytesToHex(bytes));
    expect(toHex(bytes)).toBe('00010f107f80feff');
    expect(fromHex('00010f107f80feff')).toEqual(bytes);
    expect(toHex(new Uint8Array())).toBe('');
  });
});
