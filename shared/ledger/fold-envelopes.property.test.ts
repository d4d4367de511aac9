import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemberId } from '../money/types';
import { fold } from './fold';
import { IncrementalFold } from './fold-incremental';
import { type EventInput, memberId, seededRandom, TestLedger } from './fold-testkit';
import { openRedEnvelope } from './red-envelope';
import { stateHash } from './state-hash';
import { compareEntries, type EntryId, type GroupState, type VerifiedEntry } from './types';

/**
 * A group whose members send envelopes, open them (often concurrently: authors lag behind the
 * newest entry), open twice, open their own, take the rest back, and chat in between.
 */
function envelopeLedger(seed: number, size: number): TestLedger {
  const rnd = seededRandom(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const L = new TestLedger();
  const ids = ['a', 'b', 'c', 'd', 'e'].map(memberId);
  const last = new Map<MemberId, number>();
  const lamportFor = (author: MemberId) => {
    const seen = Math.max(ids.length, L.lamport - int(4));
    return Math.max(seen, last.get(author) ?? 0) + 1;
  };
  const add = (author: MemberId, event: EventInput, lamport = lamportFor(author)) => {
    last.set(author, lamport);
    return L.add(author, event, { lamport });
  };
  ids.forEach((id, i) => {
    add(
      id,
      i === 0
        ? { type: 'group.created', name: 'G', currency: 'CNY', memberName: 'a' }
        : { type: 'member.joined', name: String(i) },
      i + 1,
    );
  });
  const envelopes: { id: EntryId; author: MemberId }[] = [];
  for (let i = 0; i < size; i++) {
    const author = ids[int(ids.length)]!;
    const r = rnd();
    if (r < 0.2 || envelopes.length === 0) {
      const count = 1 + int(4);
      const e = add(author, {
        type: 'envelope.created',
        amount: count + int(5000),
        currency: 'CNY',
        count,
        date: '2026-02-17',
      });
      envelopes.push({ id: e.id, author });
    } else if (r < 0.85) {
      add(author, { type: 'envelope.opened', envelope: envelopes[int(envelopes.length)]!.id });
    } else if (r < 0.95) {
      const env = envelopes[int(envelopes.length)]!;
      add(rnd() < 0.8 ? env.author : author, { type: 'envelope.reclaimed', envelope: env.id });
    } else {
      add(author, { type: 'chat.message', text: 'hi' });
    }
  }
  return L;
}

function shuffle<T>(list: readonly T[], rnd: () => number): T[] {
  const out = list.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Each envelope's claims are what openRedEnvelope gives for its accepted openers, and all sums hold. */
function expectConsistent(s: GroupState, entries: readonly VerifiedEntry[]): void {
  const opens = new Map<EntryId, MemberId[]>();
  const ignored = new Set(s.ignored.map((i) => i.entryId));
  for (const e of [...entries].sort(compareEntries)) {
    if (e.event.type === 'envelope.opened' && !ignored.has(e.id)) {
      opens.set(e.event.envelope, [...(opens.get(e.event.envelope) ?? []), e.header.author]);
    }
  }
  for (const env of s.redEnvelopes!) {
    const expected = openRedEnvelope(env.id, env.amount, env.count, opens.get(env.id) ?? []);
    if (!expected.ok) throw new Error(expected.error.message);
    expect(env.claims.map(({ member, amount, index }) => ({ member, amount, index }))).toEqual(
      expected.value.claims,
    );
    expect(expected.value.refused).toEqual([]);
    expect(env.unclaimed + env.claims.reduce((sum, c) => sum + c.amount, 0)).toBe(env.amount);
    expect(env.claims.some((c) => c.member === env.author)).toBe(false);
  }
}

describe('red envelopes converge whatever the arrival order', () => {
  it('gives the same envelopes and state hash for 200 shuffles of a generated ledger', () => {
    const L = envelopeLedger(13, 200);
    const reference = fold(L.groupId, L.entries);
    expectConsistent(reference, L.entries);
    const codes = new Set(reference.ignored.map((i) => i.code));
    for (const code of ['envelope_own', 'envelope_already_opened', 'envelope_empty', 'envelope_reclaimed']) {
      expect(codes.has(code), code).toBe(true);
    }
    expect(reference.redEnvelopes!.some((e) => e.claims.length > 1)).toBe(true);
    const expected = stateHash(reference);
    const rnd = seededRandom(5);
    for (let i = 0; i < 200; i++) {
      const s = fold(L.groupId, shuffle(L.entries, rnd));
      if (stateHash(s) !== expected) expect(s.redEnvelopes).toEqual(reference.redEnvelopes);
      expect(stateHash(s)).toBe(expected);
    }
  });

  it('converges on three devices that receive the entries in different batches and orders', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer(), (seed, shuffleSeed) => {
        const L = envelopeLedger(seed, 80);
        const rnd = seededRandom(shuffleSeed);
        const full = fold(L.groupId, L.entries);
        expectConsistent(full, L.entries);
        const expected = stateHash(full);
        for (let device = 0; device < 3; device++) {
          // Duplicated deliveries, any order, folded incrementally after each batch.
          const again = L.entries.filter(() => rnd() < 0.1);
          const arrived = shuffle([...L.entries, ...again], rnd);
          const inc = new IncrementalFold(L.groupId);
          const got: VerifiedEntry[] = [];
          for (let i = 0; i < arrived.length; ) {
            const n = 1 + Math.floor(rnd() * 15);
            got.push(...arrived.slice(i, i + n));
            i += n;
            inc.fold(got);
          }
          const s = inc.fold(got);
          expect(s.redEnvelopes).toEqual(full.redEnvelopes);
          expect(stateHash(s)).toBe(expected);
        }
      }),
      { numRuns: 30 },
    );
  });
});
