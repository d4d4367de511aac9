import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBalances } from '../settle/balances';
import type { MemberId } from '../money/types';
import { fold } from './fold';
import { IncrementalFold } from './fold-incremental';
import { type EventInput, equalExpense, memberId, seededRandom, TestLedger } from './fold-testkit';
import { stateHash } from './state-hash';
import { compareEntries, type EntryId, type GroupState, type VerifiedEntry } from './types';

/**
 * Six roommates writing expenses, payments and chat while some of them leave, approve removals,
 * get removed by the creator, hand over balances and accept or cancel hand-overs, all lagging
 * behind each other (so many of these are concurrent, and some are ignored).
 */
function membershipLedger(seed: number, size: number): TestLedger {
  const rnd = seededRandom(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const L = new TestLedger();
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'].map(memberId);
  const last = new Map<MemberId, number>();
  const handovers: { id: EntryId; lamport: number; from: MemberId; to: MemberId }[] = [];
  const lamportFor = (author: MemberId) => {
    const seen = Math.max(ids.length, L.lamport - int(4));
    return Math.max(seen, last.get(author) ?? 0) + 1;
  };
  L.add(ids[0]!, { type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'A' });
  for (const m of ids.slice(1)) L.add(m, { type: 'member.joined', name: 'M' });
  // Who the writers believe is still in (an approval can remove someone unnoticed); a few entries
  // come from departed members anyway.
  const active = new Set(ids);
  while (L.entries.length < size) {
    const author = rnd() < 0.9 ? pick([...active]) : pick(ids);
    const lamport = lamportFor(author);
    last.set(author, lamport);
    const put = (event: EventInput) => L.add(author, event, { lamport });
    const other = pick((rnd() < 0.9 ? [...active] : ids).filter((m) => m !== author));
    if (other === undefined) break;
    const r = rnd();
    if (r < 0.4) {
      const named = ids.filter(() => rnd() < 0.5);
      put({
        type: 'expense.created',
        expense: equalExpense(author, named.length ? named : [author], 1 + int(9999)),
      });
    } else if (r < 0.5) {
      put({
        type: 'payment.recorded',
        from: author,
        to: other,
        amount: 1 + int(500),
        currency: 'CNY',
        date: '2025-03-03',
      });
    } else if (r < 0.55) {
      put({ type: 'chat.message', text: 'hi' });
    } else if (r < 0.62) {
      if (active.size <= 3) continue;
      put({ type: 'member.left' });
      active.delete(author);
    } else if (r < 0.67) {
      put({ type: 'member.removal_approved', member: other });
    } else if (r < 0.685) {
      if (active.size <= 3) continue;
      put({ type: 'member.removed', member: other });
      if (author === ids[0]) active.delete(other);
    } else if (r < 0.8) {
      const amount = (1 + int(3000)) * (rnd() < 0.5 ? -1 : 1);
      const e = put({ type: 'balance.handed_over', to: other, currency: 'CNY', amount });
      handovers.push({ id: e.id, lamport, from: author, to: other });
    } else {
      const seen = handovers.filter((h) => h.lamport < lamport && (h.to === author || h.from === author));
      if (seen.length === 0) continue;
      const h = pick(seen);
      const accept = h.to === author && rnd() < 0.7;
      put({ type: accept ? 'balance.handover_accepted' : 'balance.handover_cancelled', handover: h.id });
    }
  }
  return L;
}

function shuffle<T>(list: readonly T[], rnd: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Every entry a member wrote after their departure in total order was ignored; balances sum to zero. */
function expectDeparturesHold(entries: readonly VerifiedEntry[], s: GroupState): void {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const ignored = new Set(s.ignored.map((i) => i.entryId));
  for (const m of s.members) {
    if (!m.departedBy) continue;
    const departure = byId.get(m.departedBy)!;
    for (const e of entries) {
      if (e.header.author === m.id && compareEntries(e, departure) > 0) expect(ignored.has(e.id)).toBe(true);
    }
  }
  for (const perMember of computeBalances(s).values()) {
    expect([...perMember.values()].reduce((a, b) => a + b, 0)).toBe(0);
  }
}

describe('membership converges whatever the arrival order', () => {
  it('gives the same state hash for 200 shuffles of a generated ledger', { timeout: 120_000 }, () => {
    const L = membershipLedger(11, 200);
    const reference = fold(L.groupId, L.entries);
    // The ledger must exercise what it is about, or the shuffles prove little.
    expect(reference.members.filter((m) => m.status === 'left').length).toBeGreaterThan(0);
    expect(reference.members.filter((m) => m.status === 'removed').length).toBeGreaterThan(0);
    expect(reference.handovers!.some((h) => h.status === 'accepted')).toBe(true);
    expect(new Set(reference.ignored.map((i) => i.code)).has('author_departed')).toBe(true);
    expectDeparturesHold(L.entries, reference);
    const expected = stateHash(reference);
    const rnd = seededRandom(5);
    for (let i = 0; i < 200; i++) {
      const s = fold(L.groupId, shuffle(L.entries, rnd));
      if (stateHash(s) !== expected) expect(s).toEqual(reference); // shows the difference
    }
  });

  it('converges for other ledgers, with duplicates and an incremental fold in batches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer(), (seed, shuffleSeed) => {
        const L = membershipLedger(seed, 120);
        const rnd = seededRandom(shuffleSeed);
        const arrived = shuffle([...L.entries, ...L.entries.filter(() => rnd() < 0.1)], rnd);
        const reference = fold(L.groupId, L.entries);
        expectDeparturesHold(L.entries, reference);
        const expected = stateHash(reference);
        expect(stateHash(fold(L.groupId, arrived))).toBe(expected);
        const inc = new IncrementalFold(L.groupId);
        const got: VerifiedEntry[] = [];
        const handedOut: { s: GroupState; hash: string }[] = [];
        for (let i = 0; i < arrived.length; ) {
          const n = 1 + Math.floor(rnd() * 15);
          got.push(...arrived.slice(i, i + n));
          i += n;
          const s = inc.fold(got);
          handedOut.push({ s, hash: stateHash(s) });
        }
        expect(stateHash(inc.fold(got))).toBe(expected);
        // States handed out earlier never changed under their readers.
        for (const { s, hash } of handedOut) expect(stateHash(s)).toBe(hash);
      }),
      { numRuns: 40 },
    );
  });
});
