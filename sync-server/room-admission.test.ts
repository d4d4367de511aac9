/**
 * Admission on a bare Y.Doc (the relay's room document), without sockets: what stays, what is
 * removed, and that removed bytes are in no update the room emits (so never stored or forwarded).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { type CreatedEntry, entryIdOf } from '../shared/ledger/envelope';
import { flipByte } from '../shared/ledger/test-fixtures';
import { DEFAULT_LIMITS } from './config';
import { AdmissionCounters } from './metrics';
import { type AdmissionLimits, RoomAdmission } from './room-admission';
import { randomRoomId, roomAuthors, signedEntries } from './test-support';

const LIMITS: AdmissionLimits = DEFAULT_LIMITS;

/** The relay's document with admission, and every update it emitted. */
async function relayRoom(roomId: string, limits: AdmissionLimits = LIMITS, doc = new Y.Doc()) {
  const counters = new AdmissionCounters();
  const opened = await RoomAdmission.open(roomId, doc, limits, counters);
  const emitted: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => emitted.push(u));
  return { doc, counters, emitted, ...opened };
}

/** A client document that already holds what the relay holds. */
function clientOf(relayDoc: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(relayDoc));
  return doc;
}

/** What the client wrote since it last matched the relay: the update it would send. */
function diff(client: Y.Doc, relayDoc: Y.Doc): Uint8Array {
  return Y.encodeStateAsUpdate(client, Y.encodeStateVector(relayDoc));
}

function contains(haystack: readonly Uint8Array[], needle: Uint8Array): boolean {
  return haystack.some((u) => Buffer.from(u).indexOf(Buffer.from(needle)) !== -1);
}

/** A key shaped like an entry id (any other key refuses the whole update). */
const idLike = (): string => randomBytes(32).toString('hex');

function keysOf(doc: Y.Doc): string[] {
  return [...doc.getMap('entries').keys()].sort();
}

function file(client: Y.Doc, entries: readonly CreatedEntry[]): void {
  const map = client.getMap<Uint8Array>('entries');
  client.transact(() => {
    for (const e of entries) map.set(e.id, e.bytes);
  });
}

describe('room admission', () => {
  it("takes another node's stored update without signature work, still indexing, counting quotas and removing junk", async () => {
    const roomId = randomRoomId();
    const limits: AdmissionLimits = { ...LIMITS, maxEntriesPerAuthor: 3 };
    const room = await relayRoom(roomId, limits);
    const entries = await signedEntries(roomId, 4, 1);
    const [foreign] = await signedEntries(randomRoomId(), 1);
    const client = clientOf(room.doc);
    file(client, entries.slice(0, 2));
    client.getMap<Uint8Array>('entries').set(foreign!.id, foreign!.bytes);
    const outcome = room.admission.admitStored(diff(client, room.doc), 'remote');
    expect(room.counters.signaturesVerified).toBe(0);
    expect(keysOf(room.doc)).toEqual(
      entries
        .slice(0, 2)
        .map((e) => e.id)
        .sort(),
    );
    expect(outcome.echo).not.toBeNull(); // the foreign entry's removal
    expect(room.admission.usage(entries[0]!.entry.header.author).entries).toBe(2);
    // The author's quota holds across both paths: one more fits, the fourth does not.
    const more = clientOf(room.doc);
    file(more, entries.slice(2));
    const second = room.admission.admitStored(diff(more, room.doc), 'remote');
    expect(second.refusal?.reason).toBe('author_quota');
    expect(room.admission.size).toBe(3);
  });

  it('admits honest values, checking about one signature per author', async () => {
    const roomId = randomRoomId();
    const room = await relayRoom(roomId);
    const entries = await signedEntries(roomId, 30, 3);
    const client = clientOf(room.doc);
    file(client, entries);
    const outcome = await room.admission.admit(diff(client, room.doc), 'conn');
    expect(outcome).toEqual({ echo: null, refusal: null });
    expect(keysOf(room.doc)).toEqual(entries.map((e) => e.id).sort());
    expect(room.counters.admitted).toBe(30);
    expect(room.counters.signaturesVerified).toBe(3);
    expect(room.admission.size).toBe(30);
  });

  it('removes every inadmissible category in the applying transaction: never emitted, echoed to the sender', async () => {
    const roomId = randomRoomId();
    const room = await relayRoom(roomId);
    const [good, next] = await signedEntries(roomId, 2);
    const [foreign] = await signedEntries(randomRoomId(), 1);
    const forged = flipByte(next!.bytes, next!.bytes.length - 3);
    const versioned = next!.bytes.slice();
    versioned[3] = 9;
    const marker = randomBytes(24); // appears in every junk value, so the scan is exact
    const junk = (prefix: Uint8Array): Uint8Array => new Uint8Array([...prefix, ...marker]);
    const client = clientOf(room.doc);
    const map = client.getMap<unknown>('entries');
    client.transact(() => {
      map.set(good!.id, good!.bytes);
      map.set(idLike(), `not bytes ${marker.toString('hex')}`);
      map.set(idLike(), junk(new TextEncoder().encode('one')));
      map.set(idLike(), junk(new Uint8Array(70_000)));
      map.set(idLike(), junk(versioned));
      map.set(foreign!.id, foreign!.bytes);
      map.set(idLike(), next!.bytes);
      map.set(entryIdOf(forged), forged);
      const nested = new Y.Map<unknown>();
      nested.set('inner', junk(new Uint8Array(8)));
      map.set(idLike(), nested);
      map.set(idLike(), [1, 2, 3]);
    });
    const update = diff(client, room.doc);
    const outcome = await room.admission.admit(update, 'conn');

    expect(keysOf(room.doc)).toEqual([good!.id]);
    expect(room.emitted).toHaveLength(1);
    expect(contains(room.emitted, marker)).toBe(false);
    expect(contains(room.emitted, new TextEncoder().encode(marker.toString('hex')))).toBe(false);
    expect(contains(room.emitted, forged)).toBe(false);
    expect(contains(room.emitted, next!.bytes)).toBe(false);
    expect(contains(room.emitted, foreign!.bytes)).toBe(false);
    // The sender gets the removals (the broadcast skips it).
    expect(outcome.echo).toBe(room.emitted[0]);
    Y.applyUpdate(client, outcome.echo!);
    expect(keysOf(client)).toEqual([good!.id]);
    expect(room.counters.refused).toEqual({
      not_bytes: 3,
      malformed: 1,
      too_large: 1,
      unsupported_version: 1,
      wrong_group: 1,
      key_mismatch: 1,
      bad_signature: 1,
      author_quota: 0,
      outside_entries: 0,
    });
  });

  it('refuses whole, unapplied, an update with a key that is not an entry id or with another root', async () => {
    const roomId = randomRoomId();
    const room = await relayRoom(roomId);
    const [good] = await signedEntries(roomId, 1);
    const writes: Array<[(doc: Y.Doc) => void, string]> = [
      [(doc) => doc.getMap('entries').set('e1', good!.bytes), 'update refused: map keys must be entry ids'],
      [(doc) => doc.getArray('other').push([1]), 'update refused: only the entries map may be written'],
      [(doc) => doc.getText('notes').insert(0, 'hi'), 'update refused: only the entries map may be written'],
    ];
    for (const [write, text] of writes) {
      const client = clientOf(room.doc);
      client.transact(() => {
        client.getMap('entries').set(good!.id, good!.bytes);
        write(client);
      });
      const outcome = await room.admission.admit(diff(client, room.doc), 'conn');
      expect(outcome).toEqual({ echo: null, refusal: { reason: 'update_refused', code: 4400, text } });
    }
    expect(room.emitted).toHaveLength(0);
    expect(keysOf(room.doc)).toEqual([]);
  });

  it('undoes the deletion or overwrite of an admissible value, and lets the same bytes be filed again', async () => {
    const roomId = randomRoomId();
    const room = await relayRoom(roomId);
    const [a, b] = await signedEntries(roomId, 2);
    const writer = clientOf(room.doc);
    file(writer, [a!, b!]);
    await room.admission.admit(diff(writer, room.doc), 'writer');

    const relayClientId = room.doc.clientID;
    const vandal = clientOf(room.doc);
    const vmap = vandal.getMap<Uint8Array>('entries');
    vmap.delete(a!.id);
    vmap.set(b!.id, new Uint8Array([1, 2, 3]));
    const outcome = await room.admission.admit(diff(vandal, room.doc), 'vandal');
    expect(outcome.echo).not.toBeNull();
    const map = room.doc.getMap<Uint8Array>('entries');
    expect(Buffer.from(map.get(a!.id)!).equals(Buffer.from(a!.bytes))).toBe(true);
    expect(Buffer.from(map.get(b!.id)!).equals(Buffer.from(b!.bytes))).toBe(true);
    expect(room.counters.restored).toBe(2);
    // The relay keeps writing as one client: corrections do not grow the state vector.
    expect(room.doc.clientID).toBe(relayClientId);
    Y.applyUpdate(vandal, outcome.echo!);
    expect(keysOf(vandal)).toEqual([a!.id, b!.id].sort());

    // Another device filing the same entry again: kept, not counted twice, nothing echoed.
    const again = clientOf(room.doc);
    again.getMap<Uint8Array>('entries').set(a!.id, a!.bytes.slice());
    expect(await room.admission.admit(diff(again, room.doc), 'again')).toEqual({ echo: null, refusal: null });
    expect(room.counters.admitted).toBe(2);
    expect(room.admission.usage(a!.entry.header.author).entries).toBe(2);
  });

  it('refuses an author past its quota (4413, retry-after) while other authors still write', async () => {
    const roomId = randomRoomId();
    const room = await relayRoom(roomId, { ...LIMITS, maxEntriesPerAuthor: 3 });
    const [greedy, honest] = roomAuthors(roomId, 2) as [
      ReturnType<typeof roomAuthors>[number],
      ReturnType<typeof roomAuthors>[number],
    ];
    const mine = [await greedy.join(), ...(await greedy.chats(4))];
    const client = clientOf(room.doc);
    file(client, mine);
    const outcome = await room.admission.admit(diff(client, room.doc), 'greedy');
    expect(outcome.refusal).toEqual({
      reason: 'author_quota',
      code: 4413,
      text: 'author quota reached; retry-after=300',
    });
    expect(room.doc.getMap('entries').size).toBe(3);
    expect(room.counters.refused.author_quota).toBe(2);

    const theirs = [await honest.join(), await honest.write({ type: 'chat.message', text: 'hi' })];
    const other = clientOf(room.doc);
    file(other, theirs);
    expect((await room.admission.admit(diff(other, room.doc), 'honest')).refusal).toBeNull();
    expect(room.doc.getMap('entries').size).toBe(5);
  });

  it('admits a value vouched for by an admitted successor without checking its signature', async () => {
    const roomId = randomRoomId();
    const room = await relayRoom(roomId);
    const [first, second] = await signedEntries(roomId, 2);
    const late = clientOf(room.doc);
    file(late, [second!]);
    await room.admission.admit(diff(late, room.doc), 'c');
    const before = room.counters.signaturesVerified;
    file(late, [first!]);
    await room.admission.admit(diff(late, room.doc), 'c');
    expect(room.counters.signaturesVerified).toBe(before);
    expect(keysOf(room.doc)).toEqual([first!.id, second!.id].sort());
  });

  it('refuses an update that leaves more than maxPendingBytes waiting for missing history', async () => {
    const roomId = randomRoomId();
    const room = await relayRoom(roomId, { ...LIMITS, maxPendingBytes: 1024 });
    const entries = await signedEntries(roomId, 8);
    const client = clientOf(room.doc);
    file(client, entries.slice(0, 1));
    const missing = diff(client, room.doc); // never sent
    const sv = Y.encodeStateVector(client);
    file(client, entries.slice(1));
    const dependent = Y.encodeStateAsUpdate(client, sv);
    const outcome = await room.admission.admit(dependent, 'c');
    expect(outcome.refusal?.code).toBe(4400);
    expect(outcome.refusal?.text).toMatch(/^update refused: /);
    expect(room.doc.store.pendingStructs).toBeNull();
    expect(missing.byteLength).toBeGreaterThan(0);
  });

  it('removes junk stored before admission existed when the room loads, in one update', async () => {
    const roomId = randomRoomId();
    const entries = await signedEntries(roomId, 4, 2);
    const stored = new Y.Doc();
    const map = stored.getMap<unknown>('entries');
    const marker = randomBytes(16);
    for (const e of entries) map.set(e.id, e.bytes);
    map.set('e1', new Uint8Array([...new TextEncoder().encode('one'), ...marker]));
    map.set(
      entries[0]!.id.replace(/^./, (c) => (c === '0' ? '1' : '0')),
      entries[0]!.bytes,
    );
    stored.getArray('junk').push([1, 2, 3]);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, Y.encodeStateAsUpdate(stored)); // as the store loads it: roots not typed yet
    const room = await relayRoom(roomId, LIMITS, loaded);
    expect(room.cleanup).not.toBeNull();
    expect(contains([room.cleanup!], marker)).toBe(false);
    expect(keysOf(loaded)).toEqual(entries.map((e) => e.id).sort());
    expect(loaded.getArray('junk').length).toBe(0);
    expect(room.counters.refused).toMatchObject({ malformed: 1, key_mismatch: 1, outside_entries: 1 });
    expect(room.counters.signaturesVerified).toBe(2);
    // A clean room needs no cleanup.
    const again = await relayRoom(roomId, LIMITS, clientOf(loaded));
    expect(again.cleanup).toBeNull();
  });
});
