/**
 * Issue 10, finding 3: a member fills the room. A rogue member holds the token and the group
 * key. Junk map values must be removed by the relay (the removal reaching the sender too) and
 * never reach another client; valid entries past her author quota get the value removed and a
 * 4413 "author quota reached; retry-after=…" close; honest authors still write and a new
 * member still joins.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { chat, TestAuthor } from '../../shared/ledger/test-fixtures';
import { envelopeRoom, wideText } from './envelopes';
import {
  ASSUMED_ENV,
  MB,
  rawSocket,
  runCleanups,
  SYNC_STEP1_EMPTY,
  sleep,
  startAttackRelay,
  waitUntil,
  yClient,
} from './support';

afterEach(runCleanups);

const ROOM_LIMIT = 3 * MB;
const AUTHOR_BYTES = 256 * 1024;

function contains(haystack: Uint8Array, needle: Buffer): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).includes(needle);
}

describe('F3: a rogue member cannot fill the room', () => {
  it('removes junk before anyone sees it, stops her at her quota, and leaves room for everyone else', async () => {
    const relay = await startAttackRelay({
      LIMIT_MAX_DOC_BYTES: String(ROOM_LIMIT),
      [ASSUMED_ENV.authorBytes]: String(AUTHOR_BYTES),
    });
    const room = await envelopeRoom(3);
    const [alice, bob, mallory] = room.authors as [TestAuthor, TestAuthor, TestAuthor];
    const aliceClient = yClient(relay.url, room.roomId, room.token);
    const bobClient = yClient(relay.url, room.roomId, room.token);
    const malloryClient = yClient(relay.url, room.roomId, room.token);
    await Promise.all([aliceClient.synced(), bobClient.synced(), malloryClient.synced()]);
    aliceClient.doc.transact(() => {
      for (const e of room.setup) aliceClient.entries.set(e.id, e.bytes);
    });
    await waitUntil(() => malloryClient.entries.size === room.setup.length, 10_000, 'the group to be set up');

    // A raw witness records every byte the relay sends it from now on.
    const witness = rawSocket(relay.url, room.roomId, room.token, { keep: true });
    expect(await witness.opened).toEqual({ kind: 'open' });
    witness.send(SYNC_STEP1_EMPTY);

    // 1. Junk: byte values that are no envelope, and a value that is not bytes at all.
    const marker = randomBytes(32);
    const junkKeys = Array.from({ length: 5 }, () => randomBytes(32).toString('hex'));
    malloryClient.doc.transact(() => {
      for (const [i, key] of junkKeys.entries()) {
        if (i === 0)
          malloryClient.entries.set(key, `junk ${marker.toString('hex')}` as unknown as Uint8Array);
        else malloryClient.entries.set(key, new Uint8Array(Buffer.concat(Array(60).fill(marker))));
      }
    });
    await waitUntil(
      () => junkKeys.every((k) => !malloryClient.entries.has(k)),
      10_000,
      'the relay to remove the junk from the sender too',
    );
    const newcomerView = yClient(relay.url, room.roomId, room.token);
    await newcomerView.synced();
    expect(junkKeys.filter((k) => newcomerView.entries.has(k))).toEqual([]);
    expect(junkKeys.filter((k) => bobClient.entries.has(k))).toEqual([]);
    const hex = Buffer.from(marker.toString('hex'));
    expect(
      witness.messages.some((m) => contains(m, marker) || contains(m, hex)),
      'junk bytes reached another client',
    ).toBe(false);

    // 2. Valid entries past her quota: the relay closes her 4413 with a retry-after.
    const maxAttempts = Math.ceil(ROOM_LIMIT / 12_000) + 20;
    for (let n = 0; n < maxAttempts && malloryClient.closes.length === 0; n++) {
      const entry = await mallory.write(chat(wideText(n)));
      malloryClient.doc.transact(() => malloryClient.entries.set(entry.id, entry.bytes));
      await sleep(20);
    }
    await waitUntil(() => malloryClient.closes.length > 0, 5_000, 'the rogue member to be closed').catch(
      () => {},
    );
    console.info('F3 rogue closes:', malloryClient.closes.slice(0, 3));
    expect(malloryClient.closes[0]?.code).toBe(4413);
    expect(malloryClient.closes[0]?.reason ?? '').toMatch(/^author quota reached; retry-after=\d+/);
    malloryClient.destroy();

    // 3. Honest authors still write, and everyone gets it.
    const honest = [
      ...(await Promise.all([0, 1, 2].map(() => alice.write(chat('rent paid'))))),
      ...(await Promise.all([0, 1, 2].map(() => bob.write(chat('thanks'))))),
    ];
    for (const e of honest) {
      const writer = e.entry.header.author === alice.id ? aliceClient : bobClient;
      writer.doc.transact(() => writer.entries.set(e.id, e.bytes));
      await sleep(20);
    }
    const reader = yClient(relay.url, room.roomId, room.token);
    await reader.synced();
    await waitUntil(() => honest.every((e) => reader.entries.has(e.id)), 10_000, 'honest writes to arrive');
    expect(aliceClient.closes).toEqual([]);
    expect(bobClient.closes).toEqual([]);

    // 4. A new member still joins.
    const carol = new TestAuthor(room.group);
    const joined = await carol.join('Carol');
    const carolClient = yClient(relay.url, room.roomId, room.token);
    await carolClient.synced();
    carolClient.doc.transact(() => carolClient.entries.set(joined.id, joined.bytes));
    await waitUntil(() => aliceClient.entries.has(joined.id), 10_000, 'the new member’s join to arrive');
    expect(carolClient.closes).toEqual([]);
  });
});
