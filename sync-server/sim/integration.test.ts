/**
 * End to end on loopback: headless clients (the app's sync code) through a real relay child
 * process with a temporary data folder. Offline edits, relay restarts and SIGKILL, late
 * joiners, and a hostile peer flooding the room must all end with every client holding the
 * same entries, state and balances.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { deriveRelayToken } from '../../shared/crypto/group-key';
import type { GroupState } from '../../shared/ledger/types';
import { computeBalances } from '../../shared/settle';
import { DexieStore } from '../../shared/sync/dexie-store';
import { ENTRIES_MAP } from '../../shared/sync/group-sync';
import { WorkerPreparer } from '../worker-preparer';
import { HeadlessClient, type Invite } from './headless-client';
import { RelayProcess } from './relay-process';
import { simulate, waitForConvergence } from './simulate';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tally-it-'));
  dirs.push(dir);
  return dir;
}

let clients: HeadlessClient[] = [];
async function client(
  name: string,
  options: { dexie?: boolean; preparer?: WorkerPreparer } = {},
): Promise<HeadlessClient> {
  const store = options.dexie
    ? await new DexieStore({ name, indexedDB: new IDBFactory(), IDBKeyRange }).open()
    : undefined;
  const c = await HeadlessClient.create({
    name,
    maxBackoffTime: 200,
    ...(store ? { store } : {}),
    ...(options.preparer ? { preparer: options.preparer } : {}),
  });
  clients.push(c);
  return c;
}

function balancesOf(state: GroupState): string {
  return JSON.stringify([...computeBalances(state)].map(([currency, members]) => [currency, [...members]]));
}

async function expectConverged(group: readonly HeadlessClient[], timeoutMs = 30_000): Promise<void> {
  expect(await waitForConvergence(group, timeoutMs)).toBe(true);
  const [first, ...rest] = group as [HeadlessClient, ...HeadlessClient[]];
  for (const c of rest) {
    expect(c.stateHash()).toBe(first.stateHash());
    expect(c.snapshot.entries).toBe(first.snapshot.entries);
    expect(balancesOf(c.state())).toBe(balancesOf(first.state()));
  }
}

async function groupOf(
  relayUrl: string,
  names: readonly string[],
): Promise<{ invite: Invite; group: HeadlessClient[] }> {
  const group: HeadlessClient[] = [];
  for (const [i, name] of names.entries()) group.push(await client(name, { dexie: i === 1 }));
  const [owner, ...others] = group as [HeadlessClient, ...HeadlessClient[]];
  const invite = await owner.createGroup(relayUrl, 'Flat 3B');
  await owner.whenSynced();
  for (const c of others) await c.join(invite);
  await expectConverged(group);
  return { invite, group };
}

afterEach(async () => {
  await Promise.all(clients.map((c) => c.close()));
  clients = [];
});

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('through one relay', () => {
  let relay: RelayProcess;
  beforeAll(async () => {
    relay = await RelayProcess.start({ dataDir: await tempDir() });
  });
  afterAll(async () => {
    await relay.stop();
  });

  it('two clients edit offline, reconnect, and agree on state, conflicts and balances', async () => {
    const { group } = await groupOf(relay.url, ['Ann', 'Bo']);
    const [ann, bo] = group as [HeadlessClient, HeadlessClient];
    const rent = await ann.addExpense({ description: 'Electricity', amount: 30_000 });
    await expectConverged(group);

    ann.goOffline();
    bo.goOffline();
    await ann.addExpense({ description: 'Groceries', amount: 18_240 });
    await ann.editExpense(rent.id, { description: 'Electricity', amount: 31_000 });
    await bo.editExpense(rent.id, { description: 'Electricity (corrected)', amount: 29_500 });
    await bo.recordPayment(ann.memberId, 5_000);
    expect(ann.stateHash()).not.toBe(bo.stateHash());

    ann.goOnline();
    bo.goOnline();
    await expectConverged(group);
    const state = ann.state();
    expect(state.expenses).toHaveLength(2);
    expect(state.payments).toHaveLength(1);
    expect(state.conflicts).toHaveLength(1);
    expect(state.conflicts[0]?.kind).toBe('update-update');
    // Balances sum to zero and are not trivial.
    const cny = computeBalances(state).get('CNY')!;
    expect([...cny.values()].reduce((a, b) => a + b, 0)).toBe(0);
    expect([...cny.values()].some((v) => v !== 0)).toBe(true);
  });

  it('five clients each write offline and converge', async () => {
    const { group } = await groupOf(relay.url, ['Ann', 'Bo', 'Chen', 'Dana', 'Eli']);
    for (const c of group) c.goOffline();
    for (const [i, c] of group.entries()) {
      await c.addExpense({ description: `Offline ${c.name}`, amount: 1_000 * (i + 1) });
      await c.chat(`${c.name} was offline`);
    }
    for (const c of group) c.goOnline();
    await expectConverged(group);
    expect(group[0]!.state().expenses).toHaveLength(5);
    expect(group[0]!.state().chat).toHaveLength(5);
  });

  it('a client joining late gets the whole history from the relay while the others are offline', async () => {
    const { invite, group } = await groupOf(relay.url, ['Ann', 'Bo']);
    const [ann, bo] = group as [HeadlessClient, HeadlessClient];
    await ann.addExpense({ amount: 12_000 });
    await bo.chat('see you');
    await expectConverged(group);
    const history = ann.snapshot.entries;
    await ann.closeGroup();
    await bo.closeGroup();

    // The late client checks the history on worker threads, as a Node client may.
    const pool = new WorkerPreparer({ minBatch: 1 });
    try {
      await pool.whenReady();
      const late = await client('Late', { preparer: pool });
      await late.join(invite);
      await late.whenSynced();
      expect(pool.batchesPrepared).toBeGreaterThan(0);
      expect(late.snapshot.entries).toBe(history + 1);
      expect(late.snapshot.rejected).toBe(0);
    } finally {
      await pool.close();
    }
    const late = clients.at(-1)!;
    expect(
      late
        .state()
        .members.map((m) => m.name)
        .sort(),
    ).toEqual(['Ann', 'Bo', 'Late']);
    expect(late.state().chat.map((c) => c.text)).toEqual(['see you']);
  });

  it('the simulation driver converges with partitions (what `npm run sim` runs)', async () => {
    const lines: string[] = [];
    const report = await simulate({
      relayUrl: relay.url,
      clients: 3,
      ops: 120,
      seed: 42,
      partitions: true,
      log: (line) => lines.push(line),
    });
    expect(report.converged).toBe(true);
    expect(report.offlineOps).toBeGreaterThan(0);
    expect(new Set(report.clients.map((c) => c.stateHash)).size).toBe(1);
    expect(report.clients.map((c) => c.entries)).toEqual([123, 123, 123]);
    expect(lines[0]).toMatch(/^setup: 3 clients/);
  });

  it('a client holding the wrong key is refused by the relay, says why, and learns nothing', async () => {
    const { invite } = await groupOf(relay.url, ['Ann']);
    const impostor = await client('Impostor');
    await impostor.reopen({ ...invite, groupKey: new Uint8Array(32).fill(1) });
    const deadline = Date.now() + 3_000;
    while (impostor.snapshot.lastError === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(impostor.snapshot.lastError).toMatch(/relay/);
    expect(impostor.snapshot.status).not.toBe('synced');
    expect(impostor.snapshot.entries).toBe(0);
  });

  it('a peer flooding the room with garbage does not stop honest clients from converging', async () => {
    const { invite, group } = await groupOf(relay.url, ['Ann', 'Bo']);
    const [ann, bo] = group as [HeadlessClient, HeadlessClient];
    const token = deriveRelayToken(invite.groupKey);

    // Raw garbage frames on the same room (the relay drops such connections).
    const raw = new WebSocket(`${relay.url}/${invite.groupId}?token=${token}`);
    raw.on('error', () => {});
    await new Promise<void>((resolve) => raw.once('open', () => resolve()));
    for (let i = 0; i < 50; i++) raw.send(Uint8Array.from({ length: 64 }, (_, j) => (i * 7 + j) % 256));

    // A well-formed Yjs peer writing junk into the entries map, as fast as it can (under keys
    // shaped like entry ids: other keys get the whole update refused).
    const junk = new Y.Doc();
    const provider = new WebsocketProvider(relay.url, invite.groupId, junk, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token },
      disableBc: true,
    });
    const map = junk.getMap(ENTRIES_MAP);
    for (let i = 0; i < 150; i++) {
      junk.transact(() =>
        map.set(
          `${i}`.padStart(64, 'e'),
          Uint8Array.from({ length: 40 }, (_, j) => (i + j) % 256),
        ),
      );
    }
    for (let i = 0; i < 10; i++) await Promise.all([ann.chat(`ann ${i}`), bo.chat(`bo ${i}`)]);

    await expectConverged(group);
    expect(ann.state().chat).toHaveLength(20);
    // The relay removed the junk in the transaction that brought it: no honest client ever saw it.
    expect(ann.snapshot.rejected).toBe(0);
    expect(bo.snapshot.rejected).toBe(0);
    // And the junk writer saw it removed too (it holds only the honest entries now).
    const junkLeft = () => [...map.keys()].filter((key) => /^e+\d+$/.test(key)).length;
    for (let waited = 0; junkLeft() > 0 && waited < 5_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(junkLeft()).toBe(0);
    expect(map.size).toBe(ann.snapshot.entries);
    provider.destroy();
    junk.destroy();
    raw.terminate();
  });
});

describe('when the relay goes away', () => {
  it('clients keep writing through a graceful restart and converge afterwards', async () => {
    const relay = await RelayProcess.start({ dataDir: await tempDir() });
    try {
      const { group } = await groupOf(relay.url, ['Ann', 'Bo', 'Chen']);
      await group[0]!.addExpense({ amount: 9_000 });
      await expectConverged(group);
      await relay.stop();
      for (const c of group) await c.chat(`${c.name} during the outage`);
      await relay.restart();
      await expectConverged(group);
      expect(group[0]!.state().chat).toHaveLength(3);
    } finally {
      await relay.stop();
    }
  });

  it('survives kill -9 mid-stream: clients converge after restart and the relay kept what it had relayed', async () => {
    const relay = await RelayProcess.start({ dataDir: await tempDir() });
    try {
      const { invite, group } = await groupOf(relay.url, ['Ann', 'Bo', 'Chen']);
      const [ann] = group as [HeadlessClient];
      for (let i = 0; i < 5; i++) await ann.chat(`before ${i}`);
      await expectConverged(group);
      const relayed = ann.snapshot.entries;

      // Kill while writes are in flight, keep writing while it is down.
      const writes = group.map((c) => c.chat(`${c.name} in flight`));
      await relay.kill();
      await Promise.all(writes);
      for (const c of group) await c.addExpense({ description: `${c.name} while down`, amount: 700 });
      await relay.restart();
      await expectConverged(group);
      expect(ann.state().expenses).toHaveLength(3);

      // What the relay had relayed before the kill is on its disk: a newcomer gets it with nobody else online.
      for (const c of group) await c.closeGroup();
      await relay.kill();
      await relay.restart();
      const late = await client('Late');
      await late.join(invite);
      expect(late.snapshot.entries).toBeGreaterThanOrEqual(relayed + 1);
      expect(late.state().chat.filter((m) => m.text.startsWith('before'))).toHaveLength(5);
    } finally {
      await relay.stop();
    }
  });
});
