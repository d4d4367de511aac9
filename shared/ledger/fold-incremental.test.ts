import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBalances } from '../settle/balances';
import { fold } from './fold';
import { IncrementalFold } from './fold-incremental';
import { inTotalOrder } from './fold-order';
import { generateLedger, seededRandom } from './fold-testkit';
import { stateHash } from './state-hash';
import type { GroupState, VerifiedEntry } from './types';

/** Cuts `list` into consecutive batches of random sizes (1 to `max`). */
function batches<T>(list: readonly T[], rnd: () => number, max: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; ) {
    const size = 1 + Math.floor(rnd() * max);
    out.push(list.slice(i, i + size));
    i += size;
  }
  return out;
}

describe('IncrementalFold', () => {
  it('gives fold’s state at every step of a log growing in total order, and never changes a state it gave', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer(), (seed, cutSeed) => {
        const ledger = generateLedger({ seed, entries: 150, members: 5, maxLag: 3 });
        const ordered = inTotalOrder(ledger.entries);
        const folder = new IncrementalFold(ledger.groupId);
        const given: { state: GroupState; hash: string }[] = [];
        let seen: VerifiedEntry[] = [];
        for (const batch of batches(ordered, seededRandom(cutSeed), 6)) {
          seen = [...seen, ...batch];
          const state = folder.fold(seen);
          expect(state).toEqual(fold(ledger.groupId, seen));
          given.push({ state, hash: stateHash(state) });
        }
        // Renames, edits, deletions and paid requests since then left every earlier state as it was.
        for (const { state, hash } of given) expect(stateHash(state)).toBe(hash);
        expect(folder.counts.full).toBe(1);
        expect(folder.counts.continued).toBe(given.length - 1);
      }),
      { numRuns: 25 },
    );
  });

  it('folds from scratch when entries arrive out of order or leave, with the same result as fold', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer(), (seed, orderSeed) => {
        const ledger = generateLedger({ seed, entries: 120, members: 4, maxLag: 4 });
        const rnd = seededRandom(orderSeed);
        const folder = new IncrementalFold(ledger.groupId);
        const arrived: VerifiedEntry[] = [];
        for (const batch of batches(ledger.entries, rnd, 10)) {
          arrived.push(...batch); // generation order: lagging writers put entries before the end
          expect(stateHash(folder.fold(arrived))).toBe(stateHash(fold(ledger.groupId, arrived)));
        }
        // A fork takes an author's later entries out of the log.
        const fewer = arrived.filter(() => rnd() < 0.8);
        expect(folder.fold(fewer)).toEqual(fold(ledger.groupId, fewer));
        expect(folder.counts.full).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 30 },
    );
  });

  it('hands the balances the same facts as fold does', () => {
    const ledger = generateLedger({ seed: 11, entries: 200, members: 6 });
    const ordered = inTotalOrder(ledger.entries);
    const folder = new IncrementalFold(ledger.groupId);
    folder.fold(ordered.slice(0, 120));
    const state = folder.fold(ordered);
    expect(folder.counts.continued).toBe(1);
    expect(computeBalances(state)).toEqual(computeBalances(fold(ledger.groupId, ordered)));
  });

  it('returns the same state for the same entries, and keeps its own copy of the caller’s list', () => {
    const ledger = generateLedger({ seed: 3, entries: 80 });
    const ordered = [...inTotalOrder(ledger.entries)];
    const folder = new IncrementalFold(ledger.groupId);
    const list = ordered.slice(0, 50);
    const first = folder.fold(list);
    expect(folder.fold(ordered.slice(0, 50))).toBe(first);
    // The caller reuses its array for something else: the next fold is still right.
    list.splice(0, list.length, ...ordered.slice(0, 10));
    expect(folder.fold(ordered)).toEqual(fold(ledger.groupId, ordered));
    expect(folder.counts).toEqual({ full: 1, continued: 1 });
  });
});
