/** Signature verification, noble vs WebCrypto side by side, one at a time and batched. */
import { generateIdentity } from '../../shared/crypto/identity';
import { nobleBackend, verifyBatch, webCryptoBackend } from '../../shared/crypto/sign';
import { type BenchSuite, ratePerSecond } from '../harness';

export const cryptoSuite: BenchSuite = {
  name: 'crypto',
  async run({ quick }) {
    const n = quick ? 50 : 2_000;
    const id = generateIdentity();
    const items = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const message = new TextEncoder().encode(`entry ${i} ${'x'.repeat(200)}`);
        return {
          publicKey: id.publicKey,
          message,
          signature: await nobleBackend.sign(id.secretKey, message),
        };
      }),
    );
    const loop = (backend: typeof nobleBackend) => async () => {
      for (const it of items) {
        if (!(await backend.verify(it.publicKey, it.message, it.signature))) throw new Error('verify failed');
      }
    };
    const noble = await ratePerSecond(n, quick ? 1 : 2, loop(nobleBackend));
    const web = await ratePerSecond(n, quick ? 1 : 3, loop(webCryptoBackend));
    const batched = await ratePerSecond(n, quick ? 1 : 3, async () => {
      const ok = await verifyBatch(items);
      if (ok.some((v) => !v)) throw new Error('batch verify failed');
    });
    return [
      { name: 'verify.noble.per_s', value: noble, unit: 'verify/s' },
      {
        name: 'verify.webcrypto.per_s',
        value: web,
        unit: 'verify/s',
        baseline: { name: 'verify.noble.per_s', value: noble, unit: 'verify/s' },
      },
      {
        name: 'verify.webcrypto.batched.per_s',
        value: batched,
        unit: 'verify/s',
        baseline: { name: 'verify.noble.per_s', value: noble, unit: 'verify/s' },
      },
    ];
  },
};
