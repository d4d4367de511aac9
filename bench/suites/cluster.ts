/**
 * The relay as a cluster: 3 nodes sharing one Redis (docs/relay.md "Scaling"), 3,000 clients in
 * 600 rooms, each room's 5 clients spread over the nodes so every write fans out across nodes
 * through Redis. Side by side, in the same run, one node (LevelDB) with 1,000 clients in 200
 * rooms, as relay.clients1k. Then one node is killed (SIGKILL) and its clients move to the
 * others (as a load balancer would send their reconnects): the failover figure is the time from
 * the kill until every moved client is synced and holds a write made after the kill.
 * Every relay is a `cli.ts` child process, so RSS is per node.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreatedEntry } from '../../shared/ledger/envelope';
import { type EnvelopeRoom, envelopeRoom, smallEntries } from '../../sync-server/attacks/envelopes';
import { startTestRedis } from '../../sync-server/redis-test-server';
import { RelayProcess } from '../../sync-server/sim/relay-process';
import { seeded } from '../fixtures';
import { atMost, type BenchResult, type BenchSuite, percentile, round } from '../harness';
import { connectPlain, type PlainClient, whenSynced, withManyListeners } from './relay-process';

interface Sizes {
  readonly clusterClients: number;
  readonly singleClients: number;
  readonly perRoom: number;
  readonly samples: number;
  readonly warmup: number;
}

const FULL: Sizes = { clusterClients: 3_000, singleClients: 1_000, perRoom: 5, samples: 1_000, warmup: 100 };
const QUICK: Sizes = { clusterClients: 30, singleClients: 10, perRoom: 5, samples: 20, warmup: 4 };
const NODES = 3;
const CONNECT_BATCH = 50;
const SAMPLE_TIMEOUT_MS = 5_000;
const FAILOVER_TIMEOUT_MS = 60_000;

interface Member {
  client: PlainClient;
  node: number;
}

interface RoomState {
  readonly room: EnvelopeRoom;
  readonly writes: readonly CreatedEntry[];
  written: number;
  readonly members: Member[];
}

/** Rooms of clients over one or more relay URLs (member j of room r on node (r + j) mod N). */
class Crowd {
  private readonly rand = seeded(23);

  private constructor(
    readonly rooms: RoomState[],
    private readonly urls: readonly string[],
  ) {}

  static async fill(urls: readonly string[], clients: number, perRoom: number, writesPerRoom: number) {
    const rooms: RoomState[] = [];
    for (let r = 0; r < clients / perRoom; r++) {
      const room = await envelopeRoom(1);
      rooms.push({
        room,
        writes: await smallEntries(room.authors[0]!, writesPerRoom, 'sample'),
        written: 0,
        members: [],
      });
    }
    const crowd = new Crowd(rooms, urls);
    const slots = rooms.flatMap((state, r) =>
      Array.from({ length: perRoom }, (_, j) => ({ state, node: (r + j) % urls.length })),
    );
    for (let i = 0; i < slots.length; i += CONNECT_BATCH) {
      const batch = slots.slice(i, i + CONNECT_BATCH).map(({ state, node }) => {
        const client = connectPlain(urls[node]!, state.room.roomId, state.room.token);
        state.members.push({ client, node });
        return client;
      });
      await Promise.all(batch.map((c) => whenSynced(c.provider)));
    }
    for (const state of rooms) {
      const created = state.room.setup[0]!;
      const first = state.members[0]!.client;
      first.doc.transact(() => first.doc.getMap<Uint8Array>('entries').set(created.id, created.bytes));
    }
    await crowd.until(
      () =>
        rooms.every((s) => s.members.every((m) => m.client.doc.getMap('entries').has(s.room.setup[0]!.id))),
      60_000,
      'rooms set up',
    );
    return crowd;
  }

  /** Milliseconds from one client's write until every other client of its room has it. */
  async sample(index: number): Promise<number> {
    const state = this.rooms[index % this.rooms.length]!;
    const writer = state.members[Math.floor(this.rand() * state.members.length)]!.client;
    const entry = this.nextWrite(state);
    const t0 = performance.now();
    writer.doc.transact(() => writer.doc.getMap<Uint8Array>('entries').set(entry.id, entry.bytes));
    await this.until(
      () => state.members.every((m) => m.client.doc.getMap('entries').has(entry.id)),
      SAMPLE_TIMEOUT_MS,
      `write ${index}`,
      0,
    );
    return performance.now() - t0;
  }

  /**
   * Node `dead` was killed: its clients reconnect to the other nodes with the documents they
   * hold, and a live member of each affected room writes once. Resolves when all moved clients
   * are synced and hold that write.
   */
  async failover(dead: number): Promise<void> {
    const probes: Array<{ state: RoomState; id: string }> = [];
    const moved: PlainClient[] = [];
    let k = 0;
    for (const state of this.rooms) {
      const live = state.members.find((m) => m.node !== dead);
      if (live === undefined || !state.members.some((m) => m.node === dead)) continue;
      for (const member of state.members) {
        if (member.node !== dead) continue;
        member.client.provider.destroy();
        member.node = (dead + 1 + (k++ % (this.urls.length - 1))) % this.urls.length;
        member.client = connectPlain(
          this.urls[member.node]!,
          state.room.roomId,
          state.room.token,
          member.client.doc,
        );
        moved.push(member.client);
      }
      const entry = this.nextWrite(state);
      live.client.doc.transact(() =>
        live.client.doc.getMap<Uint8Array>('entries').set(entry.id, entry.bytes),
      );
      probes.push({ state, id: entry.id });
    }
    await Promise.all(moved.map((c) => whenSynced(c.provider, FAILOVER_TIMEOUT_MS)));
    await this.until(
      () =>
        probes.every(({ state, id }) => state.members.every((m) => m.client.doc.getMap('entries').has(id))),
      FAILOVER_TIMEOUT_MS,
      'failover convergence',
    );
  }

  destroy(): void {
    for (const state of this.rooms) for (const m of state.members) m.client.destroy();
  }

  private nextWrite(state: RoomState): CreatedEntry {
    const entry = state.writes[state.written++];
    if (entry === undefined) throw new Error('a room ran out of planned entries');
    return entry;
  }

  private async until(check: () => boolean, timeoutMs: number, what: string, pollMs = 10): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!check()) {
      if (performance.now() > deadline) throw new Error(`cluster bench: timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}

/** Resident set size of a process from /proc, in MB (Linux). */
async function rssMb(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return round(kb / 1024, 1);
}

/** Every client comes from 127.0.0.1: lift per-address limits above the crowd (per-connection ones stay). */
function crowdEnv(clients: number): Record<string, string> {
  return {
    LIMIT_MAX_CONNECTIONS_PER_IP: String(clients + 100),
    LIMIT_MAX_TCP_CONNECTIONS_PER_IP: String(clients + 100),
    LIMIT_MESSAGES_PER_SECOND_PER_IP: String(100 * clients),
    LIMIT_ROOM_BURST_PER_IP: String(clients),
    LIMIT_ROOM_BURST_PER_PREFIX: String(clients),
  };
}

async function run(sizes: Sizes): Promise<BenchResult[]> {
  const writesPerRoom = Math.ceil((sizes.warmup + sizes.samples) / (sizes.singleClients / sizes.perRoom)) + 2;
  const redis = await startTestRedis();
  const dataDir = await mkdtemp(join(tmpdir(), 'tally-bench-single-'));
  const nodes: RelayProcess[] = [];
  const crowds: Crowd[] = [];
  try {
    const env = { ...crowdEnv(sizes.clusterClients), REDIS_URL: redis.url };
    for (let i = 0; i < NODES; i++) nodes.push(await RelayProcess.start({ dataDir: ':memory:', env }));
    const single = await RelayProcess.start({ dataDir, env: crowdEnv(sizes.singleClients) });
    nodes.push(single);
    const one = await Crowd.fill([single.url], sizes.singleClients, sizes.perRoom, writesPerRoom);
    crowds.push(one);
    const many = await Crowd.fill(
      nodes.slice(0, NODES).map((n) => n.url),
      sizes.clusterClients,
      sizes.perRoom,
      writesPerRoom,
    );
    crowds.push(many);
    const times = { one: [] as number[], many: [] as number[] };
    for (let i = 0; i < sizes.warmup; i++) {
      await one.sample(i);
      await many.sample(i);
    }
    // Alternate between the two in blocks, so load from elsewhere on the machine hits both alike.
    const block = Math.max(1, Math.floor(sizes.samples / 10));
    for (let start = 0; start < sizes.samples; start += block) {
      const end = Math.min(sizes.samples, start + block);
      for (let i = start; i < end; i++) times.one.push(await one.sample(sizes.warmup + i));
      for (let i = start; i < end; i++) times.many.push(await many.sample(sizes.warmup + i));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rss = await Promise.all(nodes.slice(0, NODES).map((n) => rssMb(n.pid)));
    const maxRss = Math.max(...rss);

    const killedAt = performance.now();
    await nodes[0]!.kill();
    await many.failover(0);
    const failoverMs = round(performance.now() - killedAt, 0);

    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const p99 = (xs: number[]) => round(percentile(sorted(xs), 99), 2);
    const perNode = sizes.clusterClients / NODES;
    return [
      {
        name: 'relay.cluster3.clients3k.p99.ms',
        value: p99(times.many),
        unit: 'ms',
        baseline: { name: 'relay.cluster3.single.clients1k.p99.ms', value: p99(times.one), unit: 'ms' },
        ...atMost(p99(times.many), round(2 * p99(times.one), 2)),
        note: `${sizes.clusterClients} clients in ${sizes.clusterClients / sizes.perRoom} rooms over ${NODES} nodes + Redis (cross-node fan-out) vs ${sizes.singleClients} on one LevelDB node; target 2x`,
      },
      {
        name: 'relay.cluster3.failover.ms',
        value: failoverMs,
        unit: 'ms',
        ...atMost(failoverMs, 5_000),
        note: `SIGKILL of one node until its ${Math.round(perNode)} clients, moved to the others, are synced with a write made after the kill`,
      },
      {
        name: 'relay.cluster3.rss.mb',
        value: maxRss,
        unit: 'MB',
        ...atMost(maxRss, 200),
        note: `largest node RSS with ${Math.round(perNode)} clients each (nodes: ${rss.join(', ')} MB)`,
      },
    ];
  } finally {
    for (const crowd of crowds) crowd.destroy();
    await Promise.all(nodes.map((n) => n.stop().catch(() => {})));
    await redis.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export const clusterSuite: BenchSuite = {
  name: 'cluster',
  run({ quick }) {
    const sizes = quick ? QUICK : FULL;
    return withManyListeners(2 * (sizes.clusterClients + sizes.singleClients), () => run(sizes));
  },
};
