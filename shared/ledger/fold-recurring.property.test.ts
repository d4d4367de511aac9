import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemberId } from '../money/types';
import { addDays, dayNumber } from './calendar-date';
import type { ExpenseTemplate, Schedule } from './events';
import { fold } from './fold';
import { IncrementalFold } from './fold-incremental';
import { type EventInput, hexId, memberId, seededRandom, TestLedger } from './fold-testkit';
import { occurrencesBetween } from './recurrence';
import { stateHash } from './state-hash';
import type { EntryId, GroupState, VerifiedEntry } from './types';

const AS_OF = '2026-06-30';

/**
 * A group whose members create, update, stop, edit and skip recurring expenses while lagging
 * behind each other (so many operations are concurrent), with ordinary expenses in between and a
 * few operations the fold must ignore.
 */
function recurringLedger(seed: number, size: number): TestLedger {
  const rnd = seededRandom(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const L = new TestLedger();
  const ids = ['a', 'b', 'c', 'd'].map(memberId);
  const last = new Map<MemberId, number>();
  /** An author's view lags the newest entry by up to 4 ticks (never behind the group's setup). */
  const lamportFor = (author: MemberId) => {
    const seen = Math.max(ids.length, L.lamport - int(5));
    return Math.max(seen, last.get(author) ?? 0) + 1;
  };
  const add = (author: MemberId, event: EventInput, lamport = lamportFor(author)) => {
    last.set(author, lamport);
    return L.add(author, event, { lamport });
  };
  const date = () => addDays('2025-01-01', int(560))!;
  const schedule = (): Schedule => {
    const start = date();
    const end =
      rnd() < 0.3 ? { count: 1 + int(20) } : rnd() < 0.5 ? { until: addDays(start, int(400))! } : {};
    const interval = 1 + int(3);
    const f = int(3);
    if (f === 0) return { freq: 'weekly', start, interval, ...end };
    if (f === 1) return { freq: 'yearly', start, interval, ...end };
    return { freq: 'monthly', start, interval, day: rnd() < 0.2 ? 'last' : 1 + int(31), ...end };
  };
  const template = (): ExpenseTemplate => {
    const amount = 1 + int(100_000);
    const members = ids.filter(() => rnd() < 0.7);
    return {
      description: `Bill ${int(100)}`,
      category: 'general',
      currency: 'CNY',
      amount,
      payers: [{ member: pick(ids), amount }],
      split: { mode: 'equal', members: members.length > 0 ? members : [ids[0]!] },
    };
  };
  const rules: { id: EntryId; lamport: number; schedule: Schedule }[] = [];
  const someOccurrence = (r: { schedule: Schedule }) =>
    pick(occurrencesBetween(r.schedule, 0, dayNumber('2027-12-31')).slice(0, 30).concat([date()]));

  L.add(ids[0]!, { type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'A' });
  for (const m of ids.slice(1)) L.add(m, { type: 'member.joined', name: 'M' });
  while (L.entries.length < size) {
    const author = pick(ids);
    const r = rnd();
    const lamport = lamportFor(author);
    // Only a rule the author has seen can be named (anything else is a bad entry of its own).
    const seen = rules.filter((x) => x.lamport < lamport).slice(-5);
    const rule = seen.length > 0 ? pick(seen) : undefined;
    const put = (event: EventInput) => add(author, event, lamport);
    if (r < 0.2 || !rule) {
      const s = schedule();
      const e = put({ type: 'recurring.created', schedule: s, template: template() });
      rules.push({ id: e.id, lamport, schedule: s });
    } else if (r < 0.35) {
      put({
        type: 'recurring.updated',
        rule: rule.id,
        effectiveFrom: date(),
        schedule: rnd() < 0.5 ? rule.schedule : schedule(),
        template: template(),
      });
    } else if (r < 0.42) {
      put({ type: 'recurring.stopped', rule: rule.id, effectiveFrom: date() });
    } else if (r < 0.62) {
      put({
        type: 'occurrence.edited',
        rule: rule.id,
        date: someOccurrence(rule),
        data: { ...template(), date: date() },
      });
    } else if (r < 0.8) {
      put({ type: 'occurrence.skipped', rule: rule.id, date: someOccurrence(rule) });
    } else if (r < 0.95) {
      put({ type: 'expense.created', expense: { ...template(), date: date() } });
    } else {
      put({ type: 'occurrence.skipped', rule: hexId(`none:${int(1e6)}`), date: date() });
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

/** The ledger must exercise what the derivation is about, or the shuffles prove little. */
function expectRichState(s: GroupState): void {
  const occurrences = s.occurrences!;
  expect(occurrences.length).toBeGreaterThan(50);
  expect(occurrences.some((o) => o.editedBy !== undefined)).toBe(true);
  expect(s.recurring!.some((r) => r.versions.length > 2)).toBe(true);
  expect(s.recurring!.some((r) => r.stopped)).toBe(true);
  const codes = new Set(s.ignored.map((i) => i.code));
  expect(codes.has('unknown_occurrence') && codes.has('unknown_rule')).toBe(true);
  expect(new Set(occurrences.map((o) => o.id)).size).toBe(occurrences.length);
}

describe('recurring occurrences converge whatever the arrival order', () => {
  it('gives the same state hash for 300 shuffles of a generated ledger', { timeout: 120_000 }, () => {
    const L = recurringLedger(7, 220);
    const reference = fold(L.groupId, L.entries, AS_OF);
    expectRichState(reference);
    const expected = stateHash(reference);
    const rnd = seededRandom(99);
    for (let i = 0; i < 300; i++) {
      const s = fold(L.groupId, shuffle(L.entries, rnd), AS_OF);
      if (stateHash(s) !== expected) expect(s).toEqual(reference); // shows the difference
      expect(stateHash(s)).toBe(expected);
    }
  });

  it('converges for other ledgers, with duplicated deliveries and an incremental fold in batches', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer(), (seed, shuffleSeed) => {
        const L = recurringLedger(seed, 120);
        const rnd = seededRandom(shuffleSeed);
        const again: VerifiedEntry[] = L.entries.filter(() => rnd() < 0.1);
        const arrived = shuffle([...L.entries, ...again], rnd);
        const expected = stateHash(fold(L.groupId, L.entries, AS_OF));
        expect(stateHash(fold(L.groupId, arrived, AS_OF))).toBe(expected);
        // A device that received them a few at a time, folding after each batch.
        const inc = new IncrementalFold(L.groupId);
        const got: VerifiedEntry[] = [];
        for (let i = 0; i < arrived.length; ) {
          const n = 1 + Math.floor(rnd() * 20);
          got.push(...arrived.slice(i, i + n));
          i += n;
          inc.fold(got, AS_OF);
        }
        expect(stateHash(inc.fold(got, AS_OF))).toBe(expected);
      }),
      { numRuns: 40 },
    );
  });
});
