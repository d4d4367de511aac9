import { chacha20poly1305, xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { encryptBody } from '../shared/crypto/aead';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkPrimitives,
  installSymmetricPrimitives,
  noblePrimitives,
  resetSymmetricPrimitives,
  symmetricPrimitives,
} from '../shared/crypto/primitives';
import { GroupLog } from '../shared/ledger/group-log';
import { generateGroupKey } from '../shared/crypto/group-key';
import { flipByte, twoAuthorHistory, withBody } from '../shared/ledger/test-fixtures';
import { resetSigner } from '../shared/crypto/sign';
import { installNodePrimitives, nodePrimitives } from './node-primitives';

afterEach(() => {
  resetSymmetricPrimitives();
  resetSigner();
});

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });

describe('node primitives', () => {
  it('install OpenSSL at once, then libsodium on top (each passes the known-answer tests)', async () => {
    const installing = installNodePrimitives();
    expect(symmetricPrimitives()).toBe(nodePrimitives);
    const installed = await installing;
    expect(installed.name).toBe('node+libsodium');
    expect(symmetricPrimitives()).toBe(installed);
    expect(checkPrimitives(installed)).toBe(true);
  });

  it('hash exactly like noble', () => {
    fc.assert(
      fc.property(bytes(0, 2000), (data) => {
        expect(nodePrimitives.sha256(data)).toEqual(noblePrimitives.sha256(data));
      }),
      { numRuns: 300 },
    );
  });

  it('open what noble seals, into a given buffer too, and refuse any altered byte', () => {
    fc.assert(
      fc.property(
        bytes(32, 32),
        bytes(12, 12),
        bytes(0, 700),
        bytes(0, 140),
        fc.nat(),
        (key, nonce, plain, aad, flipAt) => {
          const sealed = chacha20poly1305(key, nonce, aad).encrypt(plain);
          expect(nodePrimitives.openChaCha20Poly1305(key, nonce, sealed, aad)).toEqual(plain);
          const out = new Uint8Array(plain.length);
          expect(nodePrimitives.openChaCha20Poly1305(key, nonce, sealed, aad, out)).toBe(out);
          expect(out).toEqual(plain);
          const altered = sealed.slice();
          altered[flipAt % altered.length]! ^= 0x40;
          expect(() => nodePrimitives.openChaCha20Poly1305(key, nonce, altered, aad)).toThrow();
          expect(() => noblePrimitives.openChaCha20Poly1305(key, nonce, altered, aad)).toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('seal exactly like noble, and encryptBody through them seals like XChaCha20-Poly1305', () => {
    fc.assert(
      fc.property(
        bytes(32, 32),
        bytes(12, 12),
        bytes(24, 24),
        bytes(0, 700),
        bytes(0, 140),
        (key, nonce, xnonce, plain, aad) => {
          const seal = nodePrimitives.sealChaCha20Poly1305!;
          expect(seal(key, nonce, plain, aad)).toEqual(chacha20poly1305(key, nonce, aad).encrypt(plain));
          installSymmetricPrimitives(nodePrimitives);
          const sealed = encryptBody(key, xnonce, plain, aad);
          resetSymmetricPrimitives();
          expect(sealed).toEqual(xchacha20poly1305(key, xnonce, aad).encrypt(plain));
          expect(encryptBody(key, xnonce, plain, aad)).toEqual(sealed);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('are refused when their seal differs from the RFC 8439 vector', () => {
    const wrong = {
      ...nodePrimitives,
      sealChaCha20Poly1305: (k: Uint8Array, n: Uint8Array, p: Uint8Array, a: Uint8Array) => {
        const out = nodePrimitives.sealChaCha20Poly1305!(k, n, p, a);
        out[0]! ^= 1;
        return out;
      },
    };
    expect(checkPrimitives(wrong)).toBe(false);
  });

  it('refuse a box shorter than its tag', () => {
    expect(() =>
      nodePrimitives.openChaCha20Poly1305(
        new Uint8Array(32),
        new Uint8Array(12),
        new Uint8Array(5),
        new Uint8Array(),
      ),
    ).toThrow();
  });

  it('give a GroupLog the same verdicts as noble, for good and bad bodies alike', async () => {
    const { g: group, alice: ann, bob, bytes: entries } = await twoAuthorHistory(10);
    const utf8 = new TextEncoder();
    const notAnEvent = await ann.write({ type: 'chat.message', text: 'x' });
    const otherKey = await bob.write({ type: 'chat.message', text: 'y' });
    const batch = [
      ...entries,
      await withBody(notAnEvent.bytes, utf8.encode('{"type":"nope"}'), ann.identity, group.groupKey),
      await withBody(otherKey.bytes, utf8.encode('{}'), bob.identity, generateGroupKey()),
      flipByte(entries[5]!, 150),
    ];
    const summary = async () => {
      const log = new GroupLog({ groupId: group.groupId, groupKey: group.groupKey });
      const r = await log.ingest(batch);
      return {
        accepted: r.accepted.map((e) => e.id).sort(),
        rejected: r.rejected.map((x) => x.code).sort(),
        // Sealed with a key the log lacks: held as unreadable, not refused (protocol §15).
        unreadable: log.unreadableIds(),
      };
    };
    const withNoble = await summary();
    await installNodePrimitives();
    const withNode = await summary();
    expect(withNode).toEqual(withNoble);
    expect(withNode.accepted).toHaveLength(entries.length);
    expect(withNode.rejected).toEqual(['bad_signature', 'schema_invalid']);
    expect(withNode.unreadable).toHaveLength(1);
  });
});
