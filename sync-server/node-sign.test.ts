import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { WalletError } from '../shared/errors';
import { generateIdentity } from '../shared/crypto/identity';
import {
  checkSigner,
  installSigner,
  nobleBackend,
  resetSigner,
  sign,
  verify,
  webCryptoBackend,
} from '../shared/crypto/sign';
import { createEntry, openEntry } from '../shared/ledger/envelope';
import { generateGroupId, generateGroupKey } from '../shared/crypto/group-key';
import { installNodePrimitives } from './node-primitives';
import { resetSymmetricPrimitives } from '../shared/crypto/primitives';
import { nodeSign } from './node-sign';

afterEach(() => {
  resetSigner();
  resetSymmetricPrimitives();
});

describe('node:crypto Ed25519 signer', () => {
  it('gives byte-identical signatures to noble and WebCrypto', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 3000 }),
        async (seed, message) => {
          const ours = nodeSign(seed, message);
          expect(ours).toEqual(await nobleBackend.sign(seed, message));
          expect(ours).toEqual(await webCryptoBackend.sign(seed, message));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('passes the known-answer check; a signer that differs does not, and is refused', () => {
    expect(checkSigner(nodeSign)).toBe(true);
    const flipped = (seed: Uint8Array, m: Uint8Array) => {
      const s = nodeSign(seed, m);
      s[0]! ^= 1;
      return s;
    };
    const throws = () => {
      throw new Error('broken');
    };
    expect(checkSigner(flipped)).toBe(false);
    expect(checkSigner(throws)).toBe(false);
    expect(() => installSigner(flipped)).toThrow(WalletError);
  });

  it('is what sign() uses once installed with the Node primitives, and entries still verify', async () => {
    let calls = 0;
    installSigner((seed, m) => {
      calls++;
      return nodeSign(seed, m);
    });
    const before = calls;
    const id = generateIdentity();
    const m = new TextEncoder().encode('hello');
    const s = await sign(id.secretKey, m);
    expect(calls).toBe(before + 1);
    expect(await verify(id.publicKey, m, s)).toBe(true);
    await expect(sign(new Uint8Array(31), m)).rejects.toMatchObject({ code: 'invalid_key' });

    resetSigner();
    await installNodePrimitives();
    const groupId = generateGroupId();
    const groupKey = generateGroupKey();
    const created = await createEntry({
      identity: id,
      groupId,
      groupKey,
      seq: 1,
      prev: null,
      lamport: 1,
      time: 0,
      event: { type: 'member.joined', name: 'Ann' },
    });
    const opened = await openEntry(created.bytes, { groupId, groupKey });
    expect(opened.ok).toBe(true);
  });
});
