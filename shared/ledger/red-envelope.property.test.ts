/**
 * Red envelope shares: exact sums, at least one unit each, identical on every call (and so on
 * every device), and typed refusals for impossible envelopes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { installSymmetricPrimitives, noblePrimitives, resetSymmetricPrimitives } from '../crypto/primitives';
import { isWalletError } from '../errors';
import { MAX_AMOUNT } from '../money/types';
import { hexId, memberId } from './fold-testkit';
import { MAX_ENVELOPE_SHARES, openRedEnvelope, redEnvelopeShares } from './red-envelope';
import { compareEntries, type VerifiedEntry } from './types';

const RUNS = { numRuns: 2000 };
const entryId = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
/** Mostly small amounts (where "each ≥ 1" bites), sometimes huge ones. */
const amount = fc.oneof(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: MAX_AMOUNT }));
const envelope = fc.tuple(entryId, amount, fc.integer({ min: 1, max: 60 })).filter(([, a, n]) => n <= a);

describe('redEnvelopeShares', () => {
  it('gives n shares that sum exactly to the amount, each at least 1', () => {
    fc.assert(
      fc.property(envelope, ([id, a, n]) => {
        const r = redEnvelopeShares(id, a, n);
        if (!r.ok) return false;
        return (
          r.value.length === n &&
          r.value.every((s) => Number.isSafeInteger(s) && s >= 1) &&
          r.value.reduce((x, y) => x + y, 0) === a
        );
      }),
      RUNS,
    );
  });

  it('is deterministic: the same envelope always gives the same shares', () => {
    fc.assert(
      fc.property(envelope, ([id, a, n]) => {
        const one = redEnvelopeShares(id, a, n);
        const two = redEnvelopeShares(`${id}`, a, n);
        return one.ok && two.ok && one.value.join() === two.value.join();
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same shares with the portable and the native SHA-256 (browser and desktop devices)', () => {
    const ids = Array.from({ length: 50 }, (_, i) => hexId(`device check ${i}`));
    const portable = ids.map((id, i) => redEnvelopeShares(id, 1_000 + i * 977, 1 + (i % 9)));
    // The desktop and Node tools hash with OpenSSL; browsers with noble's pure JS.
    installSymmetricPrimitives({
      ...noblePrimitives,
      name: 'openssl-sha256',
      sha256: (data) => new Uint8Array(createHash('sha256').update(data).digest()),
    });
    try {
      const native = ids.map((id, i) => redEnvelopeShares(id, 1_000 + i * 977, 1 + (i % 9)));
      expect(native).toEqual(portable);
    } finally {
      resetSymmetricPrimitives();
    }
  });

  it('depends on the envelope id (randomness comes from the entry, not the device)', () => {
    const a = redEnvelopeShares(hexId('envelope a'), 100_000, 5);
    const b = redEnvelopeShares(hexId('envelope b'), 100_000, 5);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(a.value).not.toEqual(b.value);
  });

  it('never reads Math.random', () => {
    const original = Math.random;
    Math.random = () => {
      throw new Error('Math.random used');
    };
    try {
      expect(redEnvelopeShares(hexId('x'), 888, 8).ok).toBe(true);
    } finally {
      Math.random = original;
    }
  });

  it('keeps its derivation stable (a change would make old envelopes pay differently)', () => {
    // Pinned output of SHA-256("tally/red-envelope/v1" ‖ id ‖ u32 index) weights: devices on
    // different versions must agree on envelopes already in the ledger.
    const r = redEnvelopeShares(hexId('pinned envelope'), 10_000, 4);
    expect(r.ok && r.value.reduce((x, y) => x + y, 0)).toBe(10_000);
    expect(r).toEqual({ ok: true, value: PINNED });
  });

  it('gives each of n = amount shares exactly 1, and n = 1 the whole amount', () => {
    expect(redEnvelopeShares(hexId('e'), 7, 7)).toEqual({ ok: true, value: [1, 1, 1, 1, 1, 1, 1] });
    expect(redEnvelopeShares(hexId('e'), MAX_AMOUNT, 1)).toEqual({ ok: true, value: [MAX_AMOUNT] });
  });

  it('spreads the amount: shares are not all equal for a large envelope', () => {
    const r = redEnvelopeShares(hexId('spread'), 1_000_000, 10);
    expect(r.ok && new Set(r.value).size).toBeGreaterThan(5);
  });

  it('refuses more shares than minor units with a typed error', () => {
    fc.assert(
      fc.property(
        entryId,
        fc.integer({ min: 1, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        (id, a, extra) => {
          const n = Math.min(a + extra, MAX_ENVELOPE_SHARES);
          if (n <= a) return true;
          const r = redEnvelopeShares(id, a, n);
          return !r.ok && isWalletError(r.error) && r.error.code === 'envelope_too_many_shares';
        },
      ),
      RUNS,
    );
  });

  it('refuses bad ids, amounts and counts with typed errors', () => {
    const code = (r: ReturnType<typeof redEnvelopeShares>) => (r.ok ? 'ok' : r.error.code);
    const id = hexId('e');
    expect(code(redEnvelopeShares('ABC', 100, 2))).toBe('envelope_id_invalid');
    expect(code(redEnvelopeShares(id.toUpperCase(), 100, 2))).toBe('envelope_id_invalid');
    expect(code(redEnvelopeShares(id, 0, 1))).toBe('envelope_amount_invalid');
    expect(code(redEnvelopeShares(id, 1.5, 1))).toBe('envelope_amount_invalid');
    expect(code(redEnvelopeShares(id, MAX_AMOUNT + 1, 1))).toBe('envelope_amount_invalid');
    expect(code(redEnvelopeShares(id, 100, 0))).toBe('envelope_count_invalid');
    expect(code(redEnvelopeShares(id, 100_000, MAX_ENVELOPE_SHARES + 1))).toBe('envelope_count_invalid');
    expect(code(redEnvelopeShares(id, 3, 4))).toBe('envelope_too_many_shares');
  });
});

describe('openRedEnvelope', () => {
  const members = Array.from({ length: 8 }, (_, i) => memberId(`m${i}`));

  it('gives the first n distinct openers shares 0..n-1 and refuses the rest', () => {
    const id = hexId('party');
    const shares = redEnvelopeShares(id, 5_000, 3);
    const [a, b, c, d] = members as [string, string, string, string];
    const r = openRedEnvelope(id, 5_000, 3, [b, a, b, d, c]);
    expect(shares.ok && r.ok).toBe(true);
    if (!shares.ok || !r.ok) return;
    expect(r.value.claims).toEqual([
      { member: b, amount: shares.value[0], index: 0 },
      { member: a, amount: shares.value[1], index: 1 },
      { member: d, amount: shares.value[2], index: 2 },
    ]);
    expect(r.value.refused).toEqual([b, c]);
    expect(r.value.unclaimed).toBe(0);
  });

  it('keeps claims plus unclaimed equal to the amount for any opening order', () => {
    fc.assert(
      fc.property(
        envelope.filter(([, , n]) => n <= 20),
        fc.array(fc.constantFrom(...members), { maxLength: 30 }),
        ([id, a, n], openers) => {
          const r = openRedEnvelope(id, a, n, openers);
          if (!r.ok) return false;
          const claimed = r.value.claims.reduce((s, x) => s + x.amount, 0);
          const distinct = new Set(r.value.claims.map((x) => x.member)).size;
          return (
            claimed + r.value.unclaimed === a &&
            distinct === r.value.claims.length &&
            r.value.claims.length === Math.min(n, new Set(openers).size) &&
            r.value.claims.length + r.value.refused.length === openers.length
          );
        },
      ),
      RUNS,
    );
  });

  it('the same opening order gives the same outcome on every device', () => {
    const id = hexId('same');
    const order = [members[3]!, members[1]!, members[5]!];
    // Two "devices": separate calls, one after other work in between.
    const one = openRedEnvelope(id, 9_999, 2, order);
    redEnvelopeShares(hexId('noise'), 1234, 7);
    const two = openRedEnvelope(id, 9_999, 2, [...order]);
    expect(two).toEqual(one);
  });

  it('gives every device the same outcome whatever order the opens arrived in', () => {
    // How the fold will use it: each device sorts the open entries it has by the total order
    // (lamport, author, seq, id) and hands shares out in that order.
    const opens = fc.array(
      fc.record({ member: fc.constantFrom(...members), lamport: fc.integer({ min: 2, max: 40 }) }),
      { minLength: 1, maxLength: 12 },
    );
    fc.assert(
      fc.property(
        envelope.filter(([, , n]) => n <= 8),
        opens,
        fc.array(fc.integer(), { minLength: 3, maxLength: 3 }),
        ([id, a, n], raw, seeds) => {
          const entries: VerifiedEntry[] = raw.map((o, i) => ({
            id: hexId(`open ${i}`),
            header: {
              version: 1,
              groupId: 'g',
              author: o.member,
              seq: i + 1,
              prev: null,
              lamport: o.lamport,
              time: 0,
            },
            event: { type: 'chat.message', text: 'open' },
          }));
          const outcomes = seeds.map((seed) => {
            const arrived = shuffle(entries, seed);
            const openers = [...arrived].sort(compareEntries).map((e) => e.header.author);
            return JSON.stringify(openRedEnvelope(id, a, n, openers));
          });
          return outcomes.every((o) => o === outcomes[0]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('passes on a refusal of the envelope itself', () => {
    const r = openRedEnvelope(hexId('x'), 2, 3, [members[0]!]);
    expect(r.ok ? 'ok' : r.error.code).toBe('envelope_too_many_shares');
  });
});

/** Computed independently (Python hashlib, the same recipe) for hexId('pinned envelope'), 10,000 units, 4 shares. */
const PINNED = [1470, 245, 807, 7478];

/** Deterministic Fisher–Yates driven by a seed: one device's arrival order. */
function shuffle<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let x = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
