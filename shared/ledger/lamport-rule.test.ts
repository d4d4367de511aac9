import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from './fold';
import { GroupLog, type IngestReport } from './group-log';
import { LAMPORT_LEAD_BOUND as B, LamportCounts } from './lamport-rule';
import { stateHash } from './state-hash';
import { chat, flipByte, type TestGroup, TestAuthor, twoAuthorHistory } from './test-fixtures';

const logFor = (g: TestGroup, maxPending?: number) =>
  new GroupLog({ groupId: g.groupId, groupKey: g.groupKey, ...(maxPending ? { maxPending } : {}) });

const ids = (entries: readonly { id: string }[]) => entries.map((e) => e.id).sort();
const acceptedIds = (reports: readonly IngestReport[]) => ids(reports.flatMap((r) => r.accepted));
const POISON = 2 ** 53 - 3;
/** The fixtures derive time from lamport, which would overflow for a poisoned one. */
const T = 1_700_000_000_000;

/** Alice founds the group and writes `lowChats` messages; Bob joins. Lamports 1, 2, … */
async function founded(lowChats = 0) {
  const { g, alice, bob, entries } = await twoAuthorHistory(0);
  entries.push(...(await alice.chats(lowChats)));
  return { g, alice, bob, bytes: entries.map((e) => e.bytes) };
}

describe('LamportCounts', () => {
  it('lets any lamport ≤ B in and one > B in once enough accepted lamports lie strictly below it', () => {
    const counts = new LamportCounts();
    expect(counts.allows(B)).toBe(true);
    expect(counts.allows(B + 1)).toBe(false);
    counts.record(B + 1); // at B + 1 itself: not below B + 1
    expect(counts.allows(B + 1)).toBe(false);
    expect(counts.allows(B + 2)).toBe(false);
    counts.record(7);
    expect(counts.allows(B + 1)).toBe(true);
    expect(counts.allows(B + 2)).toBe(true); // 7 and B + 1
    expect(counts.allows(B + 3)).toBe(false);
    for (const l of [B + 9, B + 5, B + 5, 3]) counts.record(l); // out of order, repeats kept
    expect(counts.allows(B + 3)).toBe(true); // 7, 3, B + 1
    expect(counts.allows(B + 5)).toBe(false); // still three: B + 5 is not below B + 5
    expect(counts.allows(B + 6)).toBe(false); // five below, six needed
    counts.record(4);
    expect(counts.allows(B + 6)).toBe(true); // 3, 4, 7, B + 1, B + 5, B + 5
    expect(counts.allows(B + 10)).toBe(false); // seven below, ten needed
    expect(counts.allows(POISON)).toBe(false);
  });
});

describe('GroupLog: the lamport rule', () => {
  it('a rogue member’s entry at 2^53 − 3 waits; honest members keep writing', async () => {
    const { g, alice, bob, bytes } = await founded(1); // lamports 1 … 3
    const log = logFor(g);
    await log.ingest(bytes);
    const mallory = new TestAuthor(g);
    const malloryJoin = await mallory.join('Mallory'); // 4
    const poison = await mallory.write(chat('the end of time'), { lamport: POISON, time: T });
    const after = await mallory.write(chat('and after it'), { lamport: POISON + 1, time: T });
    const report = await log.ingest([malloryJoin.bytes, poison.bytes, after.bytes]);
    expect(report.rejected).toEqual([]);
    expect(ids(report.accepted)).toEqual([malloryJoin.id]);
    expect(report.pending).toBe(2);
    expect(ids(log.pendingEntries())).toEqual(ids([poison, after]));
    expect(log.has(poison.id)).toBe(true);
    expect(log.maxLamport).toBe(4);

    // Honest writers use max accepted + 1, which the rule always lets in: far more than two writes.
    const written = [];
    for (let round = 0; round < 5; round++) {
      for (const a of [alice, bob]) written.push(await log.append(a.identity, chat(`round ${round}`)));
    }
    expect(written.map((e) => e.entry.header.lamport)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(log.pendingCount).toBe(2);

    const all = [...bytes, malloryJoin.bytes, poison.bytes, after.bytes, ...written.map((e) => e.bytes)];
    for (const order of [all, [...all].reverse()]) {
      const peer = logFor(g);
      const r = await peer.ingest(order);
      expect(r.rejected).toEqual([]);
      expect(peer.size).toBe(all.length - 2);
      expect(ids(peer.pendingEntries())).toEqual(ids([poison, after]));
      const state = fold(g.groupId, peer.canonicalEntries());
      expect(state.chat.filter((c) => c.text.startsWith('round'))).toHaveLength(10);
      expect(state.maxLamport).toBe(14);
      expect(stateHash(state)).toBe(stateHash(fold(g.groupId, log.canonicalEntries())));
      const next = await peer.append(bob.identity, chat('still writing'));
      expect(next.entry.header.lamport).toBe(15);
    }
  });

  it('an entry at B + k waits until k entries with a lower lamport are accepted (one batch)', async () => {
    const { g, bytes } = await founded(3); // lamports 1 … 5
    const carol = new TestAuthor(g);
    const join = await carol.join('Carol');
    const leads = await carol.write(chat('B + 7'), { lamport: B + 7 });
    const onTop = await carol.write(chat('B + 8, waits for its prev'), { lamport: B + 8 });
    // Six lower entries: B + 7 still waits (and so does its successor).
    const six = logFor(g);
    const r6 = await six.ingest([onTop.bytes, leads.bytes, join.bytes, ...bytes]);
    expect(r6.rejected).toEqual([]);
    expect(r6.pending).toBe(2);
    expect(ids(six.pendingEntries())).toEqual(ids([leads, onTop]));
    expect(six.nextHeaderFor(carol.id).lamport).toBe(join.entry.header.lamport + 1);
    // A seventh in the same batch lets both in: B + 8 then has B + 7 and seven more below it.
    const extra = await new TestAuthor(g).join('Dan');
    const seven = logFor(g);
    const r7 = await seven.ingest([onTop.bytes, leads.bytes, extra.bytes, join.bytes, ...bytes]);
    expect(r7.rejected).toEqual([]);
    expect(r7.pending).toBe(0);
    expect(seven.maxLamport).toBe(B + 8);
    expect(seven.nextHeaderFor(carol.id)).toMatchObject({ seq: 4, lamport: B + 9 });
  });

  it('an entry at B + k is placed by the call that brings the k-th lower entry', async () => {
    const { g, alice, bob, bytes } = await founded(0); // lamports 1, 2
    const carol = new TestAuthor(g);
    const join = await carol.write({ type: 'member.joined', name: 'Carol' }, { lamport: B + 4 });
    const log = logFor(g);
    expect((await log.add(join.bytes)).pending).toBe(1);
    expect((await log.ingest(bytes)).pending).toBe(1); // two below
    const a2 = await alice.write(chat('the third below')); // 3
    expect(await log.add(a2.bytes)).toMatchObject({ accepted: [{ id: a2.id }], pending: 1 });
    // Carol's B + 4 is not below an entry at B + 4 either.
    const same = await alice.write(chat('at B + 4'), { lamport: B + 4 });
    expect(await log.add(same.bytes)).toMatchObject({ accepted: [], rejected: [], pending: 2 });
    const b2 = await bob.write(chat('the fourth below'), { lamport: 9 });
    const r = await log.add(b2.bytes);
    expect(r.accepted.map((e) => e.id)).toEqual([b2.id, join.id, same.id]);
    expect(r.pending).toBe(0);
    expect(log.maxLamport).toBe(B + 4);
  });

  it('fork evidence counts, whichever branch arrives first', async () => {
    const { g, bytes } = await founded(0); // lamports 1, 2
    const m = new TestAuthor(g);
    const join = await m.join('M'); // 3
    const m2 = await m.write(chat('branch one')); // 4
    const m2x = await m.write(chat('branch two'), { seq: 2, prev: join.id }); // 5
    const m3 = await m.write(chat('on branch two')); // 6
    const dan = await new TestAuthor(g).write({ type: 'member.joined', name: 'Dan' }, { lamport: B + 6 });
    // Dan's join needs all six lower entries, m3 included; m3 arriving after branch one and
    // before its own predecessor must still count.
    for (const order of [
      [join, m2, m3, m2x, dan],
      [dan, m3, m2x, m2, join],
      [m2x, m3, join, dan, m2],
    ]) {
      const log = logFor(g);
      await log.ingest(bytes);
      const reports = [];
      for (const e of order) reports.push(await log.add(e.bytes));
      expect(reports.flatMap((r) => r.rejected)).toEqual([]);
      expect(log.size).toBe(7);
      expect(log.get(dan.id)).toBeDefined();
      expect(log.forks()).toEqual([{ author: m.id, seq: 2, entries: [m2.id, m2x.id].sort() }]);
    }
  });

  it('entries that wait for lower entries count toward the pending bound', async () => {
    const { g, bytes } = await founded(0);
    const far = [];
    for (let i = 0; i < 3; i++) {
      far.push(
        await new TestAuthor(g).write({ type: 'member.joined', name: 'Far' }, { lamport: B + 10 + i }),
      );
    }
    const log = logFor(g, 2);
    await log.ingest(bytes);
    const r = await log.ingest(far.map((e) => e.bytes));
    expect(r.rejected.map((x) => x.code)).toEqual(['pending_full']);
    expect(r.pending).toBe(2);
  });

  it('restore rebuilds the same accepted and waiting entries', async () => {
    const { g, bytes } = await founded(2);
    const carol = new TestAuthor(g);
    const entries = [
      await carol.join('Carol'),
      await carol.write(chat('placed'), { lamport: B + 3 }),
      await carol.write(chat('waits'), { lamport: B + 30 }),
    ];
    const live = logFor(g);
    await live.ingest([...bytes, ...entries.map((e) => e.bytes)]);
    expect(live.pendingCount).toBe(1);
    const stored = [
      ...live.entries().map((e) => ({ bytes: e.bytes, entry: e })),
      ...live.pendingEntries().map((e) => e.bytes),
    ];
    const { log, report } = GroupLog.restore(g, stored);
    expect(report.rejected).toEqual([]);
    expect(ids(log.entries())).toEqual(ids(live.entries()));
    expect(ids(log.pendingEntries())).toEqual(ids(live.pendingEntries()));
    expect(log.nextHeaderFor(carol.id)).toEqual(live.nextHeaderFor(carol.id));
  });
});

describe('GroupLog: the lamport rule does not depend on arrival order', () => {
  /**
   * Honest chains, entries that lead by a little (placed once the rest is there), a fork among
   * them (its evidence counts), entries that lead too far (wait forever) and a forged entry.
   */
  async function poisonedHistory() {
    const { g, alice, bob, bytes } = await founded(5); // lamports 1 … 7
    const mallory = new TestAuthor(g);
    const mJoin = await mallory.join('M'); // 8: eight entries low
    const m2 = await mallory.write(chat('B + 5'), { lamport: B + 5 });
    const m2x = await mallory.write(chat('B + 2, a fork'), { seq: 2, prev: mJoin.id, lamport: B + 2 });
    const m3 = await mallory.write(chat('B + 9'), { seq: 3, prev: m2x.id, lamport: B + 9 });
    const b2 = await bob.write(chat('B + 10'), { lamport: B + 10 });
    const b3 = await bob.write(chat('B + 11, honest next'), { lamport: B + 11 });
    const a5 = await alice.write(chat('B + 12'), { lamport: B + 12 });
    const a6 = await alice.write(chat('B + 40, too far'), { lamport: B + 40 });
    const poison = await mallory.write(chat('end of time'), {
      seq: 4,
      prev: m3.id,
      lamport: POISON,
      time: T,
    });
    const poisonRoot = await new TestAuthor(g).write(
      { type: 'member.joined', name: 'P' },
      { lamport: POISON, time: T },
    );
    const forged = flipByte(b3.bytes, b3.bytes.length - 2);
    const all = [
      ...bytes,
      ...[mJoin, m2, m2x, m3, b2, b3, a5, a6, poison, poisonRoot].map((e) => e.bytes),
      forged,
    ];
    return { g, all, waiting: ids([a6, poison, poisonRoot]) };
  }

  it('gives the same accepted, waiting and folded state in every order, batch or one by one', async () => {
    const { g, all, waiting } = await poisonedHistory();
    const reference = logFor(g);
    const batch = await reference.ingest(all);
    expect(batch.rejected.map((r) => r.code)).toEqual(['bad_signature']);
    expect(ids(reference.pendingEntries())).toEqual(waiting);
    expect(reference.size).toBe(all.length - 1 - waiting.length);
    expect(reference.forks()).toHaveLength(1);
    const hash = stateHash(fold(g.groupId, reference.canonicalEntries()));
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(all, { minLength: all.length }),
        fc.integer({ min: 1, max: all.length }),
        async (order, chunk) => {
          const oneByOne = logFor(g);
          const reports: IngestReport[] = [];
          for (const b of order) reports.push(await oneByOne.add(b));
          const burst = logFor(g);
          expect(await Promise.all(order.map((b) => burst.add(b)))).toEqual(reports);
          const chunked = logFor(g);
          for (let i = 0; i < order.length; i += chunk) await chunked.ingest(order.slice(i, i + chunk));
          for (const log of [oneByOne, burst, chunked]) {
            expect(ids(log.entries())).toEqual(ids(reference.entries()));
            expect(ids(log.pendingEntries())).toEqual(waiting);
            expect(log.forks()).toEqual(reference.forks());
            expect(log.maxLamport).toBe(reference.maxLamport);
            expect(stateHash(fold(g.groupId, log.canonicalEntries()))).toBe(hash);
          }
          expect(acceptedIds(reports)).toEqual(ids(reference.entries()));
        },
      ),
      { numRuns: 15 },
    );
  });
});
