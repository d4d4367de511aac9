import { readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LeveldbPersistence } from 'y-leveldb';
import * as Y from 'yjs';
import type { CreatedEntry } from '../shared/ledger/envelope';
import { type EnvelopeRoom, envelopeRoom, smallEntries } from './attacks/envelopes';
import { type RelayProcess, upgradeResult, waitFor } from './test-support';
import { relayTestKit } from './relay-test-kit';

const { relayProcess, client, tempDir } = relayTestKit('relay-integrity-test');

async function stop(relay: RelayProcess): Promise<void> {
  relay.child.kill('SIGTERM');
  expect((await relay.exited).code).toBe(0);
}

/** Entries per run: a run's log spans several 32 KiB LevelDB blocks. */
const PER_RUN = 150;
/** group.created, then PER_RUN signed chat entries per run (the relay admits only valid envelopes). */
const TOTAL = 1 + 2 * PER_RUN;

async function history(): Promise<{ room: EnvelopeRoom; runs: CreatedEntry[][] }> {
  const room = await envelopeRoom(1);
  const author = room.authors[0]!;
  const filler = 'expense notes '.repeat(16);
  const runs = [
    [...room.setup, ...(await smallEntries(author, PER_RUN, `first ${filler}`))],
    await smallEntries(author, PER_RUN, `second ${filler}`),
  ];
  return { room, runs };
}

/**
 * A group history written in two relay runs (each entry its own update record): the first run's
 * records end up in an .ldb table when the second run opens the folder, the second run's stay in
 * the .log. Returns the full document state a device holds.
 */
async function storeHistory(dir: string, group: Awaited<ReturnType<typeof history>>): Promise<Uint8Array> {
  const { roomId: room, token } = group.room;
  const device = new Y.Doc();
  let total = 0;
  for (const entries of group.runs) {
    const relay = await relayProcess(dir);
    const writer = client(relay.url, room, token, Y.encodeStateAsUpdate(device));
    const witness = client(relay.url, room, token);
    await Promise.all([writer.synced(), witness.synced()]);
    // One update record per entry, as devices write them.
    for (const entry of entries) writer.entries.set(entry.id, entry.bytes);
    total += entries.length;
    await waitFor(() => witness.entries.size === total, 10_000, 'witness to receive every entry');
    Y.applyUpdate(device, Y.encodeStateAsUpdate(writer.doc));
    writer.destroy();
    witness.destroy();
    await stop(relay);
  }
  return Y.encodeStateAsUpdate(device);
}

async function fileEnding(dir: string, suffix: string): Promise<string> {
  for (const name of await readdir(dir)) {
    if (name.endsWith(suffix) && (await stat(join(dir, name))).size > 0) return join(dir, name);
  }
  throw new Error(`no non-empty *${suffix} in ${dir}`);
}

async function flipBytesInTheMiddle(file: string): Promise<void> {
  const bytes = await readFile(file);
  const at = Math.floor(bytes.length / 2);
  for (let i = at; i < at + 64 && i < bytes.length; i++) bytes[i] = bytes[i]! ^ 0xa5;
  await writeFile(file, bytes);
}

async function counter(relay: RelayProcess, name: string): Promise<number> {
  const text = await (await fetch(`${relay.url.replace('ws://', 'http://')}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
}

async function healing(relay: RelayProcess): Promise<number> {
  const body = (await (await fetch(`${relay.url.replace('ws://', 'http://')}/healthz`)).json()) as {
    healing: number;
  };
  return body.healing;
}

/**
 * After damage: the relay starts, logs and counts the damage, serves what it could read; once a
 * device that holds the history connects, a fresh joiner gets all of it and the room is healed.
 */
async function expectHealing(dir: string, room: string, token: string, full: Uint8Array): Promise<void> {
  const relay = await relayProcess(dir);
  const joiner = client(relay.url, room, token);
  await joiner.synced();
  const served = joiner.entries.size;
  expect(served).toBeLessThan(TOTAL);
  joiner.destroy();

  const damage = relay.logs.filter((r) => r.level === 50 && r.room === room);
  expect(damage.length).toBeGreaterThan(0);
  expect(damage[0]!.findings).toEqual(expect.any(Array));
  expect(await counter(relay, 'relay_storage_damage_total')).toBeGreaterThan(0);
  expect(await healing(relay)).toBe(1);

  const holder = client(relay.url, room, token, full);
  await holder.synced();
  const fresh = client(relay.url, room, token);
  await fresh.synced();
  await waitFor(() => fresh.entries.size === TOTAL, 10_000, 'a fresh joiner to get the full history');
  await waitFor(
    () => relay.logs.some((r) => r.msg === 'room healed: clients uploaded what was missing'),
    5000,
  );
  expect(await healing(relay)).toBe(0);
}

describe('relay store integrity (real relay process)', () => {
  it('detects a .log truncated to half, serves what is left, and heals from a device', async () => {
    const dir = await tempDir();
    const group = await history();
    const [room, token] = [group.room.roomId, group.room.token];
    const full = await storeHistory(dir, group);
    const log = await fileEnding(dir, '.log');
    await truncate(log, Math.floor((await stat(log)).size / 2));
    await expectHealing(dir, room, token, full);
  });

  it('detects flipped bytes in the .log (a lost record), and heals from a device', async () => {
    const dir = await tempDir();
    const group = await history();
    const [room, token] = [group.room.roomId, group.room.token];
    const full = await storeHistory(dir, group);
    await flipBytesInTheMiddle(await fileEnding(dir, '.log'));
    await expectHealing(dir, room, token, full);
  });

  it('detects flipped bytes in an .ldb table (unreadable or changed records), logs, counts and serves the rest', async () => {
    const dir = await tempDir();
    const group = await history();
    const [room, token] = [group.room.roomId, group.room.token];
    const full = await storeHistory(dir, group);
    await flipBytesInTheMiddle(await fileEnding(dir, '.ldb'));
    const relay = await relayProcess(dir);
    const joiner = client(relay.url, room, token);
    await joiner.synced();
    expect(joiner.entries.size).toBeGreaterThan(0);
    expect(joiner.entries.size).toBeLessThan(TOTAL);
    expect(relay.logs.some((r) => r.level === 50 && r.room === room)).toBe(true);
    expect(await counter(relay, 'relay_storage_damage_total')).toBeGreaterThan(0);
    // Records LevelDB could not read come back from a device; a value whose bytes changed
    // keeps its Yjs id, so only a client re-adding it restores it (see docs/relay.md).
    const holder = client(relay.url, room, token, full);
    await holder.synced();
    expect(relay.child.exitCode).toBeNull();
  });

  it('refuses a room whose token hash is unreadable with 4503 and tells the operator what to do', async () => {
    const dir = await tempDir();
    const group = await history();
    const [room, token] = [group.room.roomId, group.room.token];
    await storeHistory(dir, group);
    // The stored hash turns into something that is not 32 bytes (as damage would leave it).
    const db = new LeveldbPersistence(dir);
    await db.setMeta(room, 'tokenHash', 'not a hash');
    await db.destroy();

    const relay = await relayProcess(dir);
    const logged = relay.logs.find((r) => r.level === 50 && r.room === room);
    expect(logged?.operator).toMatch(/What an operator does on corruption/);
    const refused = await upgradeResult(relay.url, `/${room}?token=${token}`);
    expect(refused.code).toBe(4503);
    expect(refused.reason).toMatch(/^relay busy; retry-after=\d+; room data damaged$/);
    expect(await counter(relay, 'relay_storage_damage_total')).toBe(1);
  });
});
