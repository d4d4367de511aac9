import { readdir, readFile, stat } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LeveldbPersistence } from 'y-leveldb';
import * as Y from 'yjs';
import { sign } from '../shared/crypto/sign';
import { isWalletError } from '../shared/errors';
import { type CreatedEntry, entryIdOf, HEADER_LENGTH, signingMessage } from '../shared/ledger/envelope';
import { chat, type TestAuthor } from '../shared/ledger/test-fixtures';
import { startRelay } from './relay';
import {
  connectClient,
  fileEntries,
  openRaw,
  randomRoomId,
  randomToken,
  roomAuthors,
  signedEntries,
  upgradeResult,
  upgradeStatus,
  waitFor,
} from './test-support';
import { relayTestKit } from './relay-test-kit';

const { relay, client, tempDir, defer } = relayTestKit('relay-test');

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Opens a closed relay's LevelDB folder directly to see what it holds. */
async function storedRooms(
  dir: string,
): Promise<{ names: string[]; tokenHash: (room: string) => Promise<unknown> }> {
  const db = new LeveldbPersistence(dir);
  const names = (await db.getAllDocNames()) ?? [];
  return {
    names,
    tokenHash: async (room) => {
      const value = await db.getMeta(room, 'tokenHash');
      await db.destroy();
      return value;
    },
  };
}

type Entry = Pick<CreatedEntry, 'id' | 'bytes'>;

/**
 * A validly signed envelope for `room` whose body is `body` as is, unencrypted: the relay cannot
 * tell (it never decrypts), so it admits and stores it like any entry.
 */
async function clearBodyEntry(room: string, body: Uint8Array): Promise<Entry> {
  const [author] = roomAuthors(room) as [TestAuthor];
  const header = (await author.join()).bytes.subarray(0, HEADER_LENGTH);
  const bytes = new Uint8Array(HEADER_LENGTH + body.length + 64);
  bytes.set(header);
  new DataView(bytes.buffer).setUint32(HEADER_LENGTH - 4, body.length);
  bytes.set(body, HEADER_LENGTH);
  const signedEnd = HEADER_LENGTH + body.length;
  bytes.set(await sign(author.identity.secretKey, signingMessage(bytes.subarray(0, signedEnd))), signedEnd);
  return { id: entryIdOf(bytes), bytes };
}

async function snapshotFiles(dir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of await readdir(dir)) out[name] = (await stat(join(dir, name))).size;
  return out;
}

async function readAllFiles(dir: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(await readFile(join(entry.parentPath, entry.name)));
  }
  return out;
}

describe('relay: syncing', () => {
  it('syncs a map of entries between two clients of a room and keeps rooms apart', async () => {
    const { url } = await relay();
    const [room, token] = [randomRoomId(), randomToken()];
    const a = client(url, room, token);
    const b = client(url, room, token);
    const other = client(url, randomRoomId(), randomToken());
    await Promise.all([a.synced(), b.synced(), other.synced()]);

    const [e1, e2, e3] = (await signedEntries(room, 3, 2)) as [CreatedEntry, CreatedEntry, CreatedEntry];
    a.entries.set(e1.id, e1.bytes);
    a.entries.set(e2.id, e2.bytes);
    await waitFor(() => b.entries.size === 2, 5000, 'b to receive two entries');
    expect(b.entries.get(e2.id)).toEqual(e2.bytes);

    b.entries.set(e3.id, e3.bytes);
    await waitFor(() => a.entries.size === 3, 5000, 'a to receive the reply');
    // A late joiner gets everything from the relay alone.
    const late = client(url, room, token);
    await late.synced();
    await waitFor(() => late.entries.size === 3, 5000, 'late joiner');
    expect(other.entries.size).toBe(0);
  });
});

describe('relay: authentication', () => {
  it('refuses bad paths with HTTP 400 and missing or malformed tokens with HTTP 401, creating nothing', async () => {
    const dir = await tempDir();
    const running = await startRelay({ port: 0, dataDir: dir });
    const room = randomRoomId();
    expect(await upgradeStatus(running.url, `/${room}`)).toBe(401);
    expect(await upgradeStatus(running.url, `/${room}?token=abc`)).toBe(401);
    expect(await upgradeStatus(running.url, `/${room}?token=${randomToken().toUpperCase()}`)).toBe(401);
    expect(await upgradeStatus(running.url, `/${room}?token=${randomToken()}&token=${randomToken()}`)).toBe(
      401,
    );
    expect(await upgradeStatus(running.url, `/${room.toUpperCase()}?token=${randomToken()}`)).toBe(400);
    expect(await upgradeStatus(running.url, `/${room}/x?token=${randomToken()}`)).toBe(400);
    expect(await upgradeStatus(running.url, `/flat-3b?token=${randomToken()}`)).toBe(400);
    const m = running.metrics();
    expect(m.rejections.unauthorized).toBe(4);
    expect(m.rejections.bad_path).toBe(3);
    expect(m.storedRooms).toBe(0);
    await running.close();

    const stored = await storedRooms(dir);
    expect(stored.names).toEqual([]);
    expect(await stored.tokenHash(room)).toBeUndefined();
  });

  it('lets the first token claim a room and closes any other one with 4401, also after a restart', async () => {
    const dir = await tempDir();
    const [room, token, wrong] = [randomRoomId(), randomToken(), randomToken()];
    const first = await startRelay({ port: 0, dataDir: dir });
    defer(() => first.close());
    const a = connectClient(first.url, room, token);
    await a.synced();
    fileEntries(a, await signedEntries(room, 1));
    const b = connectClient(first.url, room, token);
    await waitFor(() => b.entries.size === 1, 5000, 'b to see the entry');
    a.destroy();
    b.destroy();
    await waitFor(() => first.metrics().connections === 0, 5000, 'clients to leave');

    const before = await snapshotFiles(dir);
    expect(await upgradeResult(first.url, `/${room}?token=${wrong}`)).toEqual({
      status: 101,
      code: 4401,
      reason: 'invite key does not match this group',
    });
    expect(await snapshotFiles(dir)).toEqual(before);
    await first.close();

    const second = await relay({ dataDir: dir });
    expect(await upgradeStatus(second.url, `/${room}?token=${wrong}`)).toBe(4401);
    const c = client(second.url, room, token);
    await c.synced();
    await waitFor(() => c.entries.size === 1, 5000, 'entry after restart');
    expect(second.metrics().rejections.unauthorized).toBe(1);
  });

  it('lets exactly one of two racing first connections with different tokens in', async () => {
    const { url } = await relay();
    const room = randomRoomId();
    const statuses = await Promise.all([
      upgradeStatus(url, `/${room}?token=${randomToken()}`),
      upgradeStatus(url, `/${room}?token=${randomToken()}`),
    ]);
    expect(statuses.sort()).toEqual([101, 4401]);
  });
});

describe('relay: limits', () => {
  it('closes a connection that sends a message over maxMessageBytes, and only that one', async () => {
    const running = await relay({ limits: { maxMessageBytes: 64 * 1024 } });
    const [room, token] = [randomRoomId(), randomToken()];
    const a = client(running.url, room, token);
    const b = client(running.url, room, token);
    await Promise.all([a.synced(), b.synced()]);
    const raw = await openRaw(running.url, room, token);
    defer(() => raw.ws.terminate());

    raw.ws.send(new Uint8Array(100 * 1024));
    expect((await raw.closed).code).toBe(1009);

    const [after] = (await signedEntries(room, 1)) as [CreatedEntry];
    fileEntries(a, [after]);
    await waitFor(() => b.entries.has(after.id), 5000, 'room to keep syncing');
    expect(running.metrics().rejections.message_too_large).toBe(1);
    expect(running.metrics().connections).toBe(2);
  });

  it('closes a flooding connection with 1008 while another room keeps syncing', async () => {
    const running = await relay({ limits: { messagesPerSecond: 20, messageBurst: 40 } });
    const flooder = await openRaw(running.url, randomRoomId(), randomToken());
    defer(() => flooder.ws.terminate());
    const [room, token] = [randomRoomId(), randomToken()];
    const a = client(running.url, room, token);
    const b = client(running.url, room, token);
    await Promise.all([a.synced(), b.synced()]);

    const [during] = (await signedEntries(room, 1)) as [CreatedEntry];
    const syncStep1 = new Uint8Array([0, 0, 1, 0]); // valid: "send me everything"
    for (let i = 0; i < 500; i++) flooder.ws.send(syncStep1);
    fileEntries(a, [during]);
    expect(await flooder.closed).toEqual({ code: 1008, reason: 'rate limit exceeded' });
    await waitFor(() => b.entries.has(during.id), 5000, 'the other room to sync');
    expect(running.metrics().rejections.rate_limited).toBe(1);
  });

  it('survives garbage frames: each closes only its sender', async () => {
    const running = await relay();
    const [room, token] = [randomRoomId(), randomToken()];
    const garbage: Array<[string, Uint8Array | string, number]> = [
      ['truncated varint', new Uint8Array([0xff, 0xff, 0xff]), 1007],
      ['sync without sync type', new Uint8Array([0]), 1007],
      ['unknown sync type', new Uint8Array([0, 9]), 1007],
      ['unknown message type', new Uint8Array([7, 1, 2]), 1007],
      ['update with a cut length', new Uint8Array([0, 2, 0x85]), 1007],
      ['update with junk content', new Uint8Array([0, 2, 5, 1, 2, 3, 4, 5]), 1007],
      ['update with out-of-range integers', new Uint8Array([0, 2, 11, ...Array(10).fill(0xff), 1]), 1007],
      ['awareness with junk JSON', new Uint8Array([1, 9, 1, 1, 1, 5, 65, 66, 67, 68, 69]), 1007],
      ['text frame', 'hello relay', 1003],
    ];
    const a = client(running.url, room, token);
    const b = client(running.url, room, token);
    await Promise.all([a.synced(), b.synced()]);
    const [afterGarbage] = (await signedEntries(room, 1)) as [CreatedEntry];
    for (const [what, payload, code] of garbage) {
      const raw = await openRaw(running.url, room, token);
      defer(() => raw.ws.terminate());
      raw.ws.send(payload);
      expect((await raw.closed).code, what).toBe(code);
    }
    // An invalid WebSocket frame (reserved opcode 0xF), written below the ws library.
    const raw = await openRaw(running.url, room, token);
    (raw.ws as unknown as { _socket: Socket })._socket.write(Buffer.from([0x8f, 0x80, 1, 2, 3, 4]));
    expect((await raw.closed).code).toBe(1002);

    fileEntries(a, [afterGarbage]);
    await waitFor(() => b.entries.has(afterGarbage.id), 5000, 'room to keep syncing');
    expect(running.metrics().rejections.malformed).toBe(garbage.length + 1);
    const health = (await (await fetch(`${running.url.replace('ws', 'http')}/healthz`)).json()) as {
      status: string;
    };
    expect(health.status).toBe('ok');
  });

  it('closes connections past maxConnectionsPerIp with 4429 and retry-after, and frees the slot on close', async () => {
    const running = await relay({ limits: { maxConnectionsPerIp: 3 } });
    const [room, token] = [randomRoomId(), randomToken()];
    const open = await Promise.all([1, 2, 3].map(() => openRaw(running.url, room, token)));
    for (const r of open) defer(() => r.ws.terminate());
    const refused = await upgradeResult(running.url, `/${room}?token=${token}`);
    expect(refused.code).toBe(4429);
    expect(refused.reason).toMatch(/^relay busy; retry-after=\d+/);
    open[0]!.ws.close();
    await waitFor(() => running.metrics().connections === 2, 5000, 'slot to free');
    expect(await upgradeStatus(running.url, `/${room}?token=${token}`)).toBe(101);
    expect(running.metrics().rejections.too_many_connections_per_ip).toBe(1);
  });

  it('closes new rooms past maxRooms with 4503 and retry-after while existing rooms keep working', async () => {
    const running = await relay({ limits: { maxRooms: 2 } });
    const rooms = [randomRoomId(), randomRoomId()];
    const token = randomToken();
    for (const room of rooms) expect(await upgradeStatus(running.url, `/${room}?token=${token}`)).toBe(101);
    const refused = await upgradeResult(running.url, `/${randomRoomId()}?token=${token}`);
    expect(refused.code).toBe(4503);
    expect(refused.reason).toMatch(/^relay busy; retry-after=\d+$/);
    expect(await upgradeStatus(running.url, `/${rooms[1]}?token=${token}`)).toBe(101);
    expect(running.metrics().rejections.too_many_rooms).toBe(1);
    expect(running.metrics().storedRooms).toBe(2);
  });

  it('closes a writer whose update would grow the room past maxDocBytes (4413); the room still serves', async () => {
    const maxDocBytes = 8 * 1024;
    const running = await relay({ limits: { maxDocBytes } });
    const [room, token] = [randomRoomId(), randomToken()];
    const writer = client(running.url, room, token);
    await writer.synced();
    // Valid entries of about 1 KiB each (junk would be removed and not grow the room).
    const [author] = roomAuthors(room) as [TestAuthor];
    const big = [await author.join()];
    for (let i = 1; i < 16; i++) big.push(await author.write(chat(`${i} ${'x'.repeat(900)}`)));
    const closed = new Promise<{ code: number }>((resolve) => writer.provider.once('closed', resolve));
    for (const entry of big) writer.entries.set(entry.id, entry.bytes);
    expect((await closed).code).toBe(4413);

    const reader = client(running.url, room, token);
    await reader.synced();
    await waitFor(() => reader.entries.size > 0, 5000, 'reader to get the admitted entries');
    expect(reader.entries.size).toBeLessThan(16);
    expect(Y.encodeStateAsUpdate(reader.doc).byteLength).toBeLessThanOrEqual(maxDocBytes);
    expect(running.metrics().rejections.room_too_large).toBe(1);
  });
});

describe('relay: endpoints', () => {
  it('reports live numbers on /healthz and /metrics', async () => {
    const running = await relay();
    const http = running.url.replace('ws://', 'http://');
    const [room, token] = [randomRoomId(), randomToken()];
    const a = client(running.url, room, token);
    await a.synced();
    fileEntries(a, await signedEntries(room, 1));
    expect(await upgradeStatus(running.url, `/${room}?token=${randomToken()}`)).toBe(4401);

    const health = await fetch(`${http}/healthz`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as Record<string, unknown>;
    expect(body).toEqual({
      status: 'ok',
      rooms: 1,
      connections: 1,
      uptimeSeconds: expect.any(Number),
      healing: 0,
    });

    const metrics = await fetch(`${http}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toContain('relay_connections 1\n');
    expect(text).toContain('relay_rooms 1\n');
    expect(text).toContain('relay_rejections_total{reason="unauthorized"} 1\n');
    const counter = (name: string): number => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    expect(counter('relay_bytes_in_total')).toBeGreaterThan(0);
    expect(counter('relay_bytes_out_total')).toBeGreaterThan(0);
    expect(counter('relay_messages_total')).toBeGreaterThanOrEqual(2);
    expect((await fetch(`${http}/nope`)).status).toBe(404);
  });
});

describe('relay: storage', () => {
  it('stores only ciphertext: the plaintext of an entry appears in no file of the data folder', async () => {
    const secret = 'Groceries ¥182.40, paid by Ann, split equally';
    /** Writes the entry `make` builds for a fresh room through a relay; every file of its data folder. */
    const store = async (
      make: (room: string) => Promise<Entry>,
    ): Promise<{ files: Buffer[]; entry: Entry }> => {
      const dir = await tempDir();
      const running = await startRelay({ port: 0, dataDir: dir });
      const [room, token] = [randomRoomId(), randomToken()];
      const entry = await make(room);
      const a = connectClient(running.url, room, token);
      const b = connectClient(running.url, room, token);
      await a.synced();
      a.entries.set(entry.id, entry.bytes);
      await waitFor(() => b.entries.size === 1, 5000, 'entry to pass the relay');
      a.destroy();
      b.destroy();
      await running.close();
      return { files: await readAllFiles(dir), entry };
    };
    const contains = (files: Buffer[], needle: Uint8Array): boolean =>
      files.some((file) => file.indexOf(Buffer.from(needle)) !== -1);

    // Control: the scan does find an entry whose body is in the clear, so its silence below means something.
    const control = await store((room) => clearBodyEntry(room, bytes(secret)));
    expect(contains(control.files, bytes(secret))).toBe(true);

    const { files, entry: sealed } = await store(async (room) => {
      const [author] = roomAuthors(room) as [TestAuthor];
      return author.write(chat(secret));
    });
    expect(contains(files, sealed.bytes)).toBe(true);
    expect(contains(files, bytes(secret))).toBe(false);
    expect(contains(files, bytes('Groceries'))).toBe(false);
  });

  it('fails to start on a data folder that another relay holds', async () => {
    const dir = await tempDir();
    await relay({ dataDir: dir });
    const second = startRelay({ port: 0, dataDir: dir });
    await expect(second).rejects.toSatisfy(
      (error: unknown) => isWalletError(error) && error.code === 'relay_storage_unavailable',
    );
  });
});
