import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from './fold';
import { generateLedger, seededRandom } from './fold-testkit';
import { stateHash } from './state-hash';
import type { GroupState, VerifiedEntry } from './types';

function shuffle<T>(list: readonly T[], rnd: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The generated ledger must exercise what convergence is about, or the shuffles prove little. */
function expectRichState(s: GroupState): void {
  expect(s.members.length).toBeGreaterThanOrEqual(4);
  expect(s.expenses.some((e) => e.deleted)).toBe(true);
  expect(s.expenses.some((e) => e.versions.length > 2)).toBe(true);
  const kinds = new Set(s.conflicts.map((c) => c.kind));
  expect(kinds.has('update-update') && kinds.has('update-delete')).toBe(true);
  expect(s.conflicts.some((c) => c.resolved)).toBe(true);
  expect(s.conflicts.some((c) => !c.resolved)).toBe(true);
  expect(s.payments.some((p) => p.deleted)).toBe(true);
  expect(new Set(s.requests.map((r) => r.status))).toEqual(new Set(['open', 'paid', 'cancelled']));
  expect(s.chat.length).toBeGreaterThan(10);
  expect(new Set(s.ignored.map((i) => i.code)).size).toBeGreaterThanOrEqual(4);
}

describe('fold converges whatever the arrival order', () => {
  // 1,000 folds and SHA-256s of a ~100 kB state: allow for a busy CI machine.
  it('gives the same state hash for 1,000 shuffles of a generated ledger', { timeout: 180_000 }, () => {
    const ledger = generateLedger({ seed: 4, entries: 150 });
    const reference = fold(ledger.groupId, ledger.entries);
    expectRichState(reference);
    const expected = stateHash(reference);
    const rnd = seededRandom(42);
    for (let i = 0; i < 1000; i++) {
      const s = fold(ledger.groupId, shuffle(ledger.entries, rnd));
      if (stateHash(s) !== expected) expect(s).toEqual(reference); // shows the difference
      expect(stateHash(s)).toBe(expected);
    }
  });

  it('converges for other generated ledgers, with duplicated deliveries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer(), (seed, shuffleSeed) => {
        const ledger = generateLedger({ seed, entries: 120, members: 4, maxLag: 4 });
        const rnd = seededRandom(shuffleSeed);
        const again: VerifiedEntry[] = ledger.entries.filter(() => rnd() < 0.1);
        const arrived = shuffle([...ledger.entries, ...again], rnd);
        const s = fold(ledger.groupId, arrived);
        expect(s.entryCount).toBe(ledger.entries.length);
        expect(stateHash(s)).toBe(stateHash(fold(ledger.groupId, ledger.entries)));
      }),
      { numRuns: 50 },
    );
  });
});
