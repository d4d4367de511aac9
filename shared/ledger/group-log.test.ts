import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateGroupKey } from '../crypto/group-key';
import { generateIdentity, memberIdOf } from '../crypto/identity';
import { installSymmetricPrimitives, noblePrimitives, resetSymmetricPrimitives } from '../crypto/primitives';
import { entryIdOf, HEADER_LENGTH, MAX_ENTRY_SIZE } from './envelope';
import { GroupLog, type IngestReport } from './group-log';
import {
  chat,
  flipByte,
  newGroup,
  type TestGroup,
  TestAuthor,
  twoAuthorHistory,
  withBody,
} from './test-fixtures';

const logFor = (g: TestGroup, maxPending?: number) =>
  new GroupLog({ groupId: g.groupId, groupKey: g.groupKey, ...(maxPending ? { maxPending } : {}) });

const codes = (r: IngestReport) => r.rejected.map((x) => x.code);
const ids = (entries: readonly { id: string }[]) => entries.map((e) => e.id).sort();

/** Alice creates the group, Bob joins; both write a few messages. */
const history = twoAuthorHistory;

describe('GroupLog: accepting a history', () => {
  it('accepts a valid batch, verifying one signature per author chain', async () => {
    const { g, alice, bob, entries, bytes } = await history(3);
    const log = logFor(g);
    const report = await log.ingest([...bytes].reverse());
    expect(report.rejected).toEqual([]);
    expect(ids(report.accepted)).toEqual(ids(entries));
    expect(report.signaturesVerified).toBe(2);
    expect(log.canonicalEntries().map((e) => e.id)).toEqual(
      [...entries].sort((a, b) => a.entry.header.lamport - b.entry.header.lamport).map((e) => e.id),
    );
    expect(log.heads().get(alice.id)).toEqual({ seq: 4, id: alice.prev, lamport: alice.lamport });
    expect(log.heads().get(bob.id)?.seq).toBe(4);
    expect(log.nextHeaderFor(bob.id)).toEqual({ seq: 5, prev: bob.prev, lamport: g.clock + 1 });
    expect(log.nextHeaderFor(memberIdOf(generateIdentity().publicKey))).toMatchObject({ seq: 1, prev: null });
  });

  it('reports duplicates without rejecting them', async () => {
    const { g, bytes } = await history(1);
    const log = logFor(g);
    await log.ingest(bytes);
    const again = await log.ingest([bytes[0]!, bytes[0]!]);
    expect(again).toMatchObject({ accepted: [], rejected: [], duplicates: 2 });
  });

  it('keeps entries whose predecessor is missing pending, then applies them', async () => {
    const { g, bytes } = await history(2); // alice: 0,2,4  bob: 1,3,5
    const log = logFor(g);
    const late = await log.ingest([bytes[4]!, bytes[5]!, bytes[3]!]);
    expect(late.accepted).toEqual([]);
    expect(late.pending).toBe(3);
    expect(log.pendingCount).toBe(3);
    const r1 = await log.add(bytes[2]!);
    expect(r1.pending).toBe(4);
    const r2 = await log.add(bytes[1]!); // bob's join releases bob 3 and 5
    expect(r2.accepted).toHaveLength(3);
    const r3 = await log.add(bytes[0]!);
    expect(r3.accepted).toHaveLength(3);
    expect(log.pendingCount).toBe(0);
    expect(log.size).toBe(6);
  });

  it('batch ingest and one-by-one ingest in any order reach the same result', async () => {
    const { g, alice, bytes } = await history(2);
    // Extra material: a fork by Alice at seq 3 and a tampered entry.
    const fork = await alice.write(chat('fork'), { seq: 3, prev: entryIdOf(bytes[2]!) });
    const all = [...bytes, fork.bytes, flipByte(bytes[3]!, 100)];
    const batchLog = logFor(g);
    const batch = await batchLog.ingest(all);
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(all, { minLength: all.length }), async (order) => {
        const log = logFor(g);
        for (const b of order) await log.add(b);
        expect(ids(log.entries())).toEqual(ids(batchLog.entries()));
        expect(log.canonicalEntries().map((e) => e.id)).toEqual(batchLog.canonicalEntries().map((e) => e.id));
        expect(log.forks()).toEqual(batchLog.forks());
        expect(log.pendingCount).toBe(batchLog.pendingCount);
      }),
      { numRuns: 15 },
    );
    expect(codes(batch)).toEqual(['bad_signature']);
  });
});

describe('GroupLog: one test per failure code', () => {
  it('malformed, unsupported_version, too_large', async () => {
    const { g, bytes } = await history(0);
    const log = logFor(g);
    const r = await log.ingest([
      bytes[0]!.subarray(0, 150),
      new Uint8Array([...bytes[0]!, 7]),
      flipByte(bytes[0]!, 3),
      new Uint8Array(MAX_ENTRY_SIZE + 1),
    ]);
    expect(codes(r)).toEqual(['malformed', 'malformed', 'unsupported_version', 'too_large']);
    expect(r.rejected.map((x) => x.index)).toEqual([0, 1, 2, 3]);
    expect(log.size).toBe(0);
  });

  it('wrong_group', async () => {
    const { bytes } = await history(0);
    const other = newGroup();
    const r = await logFor(other).add(bytes[0]!);
    expect(codes(r)).toEqual(['wrong_group']);
  });

  it('bad_signature for a tampered header, a tampered body and another signer', async () => {
    const { g, bytes } = await history(0);
    const alice = generateIdentity();
    const mallory = generateIdentity();
    const impostor = new TestAuthor(g, { publicKey: alice.publicKey, secretKey: mallory.secretKey });
    const forged = await impostor.join('Alice');
    const r = await logFor(g).ingest([
      flipByte(bytes[0]!, 97),
      flipByte(bytes[0]!, HEADER_LENGTH + 5),
      forged.bytes,
    ]);
    expect(codes(r)).toEqual(['bad_signature', 'bad_signature', 'bad_signature']);
    expect(r.rejected[0]!.message).toMatch(/header or body was altered/);
  });

  it('holds a body encrypted with a key it lacks as unreadable, never refused (it may be a later epoch)', async () => {
    const g = newGroup();
    const stranger = new TestAuthor({ ...g, groupKey: generateGroupKey() });
    const e = await stranger.join('Eve');
    const log = logFor(g);
    const r = await log.add(e.bytes);
    expect(r).toMatchObject({ accepted: [], rejected: [] });
    expect(log.unreadableCount).toBe(1);
    expect(log.has(e.id)).toBe(false);
  });

  it('schema_invalid for a genuine entry whose body is not a valid event', async () => {
    const g = newGroup();
    const a = new TestAuthor(g);
    const e = await a.join('A');
    const bad = await withBody(
      e.bytes,
      new TextEncoder().encode('{"type":"member.joined"}'),
      a.identity,
      g.groupKey,
    );
    const r = await logFor(g).add(bad);
    expect(codes(r)).toEqual(['schema_invalid']);
  });

  it('chain_broken when prev is not the author’s entry seq − 1', async () => {
    const g = newGroup();
    const a = new TestAuthor(g);
    const e1 = await a.join('A');
    const e2 = await a.write(chat('two'));
    const skip = await a.write(chat('prev names seq 1'), { seq: 3, prev: e1.id });
    const unknown = await a.write(chat('prev unknown'), { seq: 3, prev: 'ab'.repeat(32) });
    const log = logFor(g);
    await log.ingest([e1.bytes, e2.bytes]);
    const r = await log.ingest([skip.bytes, unknown.bytes]);
    expect(codes(r)).toEqual(['chain_broken']);
    // An unknown prev may be another branch of the author (a fork) still on its way: it waits,
    // whether or not the author's seq − 1 is already known (the verdict must not depend on order).
    expect(log.pendingEntries().map((e) => e.id)).toEqual([unknown.id]);
  });

  it('lamport_not_increasing', async () => {
    const g = newGroup();
    const a = new TestAuthor(g);
    const e1 = await a.join('A');
    const e2 = await a.write(chat('same lamport'), { lamport: e1.entry.header.lamport });
    const r = await logFor(g).ingest([e1.bytes, e2.bytes]);
    expect(codes(r)).toEqual(['lamport_not_increasing']);
  });

  it('not_member for a first entry that is not a join, and for everything after it, in any order', async () => {
    const g = newGroup();
    const a = new TestAuthor(g);
    const e1 = await a.write(chat('I never joined'));
    const e2 = await a.write(chat('still not'));
    const log = logFor(g);
    const r1 = await log.add(e2.bytes);
    expect(r1.pending).toBe(1);
    const r2 = await log.add(e1.bytes);
    expect(codes(r2)).toEqual(['not_member', 'not_member']);
    expect(log.pendingCount).toBe(0);
    const fresh = logFor(g);
    expect(codes(await fresh.ingest([e1.bytes, e2.bytes]))).toEqual(['not_member', 'not_member']);
  });

  it('refuses pending descendants of a refused entry instead of keeping them forever', async () => {
    const g = newGroup();
    const a = new TestAuthor(g);
    const e1 = await a.join('A');
    const e2 = await a.write(chat('low'), { lamport: e1.entry.header.lamport });
    const e3 = await a.write(chat('child'));
    const log = logFor(g);
    await log.ingest([e1.bytes, e3.bytes]);
    expect(log.pendingCount).toBe(1);
    const r = await log.add(e2.bytes);
    expect(codes(r)).toEqual(['lamport_not_increasing', 'chain_broken']);
    expect(r.rejected[1]!.message).toMatch(/was refused \(lamport_not_increasing\)/);
    expect(log.pendingCount).toBe(0);
  });

  it('pending_full once maxPending entries wait', async () => {
    const g = newGroup();
    const authors = [new TestAuthor(g), new TestAuthor(g), new TestAuthor(g)];
    const orphans = [];
    for (const a of authors) {
      await a.join('X');
      orphans.push(await a.write(chat('orphan')));
    }
    const log = logFor(g, 2);
    const r = await log.ingest(orphans.map((o) => o.bytes));
    expect(codes(r)).toEqual(['pending_full']);
    expect(r.pending).toBe(2);
  });
});

describe('GroupLog: forks', () => {
  async function forked() {
    const g = newGroup();
    const a = new TestAuthor(g);
    const b = new TestAuthor(g);
    const a1 = await a.join('A');
    const b1 = await b.join('B');
    const a2 = await a.write(chat('branch one'));
    const a3 = await a.write(chat('branch one, next'));
    const a2x = await a.write(chat('branch two'), { seq: 2, prev: a1.id });
    const b2 = await b.write(chat('bob is fine'));
    return { g, a, b, a1, b1, a2, a3, a2x, b2, all: [a1, b1, a2, a3, a2x, b2].map((e) => e.bytes) };
  }

  it('keeps both branches as evidence and drops the author from the fork point on', async () => {
    const { g, a, a1, a2, a3, a2x, b1, b2, all } = await forked();
    const log = logFor(g);
    const r = await log.ingest(all);
    expect(r.rejected).toEqual([]);
    expect(r.forks).toEqual([{ author: a.id, seq: 2, entries: [a2.id, a2x.id].sort() }]);
    expect(log.forks()).toEqual(r.forks);
    expect(ids(log.entries())).toEqual(ids([a1, b1, a2, a3, a2x, b2]));
    expect(ids(log.canonicalEntries())).toEqual(ids([a1, b1, b2]));
    expect(log.heads().get(a.id)).toEqual({ seq: 1, id: a1.id, lamport: a1.entry.header.lamport });
    expect(() => log.nextHeaderFor(a.id)).toThrow(expect.objectContaining({ code: 'author_forked' }));
  });

  it('reaches the same fork verdict in every arrival order', async () => {
    const { g, all } = await forked();
    const reference = logFor(g);
    await reference.ingest(all);
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(all, { minLength: all.length }),
        fc.boolean(),
        async (order, batched) => {
          const log = logFor(g);
          if (batched) await log.ingest(order);
          else for (const b of order) await log.add(b);
          expect(log.forks()).toEqual(reference.forks());
          expect(ids(log.canonicalEntries())).toEqual(ids(reference.canonicalEntries()));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('moves the fork point earlier when an earlier fork shows up', async () => {
    const { g, a, a1, all } = await forked();
    const a1x = await a.write({ type: 'member.joined', name: 'A again' }, { seq: 1, prev: null });
    const log = logFor(g);
    await log.ingest(all);
    const r = await log.add(a1x.bytes);
    expect(r.forks).toEqual([{ author: a.id, seq: 1, entries: [a1.id, a1x.id].sort() }]);
    expect(log.canonicalEntries().some((e) => e.header.author === a.id)).toBe(false);
    expect(log.heads().has(a.id)).toBe(false);
  });
});

describe('GroupLog: chain-tip fast path', () => {
  it('falls back to entry-by-entry checks when a tip is forged, keeping the valid prefix', async () => {
    const { g, alice, bob, entries } = await history(3);
    const aliceTip = entries[entries.length - 2]!;
    expect(aliceTip.entry.header.author).toBe(alice.id);
    const forgedTip = flipByte(aliceTip.bytes, aliceTip.bytes.length - 3);
    const input = entries.filter((e) => e !== aliceTip).map((e) => e.bytes);
    const log = logFor(g);
    const r = await log.ingest([...input, forgedTip]);
    expect(codes(r)).toEqual(['bad_signature']);
    expect(r.rejected[0]!.index).toBe(input.length);
    expect(r.accepted).toHaveLength(entries.length - 1);
    expect(r.signaturesVerified).toBe(3); // two tips + alice's seq 3
    expect(log.heads().get(alice.id)?.seq).toBe(3);
    expect(log.heads().get(bob.id)?.seq).toBe(4);
  });

  it('an entry with a broken signature is authentic when its author signed a successor (both paths agree)', async () => {
    const g = newGroup();
    const a = new TestAuthor(g);
    const e1 = await a.join('A');
    const e2 = await a.write(chat('two'));
    const badSig = flipByte(e2.bytes, e2.bytes.length - 1);
    a.prev = entryIdOf(badSig);
    const e3 = await a.write(chat('three, vouching for two'));

    const batch = await logFor(g).ingest([e1.bytes, badSig, e3.bytes]);
    expect(batch.rejected).toEqual([]);
    expect(batch.accepted).toHaveLength(3);

    const forward = logFor(g);
    await forward.add(e1.bytes);
    expect(codes(await forward.add(badSig))).toEqual(['bad_signature']);
    expect((await forward.add(e3.bytes)).accepted).toHaveLength(2);

    const backward = logFor(g);
    await backward.add(e3.bytes);
    await backward.add(badSig);
    await backward.add(e1.bytes);
    expect(ids(backward.entries())).toEqual(ids(forward.entries()));
    expect(forward.size).toBe(3);
  });
});

describe('GroupLog: vouching does not depend on arrival order', () => {
  it('a refused or unreadable but authentic successor still vouches for its predecessor', async () => {
    const g = newGroup();
    const a = new TestAuthor(g);
    const e1 = await a.join('A');
    const e2 = await a.write(chat('two'));
    const badSig = flipByte(e2.bytes, e2.bytes.length - 1);
    a.prev = entryIdOf(badSig);
    const undecryptable = await a.write(chat('three'), { groupKey: generateGroupKey() });

    const batch = logFor(g);
    expect(codes(await batch.ingest([e1.bytes, badSig, undecryptable.bytes]))).toEqual([]);
    expect(batch.unreadableCount).toBe(1);
    for (const order of [
      [e1.bytes, undecryptable.bytes, badSig],
      [e1.bytes, badSig, undecryptable.bytes],
    ]) {
      const oneByOne = logFor(g);
      for (const b of order) await oneByOne.add(b);
      expect(ids(oneByOne.entries())).toEqual(ids(batch.entries()));
      expect(oneByOne.size).toBe(2);
    }
  });
});

describe('GroupLog: live entries arriving in bursts', () => {
  /** A history with a fork, a forged entry its successor vouches for, a forged orphan, junk and repeats. */
  async function messyHistory() {
    const g = newGroup();
    const a = new TestAuthor(g);
    const b = new TestAuthor(g);
    const good = [
      await a.write({ type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'A' }),
      await b.join('B'),
      await a.write(chat('a2')),
    ];
    const a3 = await a.write(chat('a3, signature broken'));
    const a3bad = flipByte(a3.bytes, a3.bytes.length - 1);
    a.prev = entryIdOf(a3bad);
    const a4 = await a.write(chat('a4 vouches for a3'));
    const b2 = await b.write(chat('b2'));
    const b2x = await b.write(chat('b2, other branch'), { seq: 2, prev: good[1]!.id });
    const b3forged = flipByte((await b.write(chat('b3'))).bytes, 140);
    const stranger = await new TestAuthor({ ...g, groupKey: generateGroupKey() }).join('E');
    const all = [
      ...good.map((e) => e.bytes),
      a3bad,
      a4.bytes,
      b2.bytes,
      b2x.bytes,
      b3forged,
      stranger.bytes,
      good[0]!.bytes, // repeated
      a3bad.subarray(0, 100), // truncated
    ];
    return { g, all };
  }

  it('judges concurrent add() calls exactly as if each waited for the previous one', async () => {
    const { g, all } = await messyHistory();
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(all, { minLength: all.length }), async (order) => {
        const oneByOne = logFor(g);
        const expected: IngestReport[] = [];
        for (const bytes of order) expected.push(await oneByOne.add(bytes));
        const burst = logFor(g);
        const reports = await Promise.all(order.map((bytes) => burst.add(bytes)));
        expect(reports).toEqual(expected);
        expect(burst.entries()).toEqual(oneByOne.entries());
        expect(burst.pendingEntries()).toEqual(oneByOne.pendingEntries());
        expect(burst.forks()).toEqual(oneByOne.forks());
      }),
      { numRuns: 12 },
    );
  });

  it('checks every live entry on its own signature and keeps the order of other calls', async () => {
    const { g, bytes } = await history(2);
    const log = logFor(g);
    const [first, batch, last] = await Promise.all([
      log.add(bytes[0]!),
      log.ingest([bytes[1]!, bytes[3]!]),
      log.add(bytes[2]!),
      log.add(bytes[4]!),
    ]);
    expect(first!.accepted.map((e) => e.id)).toEqual([entryIdOf(bytes[0]!)]);
    expect(batch!.signaturesVerified).toBe(1); // bob's tip vouches for his join
    expect(last!.accepted).toHaveLength(1);
    const live = logFor(g);
    const reports = await Promise.all(bytes.map((b) => live.add(b)));
    expect(reports.map((r) => r.signaturesVerified)).toEqual(bytes.map(() => 1));
    expect(reports.map((r) => r.accepted.length)).toEqual(bytes.map(() => 1));
  });

  it('never places a held entry a second time once a successor vouched for it', async () => {
    const g = newGroup();
    const a = new TestAuthor(g);
    const e1 = await a.join('A');
    const e2 = await a.write(chat('two'));
    const badSig = flipByte(e2.bytes, e2.bytes.length - 1);
    a.prev = entryIdOf(badSig);
    const e3 = await a.write(chat('three'));
    const e3x = await a.write(chat('three, other branch'), { seq: 3, prev: entryIdOf(badSig) });
    const live = logFor(g);
    await live.add(e1.bytes);
    expect(codes(await live.add(badSig))).toEqual(['bad_signature']); // held
    expect((await live.ingest([badSig, e3.bytes])).accepted).toHaveLength(2);
    const r = await live.add(e3x.bytes);
    const batch = logFor(g);
    await batch.ingest([e1.bytes, badSig, e3.bytes, e3x.bytes]);
    expect(r.forks).toEqual([{ author: a.id, seq: 3, entries: [e3.id, e3x.id].sort() }]);
    expect(live.forks()).toEqual(batch.forks());
    expect(ids(live.entries())).toEqual(ids(batch.entries()));
    expect(ids(live.canonicalEntries())).toEqual(ids(batch.canonicalEntries()));
  });
});

describe('GroupLog: local writes and restore', () => {
  it('append serialises concurrent writes and refuses a first entry that is not a join', async () => {
    const g = newGroup();
    const log = logFor(g);
    const me = generateIdentity();
    await expect(log.append(me, chat('hello'))).rejects.toMatchObject({ code: 'not_member' });
    const created = await Promise.all([
      log.append(me, { type: 'group.created', name: 'G', currency: 'EUR', memberName: 'Me' }),
      log.append(me, chat('one')),
      log.append(me, chat('two')),
    ]);
    expect(created.map((c) => c.entry.header.seq)).toEqual([1, 2, 3]);
    expect(created.map((c) => c.entry.header.lamport)).toEqual([1, 2, 3]);
    expect(created[2]!.entry.header.prev).toBe(created[1]!.id);
    expect(log.size).toBe(3);
    const peer = logFor(g);
    expect((await peer.ingest(created.map((c) => c.bytes))).accepted).toHaveLength(3);
  });

  it('appendLocal adds an entry created elsewhere', async () => {
    const { g, entries } = await history(0);
    const log = logFor(g);
    for (const e of entries) await log.appendLocal(e);
    expect(log.size).toBe(2);
  });

  it('restore rebuilds the same log without verifying signatures', async () => {
    const { g, a, all } = await (async () => {
      const h = await history(2);
      const orphan = await h.alice.write(chat('orphan'), { seq: 9, prev: 'cd'.repeat(32) });
      return { g: h.g, a: h.alice, all: [...h.bytes, orphan.bytes] };
    })();
    const live = logFor(g);
    await live.ingest(all);
    const stored = [
      ...live.entries().map((e) => ({ bytes: e.bytes, entry: e })),
      ...live.pendingEntries().map((e) => e.bytes),
    ];
    const { log, report } = GroupLog.restore({ groupId: g.groupId, groupKey: g.groupKey }, stored);
    expect(report.rejected).toEqual([]);
    expect(report.signaturesVerified).toBe(0);
    expect(log.canonicalEntries().map((e) => e.id)).toEqual(live.canonicalEntries().map((e) => e.id));
    expect(log.heads()).toEqual(live.heads());
    expect(log.pendingCount).toBe(1);
    expect(log.nextHeaderFor(a.id)).toEqual(live.nextHeaderFor(a.id));
  });

  it('restore hashes and decrypts only bare bytes: a supplied entry keeps the id and event the store wrote', async () => {
    const { g, entries } = await history(3);
    let hashed = 0;
    let opened = 0;
    installSymmetricPrimitives({
      name: 'counting',
      sha256: (d) => {
        hashed++;
        return noblePrimitives.sha256(d);
      },
      openChaCha20Poly1305: (...args) => {
        opened++;
        return noblePrimitives.openChaCha20Poly1305(...args);
      },
    });
    try {
      const before = { hashed, opened };
      const supplied = GroupLog.restore(
        g,
        entries.map((e) => ({ bytes: e.bytes, entry: e.entry })),
      );
      expect({ hashed, opened }).toEqual(before);
      const bare = GroupLog.restore(
        g,
        entries.map((e) => e.bytes),
      );
      expect({ hashed: hashed - before.hashed, opened: opened - before.opened }).toEqual({
        hashed: entries.length,
        opened: entries.length,
      });
      for (const { log } of [supplied, bare]) {
        expect(log.canonicalEntries().map((e) => e.id)).toEqual(entries.map((e) => e.id));
      }
    } finally {
      resetSymmetricPrimitives();
    }
  });

  it('ingest refuses an entry filed under another id (key_mismatch) and takes the rest', async () => {
    const { g, entries } = await history(3);
    const log = logFor(g);
    const keys = entries.map((e) => e.id);
    keys[2] = 'ab'.repeat(32);
    const report = await log.ingest(
      entries.map((e) => e.bytes),
      { keys },
    );
    expect(report.rejected.map((r) => [r.code, r.id, r.index])).toEqual([
      ['key_mismatch', entries[2]!.id, 2],
    ]);
    expect(log.get(entries[2]!.id)).toBeUndefined();
    // Alice's later entries wait for the refused one; Bob's chain is whole.
    const alicesLater = [4, 6].map((i) => entries[i]!.id);
    expect(report.accepted.map((e) => e.id).sort()).toEqual(
      entries
        .filter((_, i) => ![2, 4, 6].includes(i))
        .map((e) => e.id)
        .sort(),
    );
    expect(
      log
        .pendingEntries()
        .map((e) => e.id)
        .sort(),
    ).toEqual(alicesLater.sort());
  });
});
