/**
 * Three relay nodes sharing one Redis (docs/relay.md "Scaling"): clients on different nodes
 * converge, a node killed with SIGKILL loses nothing, a full restart keeps the history, and
 * tokens and creation budgets hold across nodes.
 */
import Redis from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { openClusterBackend } from './cluster-backend';
import { relaySettingsFromEnv, resolveLimits } from './config';
import { askRelay, authorIn, handOverMessage } from './handover-test-kit';
import { startTestRedis, type TestRedis } from './redis-test-server';
import { relayTestKit } from './relay-test-kit';
import { signedEntries } from './attacks/envelopes';
import { hashToken } from './auth';
import { fileEntries, openRaw, randomRoomId, randomToken, upgradeStatus, waitFor } from './test-support';
import { hashHex } from './token-set';

const { relay, relayProcess, client, defer } = relayTestKit('cluster-test');
let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/** lib0's varUint8Array: a varuint length, then the bytes. */
function lengthPrefixed(bytes: Uint8Array): number[] {
  const out: number[] = [];
  let n = bytes.length;
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return [...out, ...bytes];
}

const nodes = (count: number, limits = {}) =>
  Promise.all(Array.from({ length: count }, () => relay({ redisUrl: redis.url, limits })));
const nodeProcesses = (count: number) =>
  Promise.all(Array.from({ length: count }, () => relayProcess(':memory:', { REDIS_URL: redis.url })));

describe('relay cluster on Redis', () => {
  it('converges clients spread over three nodes', async () => {
    const [room, token] = [randomRoomId(), randomToken()];
    const relays = await nodes(3);
    const clients = relays.flatMap((node) => [client(node.url, room, token), client(node.url, room, token)]);
    await Promise.all(clients.map((c) => c.synced()));
    const entries = await signedEntries(room, 60, 3);
    // Each client files its share, one transaction per entry (live cross-node fan-out).
    entries.forEach((entry, i) => {
      fileEntries(clients[i % clients.length]!, [entry]);
    });
    await waitFor(() => clients.every((c) => c.entries.size === 60), 20_000, 'every client to hold all 60');
    const states = clients.map((c) => Buffer.from(Y.encodeStateVector(c.doc)).toString('hex'));
    expect(new Set(states).size).toBe(1);
  });

  it("shows each client's presence to clients on other nodes, and its departure; nobody else can change it", async () => {
    const [room, token] = [randomRoomId(), randomToken()];
    const [one, two] = await nodes(2);
    const ann = client(one!.url, room, token);
    const bo = client(two!.url, room, token);
    const cy = client(two!.url, room, token);
    await Promise.all([ann.synced(), bo.synced(), cy.synced()]);
    const annId = ann.provider.awareness.clientID;
    const seenByBo = () => bo.provider.awareness.getStates().get(annId) as { name?: string } | undefined;
    ann.provider.awareness.setLocalStateField('name', 'Ann');
    await waitFor(() => seenByBo()?.name === 'Ann', 10_000, "Ann's presence to reach the other node");
    bo.provider.awareness.setLocalStateField('name', 'Bo');
    await waitFor(
      () =>
        (ann.provider.awareness.getStates().get(bo.provider.awareness.clientID) as { name?: string })
          ?.name === 'Bo',
      10_000,
      "Bo's presence to come back",
    );
    // Cy (on Bo's node) tries to rewrite Ann's state with a newer clock: the node keeps Ann's.
    const forged = new awarenessProtocol.Awareness(new Y.Doc());
    forged.clientID = annId;
    (forged as unknown as { meta: Map<number, { clock: number }> }).meta.set(annId, {
      clock: 1_000,
      lastUpdated: 0,
    } as never);
    forged.states.set(annId, { name: 'Mallory' });
    const raw = awarenessProtocol.encodeAwarenessUpdate(forged, [annId]);
    const message = new Uint8Array([1, ...lengthPrefixed(raw)]);
    (cy.provider.ws as unknown as { send(d: Uint8Array): void }).send(message);
    const watcher = client(two!.url, room, token);
    await watcher.synced();
    await waitFor(
      () => (watcher.provider.awareness.getStates().get(annId) as { name?: string })?.name === 'Ann',
      10_000,
      "a new client on Bo's node to see Ann's own state",
    );
    expect(seenByBo()?.name).toBe('Ann');
    // Ann leaves: her state goes on the other node too.
    ann.destroy();
    await waitFor(() => seenByBo() === undefined, 10_000, "Ann's departure to reach the other node");
  });

  it('loses nothing when a node is killed mid-stream; its clients converge through another node', async () => {
    const [room, token] = [randomRoomId(), randomToken()];
    const [doomed, other, third] = await nodeProcesses(3);
    const writer = client(doomed!.url, room, token);
    const witness = client(other!.url, room, token);
    await Promise.all([writer.synced(), witness.synced()]);
    const entries = await signedEntries(room, 80, 2);
    // Stream entries one per transaction and kill the node while they flow.
    let written = 0;
    const killAt = 40;
    while (written < killAt) fileEntries(writer, [entries[written++]!]);
    await waitFor(() => witness.entries.size >= 10, 10_000, 'the stream to reach the witness');
    doomed!.child.kill('SIGKILL');
    await doomed!.exited;
    const seenBeforeKill = [...witness.entries.keys()];
    while (written < entries.length) fileEntries(writer, [entries[written++]!]);
    // The writer's app reconnects elsewhere (a load balancer would pick another node).
    const moved = client(third!.url, room, token, Y.encodeStateAsUpdate(writer.doc));
    writer.destroy();
    await moved.synced();
    await waitFor(() => witness.entries.size === 80 && moved.entries.size === 80, 20_000, 'convergence');
    const fresh = client(other!.url, room, token);
    await fresh.synced();
    await waitFor(() => fresh.entries.size === 80, 10_000, 'a fresh client to get everything');
    for (const id of seenBeforeKill) expect(fresh.entries.has(id)).toBe(true);
  });

  it('keeps the history when every node restarts', async () => {
    const [room, token] = [randomRoomId(), randomToken()];
    const first = await nodeProcesses(3);
    const writers = first.map((node) => client(node.url, room, token));
    await Promise.all(writers.map((w) => w.synced()));
    const entries = await signedEntries(room, 30, 3);
    entries.forEach((entry, i) => {
      fileEntries(writers[i % 3]!, [entry]);
    });
    await waitFor(() => writers.every((w) => w.entries.size === 30), 20_000, 'writers to converge');
    for (const w of writers) w.destroy();
    for (const node of first) node.child.kill('SIGKILL');
    await Promise.all(first.map((node) => node.exited));
    const second = await nodeProcesses(3);
    const readers = second.map((node) => client(node.url, room, token));
    await Promise.all(readers.map((r) => r.synced()));
    await waitFor(() => readers.every((r) => r.entries.size === 30), 10_000, 'history after restart');
  });

  it('compacts a long stream into a snapshot that a fresh node loads', async () => {
    const [room, token] = [randomRoomId(), randomToken()];
    const [writerNode, readerNode] = await nodes(2);
    const writer = client(writerNode!.url, room, token);
    await writer.synced();
    const entries = await signedEntries(room, 240, 2);
    // One batch (one stream entry) per update: the next is written once the node has stored
    // and sent back the previous one (a busy node would otherwise merge them into one batch).
    const echo = client(writerNode!.url, room, token);
    await echo.synced();
    for (const [i, entry] of entries.entries()) {
      fileEntries(writer, [entry]);
      await waitFor(() => echo.entries.size === i + 1, 5_000, `entry ${i} to be stored`);
    }
    const admin = new Redis(redis.url);
    try {
      await waitFor(() => writer.entries.size === 240, 10_000);
      const snapshot = `tally:room:{${room}}:doc`;
      const deadline = Date.now() + 10_000;
      while ((await admin.exists(snapshot)) === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(await admin.exists(snapshot)).toBe(1);
    } finally {
      admin.disconnect();
    }
    const reader = client(readerNode!.url, room, token);
    await reader.synced();
    await waitFor(() => reader.entries.size === 240, 10_000, 'the reader to load snapshot and stream');
  });

  it('counts author quotas across nodes: writing on two nodes does not double the quota', async () => {
    const [room, token] = [randomRoomId(), randomToken()];
    const [one, two] = await nodes(2, { maxEntriesPerAuthor: 5 });
    const a = client(one!.url, room, token);
    const b = client(two!.url, room, token);
    await Promise.all([a.synced(), b.synced()]);
    const entries = await signedEntries(room, 8, 1);
    fileEntries(a, entries.slice(0, 4));
    await waitFor(() => b.entries.size === 4, 10_000, 'node 2 to hold the first four');
    // The same author now writes four more through node 2: only one fits its quota of five.
    fileEntries(b, entries.slice(4));
    await waitFor(() => a.entries.size === 5, 10_000, 'node 1 to see the one that fits');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(a.entries.size).toBe(5);
  });

  it('holds tokens and creation budgets across nodes', async () => {
    const admin = new Redis(redis.url);
    await admin.flushall();
    admin.disconnect();
    const relays = await nodes(3, { roomBurstPerIp: 2, roomsPerHourPerIp: 1 });
    const [room, token] = [randomRoomId(), randomToken()];
    expect(await upgradeStatus(relays[0]!.url, `/${room}?token=${token}`)).toBe(101);
    // The room was claimed on node 1: a different key on node 2 is refused there too.
    expect(await upgradeStatus(relays[1]!.url, `/${room}?token=${randomToken()}`)).toBe(4401);
    expect(await upgradeStatus(relays[2]!.url, `/${room}?token=${token}`)).toBe(101);
    // Burst of 2 rooms per address, cluster-wide: the second room on node 2 is fine, a third
    // on node 3 is refused.
    expect(await upgradeStatus(relays[1]!.url, `/${randomRoomId()}?token=${randomToken()}`)).toBe(101);
    expect(await upgradeStatus(relays[2]!.url, `/${randomRoomId()}?token=${randomToken()}`)).toBe(4429);
  });

  it('shares the room cap: the last slot goes to one node only', async () => {
    const admin = new Redis(redis.url);
    await admin.flushall();
    admin.disconnect();
    const relays = await nodes(3, { maxRooms: 1, maxProvisionalRooms: 1 });
    const statuses = await Promise.all(
      relays.map((node) => upgradeStatus(node.url, `/${randomRoomId()}?token=${randomToken()}`)),
    );
    expect(statuses.filter((s) => s === 101)).toHaveLength(1);
    expect(statuses.filter((s) => s === 4503)).toHaveLength(2);
  });
});

describe('relay token hand-over on a cluster', () => {
  const path = (room: string, token: string): string => `/${room}?token=${token}`;

  it('is honoured by every node, also when two nodes take one at once; the grace ends on every node', async () => {
    const [one, two, three] = await nodes(3);
    const [room, a, b, c, d] = [randomRoomId(), randomToken(), randomToken(), randomToken(), randomToken()];
    const { raw, author } = await authorIn(one!.url, room, a);
    defer(() => raw.ws.terminate());
    expect(await askRelay(raw, await handOverMessage(author.identity, room, a, 1, b))).toBe('ok');
    expect(await upgradeStatus(two!.url, path(room, b))).toBe(101);
    expect(await upgradeStatus(three!.url, path(room, c))).toBe(4401);
    // Node 2 knows the author once the entry came through Redis.
    const witness = client(two!.url, room, a);
    await waitFor(() => witness.entries.size === 1, 10_000, 'the entry on node 2');
    const onTwo = await openRaw(two!.url, room, a);
    defer(() => onTwo.ws.terminate());
    const outcomes = await Promise.all([
      askRelay(raw, await handOverMessage(author.identity, room, a, 2, c)),
      askRelay(onTwo, await handOverMessage(author.identity, room, a, 2, d)),
    ]);
    expect(outcomes).toEqual(['ok', 'ok']);
    for (const token of [a, b, c, d]) expect(await upgradeStatus(three!.url, path(room, token))).toBe(101);
    // A node whose clock is past the grace refuses the token handed over from.
    const later = await relay({ redisUrl: redis.url, now: () => Date.now() + 31 * 86_400_000 });
    expect(await upgradeStatus(later.url, path(room, a))).toBe(4401);
    expect(await upgradeStatus(later.url, path(room, d))).toBe(101);
  });

  it('loses no record when hand-overs race on two nodes (compare-and-set in Redis)', async () => {
    const limits = resolveLimits();
    const log = pino({ level: 'silent' });
    const backends = await Promise.all(
      [1, 2].map(() => openClusterBackend({ redisUrl: redis.url, limits, log })),
    );
    defer(() => Promise.all(backends.map((backend) => backend.store.close())));
    const [room, a] = [randomRoomId(), randomToken()];
    expect(await backends[0]!.access!.authorize(room, a, '127.0.0.1')).toBe('ok');
    const from = hashHex(hashToken(a));
    const targets = Array.from({ length: 5 }, () => hashHex(hashToken(randomToken())));
    const outcomes = await Promise.all(
      targets.map((toHash, i) =>
        backends[i % 2]!.access!.handOver(room, {
          fromHash: from,
          toHash,
          epoch: i + 1,
          addedBy: 'a'.repeat(64),
        }),
      ),
    );
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const stored = await backends[1]!.access!.tokenSet(room);
    expect(stored?.map((r) => r.hash).sort()).toEqual([from, ...targets].sort());
    expect(stored?.find((r) => r.hash === from)?.expiresAt).not.toBeNull();
  });
});

describe('REDIS_URL', () => {
  it('is read from the environment, and a value that is not a redis URL is a bad setting', () => {
    expect(relaySettingsFromEnv({}).redisUrl).toBeUndefined();
    expect(relaySettingsFromEnv({ REDIS_URL: ' ' }).redisUrl).toBeUndefined();
    expect(relaySettingsFromEnv({ REDIS_URL: 'redis://10.0.0.5:6379/0' }).redisUrl).toBe(
      'redis://10.0.0.5:6379/0',
    );
    expect(() => relaySettingsFromEnv({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL/);
  });
});
