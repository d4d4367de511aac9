import { createPrivateKey, createPublicKey, diffieHellman, hkdfSync } from 'node:crypto';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { x25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../../docs/vectors/key-rotation.json';
import { generateGroupId, generateGroupKey, deriveRelayToken } from './group-key';
import { bytesToHex, hexToBytes } from './hash';
import { generateIdentity, importSecretKey, memberIdOf } from './identity';
import { openEpochKey, sealEpochKey } from './sealed-key';
import { x25519KeyPairOf, x25519PublicHex } from './x25519';

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** The box computed a second way: X25519 and HKDF from Node's OpenSSL, the AEAD from noble. */
function boxByNode(c: (typeof vectors.cases)[number]): string {
  const eph = hexToBytes(c.ephemeralSecret);
  const ephPublic = x25519.getPublicKey(eph);
  const recipient = hexToBytes(c.x25519);
  const shared = diffieHellman({
    privateKey: createPrivateKey({
      key: { kty: 'OKP', crv: 'X25519', d: b64url(eph), x: b64url(ephPublic) },
      format: 'jwk',
    }),
    publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64url(recipient) }, format: 'jwk' }),
  });
  const k = new Uint8Array(
    hkdfSync('sha256', shared, Buffer.concat([ephPublic, recipient]), 'tally epoch-key v1', 32),
  );
  const aad = Buffer.concat([
    Buffer.from('tally/epoch-key/v1\0'),
    hexToBytes(c.groupId),
    Buffer.from([c.epoch >>> 24, (c.epoch >>> 16) & 255, (c.epoch >>> 8) & 255, c.epoch & 255]),
    hexToBytes(c.member),
  ]);
  const sealed = xchacha20poly1305(k, new Uint8Array(24), aad).encrypt(hexToBytes(c.epochKey));
  return bytesToHex(ephPublic) + bytesToHex(sealed);
}

describe('sealed epoch keys (docs/vectors/key-rotation.json)', () => {
  for (const c of vectors.cases) {
    it(c.name, () => {
      const identity = importSecretKey(hexToBytes(c.recipientSeed));
      expect(memberIdOf(identity.publicKey)).toBe(c.member);
      expect(x25519PublicHex(identity)).toBe(c.x25519);
      const to = { groupId: c.groupId, epoch: c.epoch, member: c.member, x25519: c.x25519 };
      expect(sealEpochKey(hexToBytes(c.epochKey), to, hexToBytes(c.ephemeralSecret))).toBe(c.box);
      expect(boxByNode(c)).toBe(c.box);
      const secret = x25519KeyPairOf(identity).secretKey;
      expect(bytesToHex(openEpochKey(c.box, to, secret)!)).toBe(c.epochKey);
      expect(deriveRelayToken(hexToBytes(c.epochKey))).toBe(c.relayToken);
      // Bound to its group, epoch and recipient.
      expect(openEpochKey(c.box, { ...to, epoch: c.epoch + 1 }, secret)).toBeUndefined();
      expect(openEpochKey(c.box, { ...to, groupId: generateGroupId() }, secret)).toBeUndefined();
      expect(
        openEpochKey(c.box, { ...to, member: memberIdOf(generateIdentity().publicKey) }, secret),
      ).toBeUndefined();
    });
  }

  it('opens only for its recipient, refuses altered boxes, and never throws on junk', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 159 }), fc.integer({ min: 1, max: 15 }), (at, flip) => {
        const alice = generateIdentity();
        const eve = generateIdentity();
        const key = generateGroupKey();
        const to = {
          groupId: generateGroupId(),
          epoch: 3,
          member: memberIdOf(alice.publicKey),
          x25519: x25519PublicHex(alice),
        };
        const box = sealEpochKey(key, to);
        expect(openEpochKey(box, to, x25519KeyPairOf(alice).secretKey)).toEqual(key);
        expect(openEpochKey(box, to, x25519KeyPairOf(eve).secretKey)).toBeUndefined();
        const altered =
          box.slice(0, at) + (Number.parseInt(box[at]!, 16) ^ flip).toString(16) + box.slice(at + 1);
        expect(openEpochKey(altered, to, x25519KeyPairOf(alice).secretKey)).toBeUndefined();
        expect(openEpochKey('zz', to, x25519KeyPairOf(alice).secretKey)).toBeUndefined();
      }),
      { numRuns: 30 },
    );
  });

  it('refuses bad inputs with typed errors', () => {
    const to = { groupId: generateGroupId(), epoch: 1, member: 'a'.repeat(64), x25519: 'b'.repeat(64) };
    expect(() => sealEpochKey(new Uint8Array(5), to)).toThrow(
      expect.objectContaining({ code: 'invalid_key' }),
    );
    expect(() => sealEpochKey(generateGroupKey(), { ...to, epoch: -1 })).toThrow(
      expect.objectContaining({ code: 'invalid_epoch' }),
    );
    expect(() => sealEpochKey(generateGroupKey(), { ...to, x25519: 'nope' })).toThrow(
      expect.objectContaining({ code: 'invalid_x25519_key' }),
    );
    // A low-order point (all zero) gives an all-zero shared secret: refused.
    expect(() => sealEpochKey(generateGroupKey(), { ...to, x25519: '0'.repeat(64) })).toThrow(
      expect.objectContaining({ code: 'invalid_x25519_key' }),
    );
  });
});
