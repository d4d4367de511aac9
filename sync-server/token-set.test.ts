import { describe, expect, it } from 'vitest';
import { seededRandom } from '../shared/sync/seeded-random';
import {
  admittedRecord,
  applyHandOver,
  claimSet,
  type HandOver,
  liveRecords,
  parseTokenSet,
  serializeTokenSet,
  type TokenRecord,
  type TokenSet,
} from './token-set';

const h = (n: number): string => n.toString(16).padStart(64, '0');
const AUTHOR = 'a'.repeat(64);
const RULES = { graceMs: 1000, maxLiveTokens: 4 };
const T0 = 1_000_000;

function handOver(from: number, to: number, epoch: number): HandOver {
  return { fromHash: h(from), toHash: h(to), epoch, addedBy: AUTHOR };
}

function ok(result: ReturnType<typeof applyHandOver>): { records: TokenSet; changed: boolean } {
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result;
}

describe('admittedRecord', () => {
  it('admits the claim of a legacy room and nothing else', () => {
    const set = claimSet(h(1));
    expect(admittedRecord(set, h(1), T0)).toEqual({ hash: h(1), epoch: 0, addedBy: null, expiresAt: null });
    expect(admittedRecord(set, h(2), T0)).toBeNull();
    expect(admittedRecord(set, 'not hex', T0)).toBeNull();
  });

  it('admits any live record and refuses an expired one from its expiry on', () => {
    const set: TokenSet = [
      { hash: h(1), epoch: 0, addedBy: null, expiresAt: T0 + 10 },
      { hash: h(2), epoch: 1, addedBy: AUTHOR, expiresAt: null },
    ];
    expect(admittedRecord(set, h(1), T0 + 9)?.hash).toBe(h(1));
    expect(admittedRecord(set, h(1), T0 + 10)).toBeNull();
    expect(admittedRecord(set, h(2), T0 + 10 ** 9)?.hash).toBe(h(2));
  });
});

describe('applyHandOver', () => {
  it('adds the new token and gives only the from-record its grace', () => {
    const { records, changed } = ok(applyHandOver(claimSet(h(1)), handOver(1, 2, 1), T0, RULES));
    expect(changed).toBe(true);
    expect(records).toEqual([
      { hash: h(1), epoch: 0, addedBy: null, expiresAt: T0 + 1000 },
      { hash: h(2), epoch: 1, addedBy: AUTHOR, expiresAt: null },
    ]);
    expect(admittedRecord(records, h(1), T0 + 999)).not.toBeNull();
    expect(admittedRecord(records, h(1), T0 + 1000)).toBeNull();
  });

  it('is idempotent, and a later repeat does not extend the grace', () => {
    const first = ok(applyHandOver(claimSet(h(1)), handOver(1, 2, 1), T0, RULES)).records;
    const again = ok(applyHandOver(first, handOver(1, 2, 1), T0 + 500, RULES));
    expect(again).toEqual({ ok: true, records: first, changed: false });
    // Another device of the group hands over to the same token with another signer.
    const other = ok(applyHandOver(first, { ...handOver(1, 2, 1), addedBy: 'b'.repeat(64) }, T0 + 1, RULES));
    expect(other.changed).toBe(false);
    expect(other.records[1]!.addedBy).toBe(AUTHOR);
  });

  it('sets the from-record expiry when the new token is already there but the old one had none', () => {
    // Two tokens with no expiry (e.g. two devices handed over from different tokens).
    const set: TokenSet = [
      { hash: h(1), epoch: 0, addedBy: null, expiresAt: null },
      { hash: h(2), epoch: 1, addedBy: AUTHOR, expiresAt: null },
    ];
    const { records, changed } = ok(applyHandOver(set, handOver(1, 2, 1), T0, RULES));
    expect(changed).toBe(true);
    expect(records[0]!.expiresAt).toBe(T0 + 1000);
    expect(records[1]!.expiresAt).toBeNull();
  });

  it('never expires a token by handing over to an older or expiring one, nor to itself', () => {
    const moved = ok(applyHandOver(claimSet(h(1)), handOver(1, 2, 5), T0, RULES)).records;
    // From the epoch-5 token "to" the expiring claim: ok, nothing changes.
    const unchanged = { ok: true, records: moved, changed: false };
    expect(applyHandOver(moved, handOver(2, 1, 6), T0, RULES)).toEqual(unchanged);
    // To itself.
    expect(applyHandOver(moved, handOver(2, 2, 6), T0, RULES)).toEqual(unchanged);
  });

  it('refuses a stale epoch and changes nothing', () => {
    const set = ok(applyHandOver(claimSet(h(1)), handOver(1, 2, 3), T0, RULES)).records;
    expect(applyHandOver(set, handOver(2, 3, 3), T0, RULES)).toEqual({ ok: false, reason: 'stale_epoch' });
    expect(applyHandOver(set, handOver(2, 3, 2), T0, RULES)).toEqual({ ok: false, reason: 'stale_epoch' });
    expect(ok(applyHandOver(set, handOver(2, 3, 4), T0, RULES)).changed).toBe(true);
  });

  it('refuses a hand-over from an expired or unknown token', () => {
    const set = ok(applyHandOver(claimSet(h(1)), handOver(1, 2, 1), T0, RULES)).records;
    expect(applyHandOver(set, handOver(1, 3, 2), T0 + 1000, RULES)).toEqual({
      ok: false,
      reason: 'token_expired',
    });
    expect(applyHandOver(set, handOver(9, 3, 2), T0, RULES)).toEqual({ ok: false, reason: 'token_expired' });
  });

  it('refuses past the cap of live tokens; expired ones are pruned and free their slot', () => {
    let set: TokenSet = claimSet(h(1));
    for (let n = 2; n <= 4; n++) set = ok(applyHandOver(set, handOver(1, n, n), T0, RULES)).records;
    expect(set).toHaveLength(4);
    expect(applyHandOver(set, handOver(4, 5, 9), T0, RULES)).toEqual({
      ok: false,
      reason: 'too_many_tokens',
    });
    // An idempotent repeat is still fine at the cap.
    expect(ok(applyHandOver(set, handOver(1, 3, 3), T0, RULES)).changed).toBe(false);
    // Once the claim's grace is over it is pruned: room for one more.
    const after = ok(applyHandOver(set, handOver(4, 5, 9), T0 + 1000, RULES)).records;
    expect(after.map((r) => r.hash)).toEqual([h(2), h(3), h(4), h(5)]);
  });

  it('prunes expired records on an idempotent hand-over and reports the change', () => {
    const set = ok(applyHandOver(claimSet(h(1)), handOver(1, 2, 1), T0, RULES)).records;
    // A second device, still on the claim, hands over to another new token: two without expiry.
    const withThird = ok(applyHandOver(set, handOver(1, 3, 2), T0 + 1, RULES)).records;
    expect(withThird.map((r) => r.expiresAt)).toEqual([T0 + 1000, null, null]);
    const later = ok(applyHandOver(withThird, handOver(2, 3, 2), T0 + 1000, RULES));
    expect(later.changed).toBe(true);
    expect(later.records).toEqual([
      { hash: h(2), epoch: 1, addedBy: AUTHOR, expiresAt: T0 + 2000 },
      { hash: h(3), epoch: 2, addedBy: AUTHOR, expiresAt: null },
    ]);
  });

  it('throws on a request that could not have come off the wire', () => {
    expect(() => applyHandOver(claimSet(h(1)), { ...handOver(1, 2, 1), toHash: 'XY' }, T0, RULES)).toThrow(
      RangeError,
    );
    expect(() => applyHandOver(claimSet(h(1)), handOver(1, 2, 0), T0, RULES)).toThrow(RangeError);
  });

  it('keeps the newest non-expiring record alive whatever members sign (seeded random runs)', () => {
    const outcomes = new Map<string, number>();
    for (let seed = 1; seed <= 200; seed++) {
      const random = seededRandom(seed);
      let set: TokenSet = claimSet(h(1));
      let now = T0;
      for (let step = 0; step < 60; step++) {
        now += random.int(0, 600);
        const live = liveRecords(set, now);
        const known = live.map((r) => Number.parseInt(r.hash, 16));
        const from = random.chance(0.8) && known.length > 0 ? random.pick(known) : random.int(1, 40);
        const to = random.chance(0.3) && known.length > 0 ? random.pick(known) : random.int(1, 40);
        const epoch = random.chance(0.1) ? 0xffff_ffff : random.int(1, 50);
        const before = liveRecords(set, now);
        const result = applyHandOver(set, handOver(from, to, epoch), now, RULES);
        const outcome = result.ok ? (result.changed ? 'changed' : 'same') : result.reason;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        if (!result.ok) continue;
        set = result.records;
        const after = liveRecords(set, now);
        expect(set).toEqual(after); // pruned
        expect(after.length).toBeLessThanOrEqual(RULES.maxLiveTokens);
        expect(new Set(after.map((r) => r.hash)).size).toBe(after.length);
        // Only the from-record's expiry may have changed, and never been extended.
        for (const r of after) {
          const old = before.find((b) => b.hash === r.hash);
          if (old === undefined) {
            expect(r).toEqual({ hash: h(to), epoch, addedBy: AUTHOR, expiresAt: null });
          } else if (old.expiresAt !== r.expiresAt) {
            expect(r.hash).toBe(h(from));
            expect(old.expiresAt).toBeNull();
          }
        }
        expect(parseTokenSet(serializeTokenSet(set))).toEqual(set);
      }
      // Far in the future, something still opens the room.
      expect(liveRecords(set, Number.MAX_SAFE_INTEGER).length, `seed ${seed}`).toBeGreaterThan(0);
    }
    // Every rule was exercised many times.
    for (const outcome of ['changed', 'same', 'token_expired', 'stale_epoch', 'too_many_tokens']) {
      expect(outcomes.get(outcome) ?? 0, outcome).toBeGreaterThan(50);
    }
  });
});

describe('serialised token sets', () => {
  const good: TokenRecord[] = [
    { hash: h(1), epoch: 0, addedBy: null, expiresAt: 5 },
    { hash: h(2), epoch: 7, addedBy: AUTHOR, expiresAt: null },
  ];

  it('round-trip', () => {
    expect(parseTokenSet(serializeTokenSet(good))).toEqual(good);
    expect(parseTokenSet(serializeTokenSet(claimSet(h(3))))).toEqual(claimSet(h(3)));
  });

  it.each([
    ['not a string', 42],
    ['not JSON', '[{'],
    ['not a list', '{}'],
    ['empty', '[]'],
    ['a record not an object', '[1]'],
    ['a missing key', JSON.stringify([{ hash: h(1), epoch: 0, addedBy: null }])],
    ['an extra key', JSON.stringify([{ ...good[0], x: 1 }])],
    ['upper-case hash', JSON.stringify([{ ...good[0], hash: h(1).replace(/0/g, 'A') }])],
    ['short hash', JSON.stringify([{ ...good[0], hash: 'ab' }])],
    ['negative epoch', JSON.stringify([{ ...good[0], epoch: -1 }])],
    ['fractional epoch', JSON.stringify([{ ...good[0], epoch: 1.5 }])],
    ['epoch past u32', JSON.stringify([{ ...good[0], epoch: 2 ** 32 }])],
    ['bad author', JSON.stringify([{ ...good[1], addedBy: 'me' }])],
    ['string expiry', JSON.stringify([{ ...good[0], expiresAt: '5' }])],
    ['repeated hash', JSON.stringify([good[0], { ...good[1], hash: h(1) }])],
    [
      'too many records',
      JSON.stringify(Array.from({ length: 1025 }, (_, i) => ({ ...good[1], hash: h(i) }))),
    ],
  ])('refuse %s with a relay_storage_corrupt error', (_what, value) => {
    expect(() => parseTokenSet(value)).toThrow(expect.objectContaining({ code: 'relay_storage_corrupt' }));
  });
});
