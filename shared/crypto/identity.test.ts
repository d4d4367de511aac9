import { describe, expect, it } from 'vitest';
import { WalletError } from '../errors';
import { hexToBytes } from './hash';
import { exportSecretKey, generateIdentity, importSecretKey, memberIdOf } from './identity';

describe('identity', () => {
  it('generates distinct 32-byte key pairs', () => {
    const a = generateIdentity();
    const b = generateIdentity();
    expect(a.publicKey).toHaveLength(32);
    expect(a.secretKey).toHaveLength(32);
    expect(memberIdOf(a.publicKey)).not.toBe(memberIdOf(b.publicKey));
  });

  it('exports and re-imports the same identity', () => {
    const a = generateIdentity();
    const exported = exportSecretKey(a);
    const back = importSecretKey(exported);
    expect(back.publicKey).toEqual(a.publicKey);
    exported.fill(0); // the export is a copy: wiping it leaves the identity intact
    expect(a.secretKey.some((b) => b !== 0)).toBe(true);
  });

  it('derives the RFC 8032 public key from its seed', () => {
    const seed = hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    expect(memberIdOf(importSecretKey(seed).publicKey)).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
  });

  it.each([[new Uint8Array(31)], [new Uint8Array(33)], [new Uint8Array(0)]])(
    'refuses a secret key of the wrong length with invalid_key',
    (bytes) => {
      expect(() => importSecretKey(bytes)).toThrow(WalletError);
      try {
        importSecretKey(bytes);
      } catch (e) {
        expect((e as WalletError).code).toBe('invalid_key');
      }
    },
  );
});
