import { ed25519 } from '@noble/curves/ed25519.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hexToBytes } from './hash';
import { generateIdentity } from './identity';
import {
  nobleBackend,
  sign,
  signatureBackend,
  TORSION_PROBE,
  verify,
  verifyBatch,
  webCryptoBackend,
  webCryptoEd25519Works,
} from './sign';

const msg = new TextEncoder().encode('tally test message');
const backends = [nobleBackend, webCryptoBackend] as const;

describe('sign / verify', () => {
  it('picks WebCrypto on Node 20+ (which has Ed25519 and passes the probes)', async () => {
    expect(await webCryptoEd25519Works()).toBe(true);
    expect((await signatureBackend()).name).toBe('webcrypto');
  });

  it('both backends produce identical signatures and accept each other’s', async () => {
    for (let i = 0; i < 5; i++) {
      const id = generateIdentity();
      const m = new TextEncoder().encode(`message ${i}`);
      const a = await nobleBackend.sign(id.secretKey, m);
      const b = await webCryptoBackend.sign(id.secretKey, m);
      expect(b).toEqual(a);
      expect(await nobleBackend.verify(id.publicKey, m, b)).toBe(true);
      expect(await webCryptoBackend.verify(id.publicKey, m, a)).toBe(true);
    }
  });

  it.each(backends)('$name rejects a tampered message, signature or key', async (backend) => {
    const id = generateIdentity();
    const sig = await backend.sign(id.secretKey, msg);
    const badMsg = msg.slice();
    badMsg[0]! ^= 1;
    const badSig = sig.slice();
    badSig[10]! ^= 1;
    expect(await backend.verify(id.publicKey, badMsg, sig)).toBe(false);
    expect(await backend.verify(id.publicKey, msg, badSig)).toBe(false);
    expect(await backend.verify(generateIdentity().publicKey, msg, sig)).toBe(false);
    expect(await backend.verify(id.publicKey, msg, sig.subarray(0, 63))).toBe(false);
    expect(await backend.verify(new Uint8Array(32), msg, sig)).toBe(false);
  });

  it.each(backends)('$name rejects a signature valid only under the cofactored equation', async (backend) => {
    const p = TORSION_PROBE;
    // The probe is a real edge case: noble's plain strict verify accepts it…
    expect(ed25519.verify(p.signature, p.message, p.publicKey, { zip215: false })).toBe(true);
    // …but our rule must not, on either backend.
    expect(await backend.verify(p.publicKey, p.message, p.signature)).toBe(false);
  });

  it.each(backends)('$name rejects keys with a torsion component', async (backend) => {
    const id = generateIdentity();
    const order8 = ed25519.Point.fromHex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05');
    const mixed = ed25519.Point.fromBytes(id.publicKey).add(order8).toBytes();
    const smallOrder = hexToBytes('0100000000000000000000000000000000000000000000000000000000000000');
    const sig = await nobleBackend.sign(id.secretKey, msg);
    expect(await backend.verify(mixed, msg, sig)).toBe(false);
    expect(await backend.verify(smallOrder, msg, sig)).toBe(false);
  });

  describe('WebCrypto probe', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it('turns WebCrypto down when it is missing', async () => {
      vi.stubGlobal('crypto', {});
      expect(await webCryptoEd25519Works()).toBe(false);
    });

    it('turns WebCrypto down when it accepts the cofactored-only signature', async () => {
      const real = globalThis.crypto.subtle;
      const p = TORSION_PROBE;
      const cofactored: Pick<SubtleCrypto, 'importKey' | 'sign' | 'verify'> = {
        importKey: real.importKey.bind(real),
        sign: real.sign.bind(real),
        // Behaves like a cofactored implementation: the probe passes, everything else is checked for real.
        verify: async (alg, key, sig, data) =>
          ed25519.verify(
            new Uint8Array(sig as ArrayBuffer),
            new Uint8Array(data as ArrayBuffer),
            p.publicKey,
          ) || real.verify(alg, key, sig, data),
      };
      vi.stubGlobal('crypto', { subtle: cofactored });
      expect(await webCryptoEd25519Works()).toBe(false);
    });
  });

  it('sign rejects a secret key of the wrong length', async () => {
    await expect(sign(new Uint8Array(31), msg)).rejects.toMatchObject({ code: 'invalid_key' });
    await expect(nobleBackend.sign(new Uint8Array(64), msg)).rejects.toMatchObject({ code: 'invalid_key' });
  });

  it('verifyBatch reports each item', async () => {
    const ids = [generateIdentity(), generateIdentity(), generateIdentity()];
    const items = await Promise.all(
      ids.map(async (id) => ({
        publicKey: id.publicKey,
        message: msg,
        signature: await sign(id.secretKey, msg),
      })),
    );
    const forged = { ...items[1]!, publicKey: ids[0]!.publicKey };
    expect(await verifyBatch([...items, forged])).toEqual([true, true, true, false]);
    expect(await verify(ids[2]!.publicKey, msg, items[2]!.signature)).toBe(true);
  });
});
