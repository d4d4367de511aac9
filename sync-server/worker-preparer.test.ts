import { afterEach, describe, expect, it } from 'vitest';
import { generateGroupKey } from '../shared/crypto/group-key';
import { prepareEntries } from '../shared/ledger/entry-prep';
import { GroupLog, type IngestReport } from '../shared/ledger/group-log';
import { flipByte, twoAuthorHistory, withBody } from '../shared/ledger/test-fixtures';
import { WorkerPreparer } from './worker-preparer';

let pool: WorkerPreparer | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

/** A history plus one of each kind of bad input, shuffled in. */
async function mixedBatch() {
  const { g, alice, bob, bytes: entries } = await twoAuthorHistory(20);
  const utf8 = new TextEncoder();
  const notAnEvent = await alice.write({ type: 'chat.message', text: 'x' });
  const otherKey = await bob.write({ type: 'chat.message', text: 'y' });
  const batch: unknown[] = [
    ...entries,
    await withBody(notAnEvent.bytes, utf8.encode('{"type":"nope"}'), alice.identity, g.groupKey),
    await withBody(otherKey.bytes, utf8.encode('{}'), bob.identity, generateGroupKey()),
    flipByte(entries[5]!, 150), // body tampered
    flipByte(entries[7]!, 2), // bad magic: no header
    new Uint8Array(70_000), // too large
    'not bytes',
    entries[3], // duplicate
  ];
  return { g, entries, batch: batch.reverse() };
}

const summary = (r: IngestReport) => ({
  accepted: r.accepted.map((e) => e.id),
  rejected: r.rejected.map((x) => [x.code, x.id, x.index]),
  duplicates: r.duplicates,
});

describe('WorkerPreparer', () => {
  it('prepares in worker threads exactly what prepareEntries does in this one', async () => {
    const { g, batch } = await mixedBatch();
    pool = new WorkerPreparer({ threads: 2 });
    // Not started yet: it declines rather than making the log wait (the log then works in place).
    expect(await pool.prepare(batch, g.groupKey)).toBeUndefined();
    await pool.whenReady();
    const here = prepareEntries(batch, g.groupKey);
    const there = (await pool.prepare(batch, g.groupKey))!;
    expect(there).toEqual(here);
    // Not vacuous: ids, events and both body errors are all in there.
    expect(there.filter((p) => p?.opened?.ok)).toHaveLength(43);
    expect(
      there
        .filter((p) => p?.opened && !p.opened.ok)
        .map((p) => p!.opened!.ok || p!.opened!.error.code)
        .sort(),
    ).toEqual(['decrypt_failed', 'decrypt_failed', 'schema_invalid']);
    expect(there.filter((p) => p === undefined)).toHaveLength(2);
  });

  it('gives a GroupLog the same report as ingesting in place, bad entries and all', async () => {
    const { g, entries, batch } = await mixedBatch();
    pool = new WorkerPreparer({ threads: 2, minBatch: 1 });
    await pool.whenReady();
    const inPlace = await new GroupLog(g).ingest(batch as Uint8Array[]);
    const pooled = await new GroupLog({ ...g, preparer: pool }).ingest(batch as Uint8Array[]);
    expect(summary(pooled)).toEqual(summary(inPlace));
    expect(pooled.accepted).toHaveLength(entries.length);
    expect(pooled.rejected.map((r) => r.code).sort()).toEqual([
      'bad_signature',
      'malformed',
      'malformed',
      'schema_invalid',
      'too_large',
    ]);
  });

  it('falls back to the work in place when the pool is gone, with the same verdicts', async () => {
    const { g, batch } = await mixedBatch();
    pool = new WorkerPreparer({ threads: 1, minBatch: 1 });
    await pool.close();
    await expect(pool.prepare(batch, g.groupKey)).rejects.toThrow('closed');
    const inPlace = await new GroupLog(g).ingest(batch as Uint8Array[]);
    const fallback = await new GroupLog({ ...g, preparer: pool }).ingest(batch as Uint8Array[]);
    expect(summary(fallback)).toEqual(summary(inPlace));
  });

  it('spreads a large batch over many chunks and puts every result back in its place', async () => {
    const { g, batch } = await mixedBatch();
    // 300 inputs, with the unsendable ones among them: chunks of 128 come back in any order.
    const large = Array.from({ length: 6 }, () => batch).flat();
    pool = new WorkerPreparer({ threads: 2 });
    await pool.whenReady();
    expect(await pool.prepare(large, g.groupKey)).toEqual(prepareEntries(large, g.groupKey));
  });
});
