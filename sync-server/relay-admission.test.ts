/**
 * Admission through a real relay (issue 10, finding 3, "a member fills the room"): junk written
 * into a room never reaches another client nor the data folder, the sender sees it removed,
 * valid entries pass, deleting one is undone, an author past its quota is closed with 4413 while
 * other authors still write, and junk stored before admission existed goes when the room loads.
 */
import { readdir, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LeveldbPersistence } from 'y-leveldb';
import * as Y from 'yjs';
import type { CreatedEntry } from '../shared/ledger/envelope';
import { flipByte } from '../shared/ledger/test-fixtures';
import { startRelay } from './relay';
import {
  connectClient,
  fileEntries,
  openRaw,
  randomRoomId,
  randomToken,
  type RawClient,
  roomAuthors,
  signedEntries,
  type SyncClient,
  waitFor,
} from './test-support';
import { relayTestKit } from './relay-test-kit';

const { relay, client, tempDir, defer, forgetLast } = relayTestKit('relay-admission-test');

async function filesContain(dir: string, needle: Uint8Array): Promise<boolean> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = await readFile(join(entry.parentPath, entry.name));
    if (file.indexOf(Buffer.from(needle)) !== -1) return true;
  }
  return false;
}

/** A raw connection that asks for the whole room and keeps every byte it is sent: what any client could see. */
async function wire(url: string, room: string, token: string): Promise<RawClient> {
  const raw = await openRaw(url, room, token);
  defer(() => raw.ws.terminate());
  raw.ws.send(new Uint8Array([0, 0, 1, 0])); // sync step 1, empty state vector: "send me everything"
  return raw;
}

const sent = (raw: RawClient, needle: Uint8Array): boolean =>
  raw.received.some((message) => Buffer.from(message).indexOf(Buffer.from(needle)) !== -1);

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array): boolean =>
  a !== undefined && Buffer.from(a).equals(Buffer.from(b));

/** One value per inadmissible category, each carrying `marker` where it can hold bytes. */
async function junkFor(room: string, marker: Uint8Array): Promise<Array<[string, unknown]>> {
  const [valid, next] = (await signedEntries(room, 2)) as [CreatedEntry, CreatedEntry];
  const [foreign] = (await signedEntries(randomRoomId(), 1)) as [CreatedEntry];
  const withMarker = (bytes: Uint8Array): Uint8Array => new Uint8Array([...bytes, ...marker]);
  const versioned = valid.bytes.slice();
  versioned[3] = 2;
  const forged = flipByte(next.bytes, 140);
  // Under keys shaped like entry ids: any other key refuses the whole update (tested below).
  const key = (): string => randomBytes(32).toString('hex');
  return [
    [key(), `text ${Buffer.from(marker).toString('hex')}`],
    [key(), withMarker(new TextEncoder().encode('one'))],
    [key(), withMarker(new Uint8Array(65_537))],
    [key(), withMarker(versioned)],
    [foreign.id, foreign.bytes],
    [key(), next.bytes],
    [key(), forged],
  ];
}

describe('relay admission', () => {
  it('removes every inadmissible value: it reaches no other client, nor the data folder, and the sender sees it go', async () => {
    const dir = await tempDir();
    const running = await startRelay({ port: 0, dataDir: dir });
    const [room, token] = [randomRoomId(), randomToken()];
    const writer = connectClient(running.url, room, token);
    const reader = connectClient(running.url, room, token);
    await Promise.all([writer.synced(), reader.synced()]);
    const marker = randomBytes(32);
    const junk = await junkFor(room, marker);
    const honest = await signedEntries(room, 5, 2);
    const observer = await wire(running.url, room, token);

    writer.doc.transact(() => {
      for (const [key, value] of junk) (writer.entries as Y.Map<unknown>).set(key, value);
      const nested = new Y.Map<unknown>();
      nested.set('inner', new Uint8Array(marker));
      (writer.entries as Y.Map<unknown>).set(randomBytes(32).toString('hex'), nested);
    });
    fileEntries(writer, honest);
    const ids = honest.map((e) => e.id).sort();
    await waitFor(() => reader.entries.size === honest.length, 5000, 'reader to get the honest entries');
    await waitFor(() => writer.entries.size === honest.length, 5000, 'the sender to see its junk removed');
    await waitFor(() => sent(observer, honest.at(-1)!.bytes), 5000, 'the observer to get the honest entries');
    expect([...reader.entries.keys()].sort()).toEqual(ids);
    for (const e of honest) expect(sameBytes(reader.entries.get(e.id), e.bytes)).toBe(true);
    // Nothing of the junk went over the wire to anyone (the honest bytes did: the check can see).
    expect(sent(observer, honest[0]!.bytes)).toBe(true);
    expect(sent(observer, marker)).toBe(false);
    for (const [, value] of junk) if (value instanceof Uint8Array) expect(sent(observer, value)).toBe(false);
    writer.destroy();
    reader.destroy();
    await running.close();

    // Control: the scan finds what is stored (the honest entries' bytes), so its silence means something.
    expect(await filesContain(dir, honest[0]!.bytes)).toBe(true);
    expect(await filesContain(dir, marker)).toBe(false);
    expect(await filesContain(dir, new TextEncoder().encode(Buffer.from(marker).toString('hex')))).toBe(
      false,
    );
    for (const [, value] of junk) {
      if (value instanceof Uint8Array) expect(await filesContain(dir, value)).toBe(false);
    }
  });

  it('undoes the deletion of a valid entry, for everyone including the deleter', async () => {
    const running = await relay();
    const [room, token] = [randomRoomId(), randomToken()];
    const a = client(running.url, room, token);
    const b = client(running.url, room, token);
    await Promise.all([a.synced(), b.synced()]);
    const entries = await signedEntries(room, 3);
    fileEntries(a, entries);
    await waitFor(() => b.entries.size === 3, 5000, 'b to get the entries');

    b.entries.delete(entries[1]!.id);
    b.entries.set(entries[2]!.id, new Uint8Array([1, 2, 3]));
    await waitFor(
      () => b.entries.size === 3 && sameBytes(b.entries.get(entries[2]!.id), entries[2]!.bytes),
      5000,
      'the deleter to get the entries back',
    );
    const late = client(running.url, room, token);
    await late.synced();
    await waitFor(() => late.entries.size === 3, 5000, 'a late joiner to get all three');
    for (const e of entries) {
      expect(sameBytes(a.entries.get(e.id), e.bytes)).toBe(true);
      expect(sameBytes(late.entries.get(e.id), e.bytes)).toBe(true);
    }
  });

  it('closes an author past its quota with 4413 and retry-after; other authors still write', async () => {
    const running = await relay({ limits: { maxEntriesPerAuthor: 4 } });
    const [room, token] = [randomRoomId(), randomToken()];
    const [greedy, honest] = roomAuthors(room, 2) as [
      ReturnType<typeof roomAuthors>[number],
      ReturnType<typeof roomAuthors>[number],
    ];
    const flood = [await greedy.join(), ...(await greedy.chats(9))];
    const writer = client(running.url, room, token);
    const other = client(running.url, room, token);
    await Promise.all([writer.synced(), other.synced()]);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      writer.provider.once('closed', resolve),
    );
    fileEntries(writer, flood);
    expect(await closed).toEqual({ code: 4413, reason: 'author quota reached; retry-after=300' });
    expect(running.metrics().rejections.author_quota).toBe(1);

    const mine = [await honest.join(), ...(await honest.chats(2))];
    fileEntries(other, mine);
    await waitFor(() => other.entries.size === 4 + mine.length, 5000, 'honest writes to pass');
    const late = client(running.url, room, token);
    await late.synced();
    await waitFor(() => late.entries.size === 4 + mine.length, 5000, 'late joiner');
    for (const e of mine) expect(late.entries.has(e.id)).toBe(true);
    expect(flood.filter((e) => late.entries.has(e.id))).toHaveLength(4);
  });

  it('removes junk stored before admission existed when the room loads, and persists the removal', async () => {
    const dir = await tempDir();
    const [room, token] = [randomRoomId(), randomToken()];
    const first = await startRelay({ port: 0, dataDir: dir });
    const founder = connectClient(first.url, room, token);
    const witness = connectClient(first.url, room, token);
    await founder.synced();
    const entries = await signedEntries(room, 3);
    fileEntries(founder, entries);
    await waitFor(() => witness.entries.size === 3, 5000, 'the entries to be stored');
    founder.destroy();
    witness.destroy();
    await first.close();

    // An old relay stored junk next to the entries (written into its folder directly here).
    const marker = randomBytes(32);
    const legacy = new Y.Doc();
    legacy.getMap('entries').set('e1', new Uint8Array([...new TextEncoder().encode('one'), ...marker]));
    legacy.getMap('entries').set('e2', 'two');
    const db = new LeveldbPersistence(dir);
    await db.storeUpdate(room, Y.encodeStateAsUpdate(legacy));
    await db.destroy();

    const second = await relay({ dataDir: dir });
    const observer = await wire(second.url, room, token);
    const reader = client(second.url, room, token);
    await reader.synced();
    await waitFor(() => reader.entries.size === 3, 5000, 'reader to get the entries');
    await waitFor(() => sent(observer, entries[2]!.bytes), 5000, 'the observer to get the room');
    expect([...reader.entries.keys()].sort()).toEqual(entries.map((e) => e.id).sort());
    expect(sent(observer, marker)).toBe(false);
    reader.destroy();
    await second.close();
    forgetLast();

    const stored = new LeveldbPersistence(dir);
    const doc = await stored.getYDoc(room);
    await stored.destroy();
    expect([...doc!.getMap('entries').keys()].sort()).toEqual(entries.map((e) => e.id).sort());
  });

  it('refuses whole (4400) an update with a key that is not an entry id, or another root: tombstones would keep it', async () => {
    const running = await relay();
    const [room, token] = [randomRoomId(), randomToken()];
    const [entry, after] = (await signedEntries(room, 2)) as [CreatedEntry, CreatedEntry];
    const reader = client(running.url, room, token);
    await reader.synced();
    const cases: Array<[string, (c: SyncClient) => void, string]> = [
      ['key', (c) => c.entries.set('e1', entry.bytes), 'update refused: map keys must be entry ids'],
      [
        'root',
        (c) => c.doc.getArray('notes').push([entry.bytes]),
        'update refused: only the entries map may be written',
      ],
    ];
    for (const [what, write, reason] of cases) {
      const writer = client(running.url, room, token);
      await writer.synced();
      const closed = new Promise<{ code: number; reason: string }>((resolve) =>
        writer.provider.once('closed', resolve),
      );
      write(writer);
      expect(await closed, what).toEqual({ code: 4400, reason });
    }
    expect(running.metrics().rejections.update_refused).toBe(2);
    const honest = client(running.url, room, token);
    await honest.synced();
    fileEntries(honest, [after]);
    await waitFor(() => reader.entries.has(after.id), 5000, 'honest writes to pass');
    expect([...reader.entries.keys()]).toEqual([after.id]);
    expect(reader.doc.getArray('notes').length).toBe(0);
  });
});
