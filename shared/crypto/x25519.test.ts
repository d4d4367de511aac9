import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { walletEventSchema } from '../ledger/events';
import { bytesToHex, hexToBytes } from './hash';
import { generateIdentity, importSecretKey } from './identity';
import { x25519KeyPairOf, x25519PublicHex } from './x25519';

describe('x25519 keys of an identity', () => {
  it('are the Montgomery form of the Ed25519 key, so two members agree on a shared secret', () => {
    const alice = generateIdentity();
    const bob = generateIdentity();
    const a = x25519KeyPairOf(alice);
    const b = x25519KeyPairOf(bob);
    expect(bytesToHex(a.publicKey)).toBe(bytesToHex(ed25519.utils.toMontgomery(alice.publicKey)));
    const ab = x25519.getSharedSecret(a.secretKey, b.publicKey);
    expect(bytesToHex(ab)).toBe(bytesToHex(x25519.getSharedSecret(b.secretKey, a.publicKey)));
    expect(bytesToHex(ab)).not.toBe(bytesToHex(new Uint8Array(32)));
  });

  it('come back with a restored identity, differ between identities, and fit a join', () => {
    const seed = hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    const hex = x25519PublicHex(importSecretKey(seed));
    expect(x25519PublicHex(importSecretKey(seed))).toBe(hex);
    expect(x25519PublicHex(generateIdentity())).not.toBe(hex);
    expect(walletEventSchema.parse({ type: 'member.joined', name: 'Bo', x25519: hex })).toMatchObject({
      x25519: hex,
    });
  });
});
