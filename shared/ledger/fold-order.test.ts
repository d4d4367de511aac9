import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inTotalOrder } from './fold-order';
import { compareEntries } from './types';
import { hexId, memberId } from './fold-testkit';
import type { VerifiedEntry } from './types';

const AUTHORS = ['a', 'b', 'c', 'd'].map(memberId);

function entry(author: string, lamport: number, seq: number, tag = ''): VerifiedEntry {
  return {
    id: hexId(`${author}:${lamport}:${seq}:${tag}`),
    header: { version: 1, groupId: 'g', author, seq, prev: null, lamport, time: 0 },
    event: { type: 'chat.message', text: 'x' },
  };
}

const entriesArb = fc.array(
  fc.record({
    author: fc.constantFrom(...AUTHORS),
    lamport: fc.integer({ min: 0, max: 6 }),
    seq: fc.integer({ min: 1, max: 3 }),
    tag: fc.constantFrom('', 'fork'),
  }),
  { maxLength: 40 },
);

describe('inTotalOrder', () => {
  it('orders by lamport, author, seq, then id — including forks sharing lamport and author', () => {
    fc.assert(
      fc.property(entriesArb, (specs) => {
        const entries = specs.map((s) => entry(s.author, s.lamport, s.seq, s.tag));
        const sorted = inTotalOrder(entries);
        expect(sorted).toEqual([...entries].sort(compareEntries));
        for (let i = 1; i < sorted.length; i++) {
          expect(compareEntries(sorted[i - 1]!, sorted[i]!)).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('orders sparse lamports (packed-key path) and long runs of one lamport the same way', () => {
    const sparse = fc.array(
      fc.record({
        author: fc.constantFrom(...AUTHORS),
        lamport: fc.constantFrom(0, 1_000, 2_000, 1_000_000),
        seq: fc.integer({ min: 1, max: 3 }),
        tag: fc.constantFrom('', 'fork', 'again'),
      }),
      { minLength: 20, maxLength: 60 },
    );
    fc.assert(
      fc.property(sparse, (specs) => {
        const entries = specs.map((s) => entry(s.author, s.lamport, s.seq, s.tag));
        expect(inTotalOrder(entries)).toEqual([...entries].sort(compareEntries));
        // The same entries squeezed onto two dense lamports: runs far longer than insertion sort takes.
        const dense = specs.map((s) => entry(s.author, s.lamport === 0 ? 1 : 2, s.seq, s.tag));
        expect(inTotalOrder(dense)).toEqual([...dense].sort(compareEntries));
      }),
      { numRuns: 100 },
    );
  });

  it('returns already sorted input as is and does not modify its input', () => {
    const sorted = [entry(AUTHORS[0]!, 1, 1), entry(AUTHORS[1]!, 1, 1), entry(AUTHORS[0]!, 2, 2)].sort(
      compareEntries,
    );
    expect(inTotalOrder(sorted)).toBe(sorted);
    const reversed = [...sorted].reverse();
    const copy = [...reversed];
    expect(inTotalOrder(reversed)).toEqual(sorted);
    expect(reversed).toEqual(copy);
  });

  it('still sorts correctly when lamports are too large to pack into one number', () => {
    const huge = Number.MAX_SAFE_INTEGER - 1;
    const list = [entry(AUTHORS[1]!, huge, 2), entry(AUTHORS[0]!, 3, 1), entry(AUTHORS[0]!, huge, 2)];
    expect(inTotalOrder(list).map((e) => [e.header.lamport, e.header.author])).toEqual([
      [3, AUTHORS[0]],
      ...[AUTHORS[0]!, AUTHORS[1]!].sort().map((a) => [huge, a]),
    ]);
  });
});
