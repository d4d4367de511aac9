/**
 * The relay under a realistic crowd: 1,000 y-websocket clients in 200 rooms (5 per room).
 * One client writes a small update; the figure is the time until every other client in its
 * room has it. Ours (real tokens, limits, LevelDB in a temp folder) runs side by side with the
 * stock @y/websocket-server; each relay is alone in a child process so its RSS is its own,
 * and the clients of both live in this process. Samples alternate between the two relays in
 * blocks, so load from elsewhere on the machine hits both alike.
 */
import { deriveRelayToken, generateGroupId, generateGroupKey } from '../../shared/crypto/group-key';
import { seeded } from '../fixtures';
import { atMost, type BenchResult, type BenchSuite, percentile, round } from '../harness';
import {
  connectPlain,
  type PlainClient,
  type RelayChild,
  startRelayChild,
  whenSynced,
  withManyListeners,
} from './relay-process';

interface Sizes {
  readonly clients: number;
  readonly perRoom: number;
  readonly samples: number;
  readonly warmup: number;
  readonly block: number;
}

const FULL: Sizes = { clients: 1_000, perRoom: 5, samples: 2_000, warmup: 200, block: 100 };
const QUICK: Sizes = { clients: 20, perRoom: 5, samples: 40, warmup: 8, block: 10 };
/** Connections opened at once while filling the relay. */
const CONNECT_BATCH = 50;
const SAMPLE_TIMEOUT_MS = 5_000;
const MB = 1024 * 1024;

interface Waiting {
  readonly room: number;
  readonly value: number;
  remaining: number;
  readonly done: () => void;
}

/** One relay and its rooms of clients, able to time one write's fan-out. */
class Crowd {
  private waiting: Waiting | null = null;
  private readonly rand = seeded(17);

  private constructor(
    readonly relay: RelayChild,
    private readonly rooms: PlainClient[][],
  ) {}

  static async fill(relay: RelayChild, sizes: Sizes): Promise<Crowd> {
    const roomCount = sizes.clients / sizes.perRoom;
    const specs = Array.from({ length: roomCount }, () => ({
      id: generateGroupId(),
      token: deriveRelayToken(generateGroupKey()),
    }));
    const rooms: PlainClient[][] = specs.map(() => []);
    const crowd = new Crowd(relay, rooms);
    const slots = specs.flatMap((_, r) => Array.from({ length: sizes.perRoom }, () => r));
    try {
      for (let i = 0; i < slots.length; i += CONNECT_BATCH) {
        const batch = slots.slice(i, i + CONNECT_BATCH).map((r) => {
          const spec = specs[r] as { id: string; token: string };
          const client = connectPlain(relay.url, spec.id, spec.token);
          (rooms[r] as PlainClient[]).push(client);
          crowd.observe(client, r);
          return client;
        });
        await Promise.all(batch.map((c) => whenSynced(c.provider)));
      }
    } catch (error) {
      crowd.destroyClients();
      throw error;
    }
    return crowd;
  }

  private observe(client: PlainClient, room: number): void {
    const map = client.doc.getMap<number>('m');
    map.observe((event) => {
      const w = this.waiting;
      if (event.transaction.local || w === null || w.room !== room || map.get('v') !== w.value) return;
      w.remaining -= 1;
      if (w.remaining === 0) w.done();
    });
  }

  /** Milliseconds from one client's write until the other clients of its room all have it. */
  async sample(index: number): Promise<number> {
    const room = index % this.rooms.length;
    const members = this.rooms[room] as PlainClient[];
    const writer = members[Math.floor(this.rand() * members.length)] as PlainClient;
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<void>((resolve, reject) => {
      this.waiting = { room, value: index, remaining: members.length - 1, done: resolve };
      timer = setTimeout(() => reject(new Error(`write ${index} did not reach its room`)), SAMPLE_TIMEOUT_MS);
    });
    const t0 = performance.now();
    writer.doc.transact(() => writer.doc.getMap<number>('m').set('v', index));
    try {
      await arrived;
    } finally {
      clearTimeout(timer);
      this.waiting = null;
    }
    return performance.now() - t0;
  }

  destroyClients(): void {
    for (const room of this.rooms) for (const client of room) client.destroy();
  }
}

async function runFanout(sizes: Sizes): Promise<BenchResult[]> {
  const started: RelayChild[] = [];
  const crowds: Crowd[] = [];
  try {
    const launched = await Promise.allSettled([
      startRelayChild('bare'),
      startRelayChild('ours', {
        persist: true,
        // Every client connects from 127.0.0.1: lift the per-address cap above the crowd.
        limits: { maxConnectionsPerIp: sizes.clients + 100 },
      }),
    ]);
    for (const l of launched) if (l.status === 'fulfilled') started.push(l.value);
    for (const l of launched) if (l.status === 'rejected') throw l.reason;
    const [bareRelay, oursRelay] = started as [RelayChild, RelayChild];
    const bare = await Crowd.fill(bareRelay, sizes);
    crowds.push(bare);
    const ours = await Crowd.fill(oursRelay, sizes);
    crowds.push(ours);

    const times = { bare: [] as number[], ours: [] as number[] };
    for (let i = 0; i < sizes.warmup; i++) {
      await bare.sample(i);
      await ours.sample(i);
    }
    for (let start = 0; start < sizes.samples; start += sizes.block) {
      const end = Math.min(sizes.samples, start + sizes.block);
      for (const [crowd, out] of [
        [bare, times.bare],
        [ours, times.ours],
      ] as const) {
        for (let i = start; i < end; i++) out.push(await crowd.sample(sizes.warmup + i));
      }
    }
    // Let in-flight writes (LevelDB, awareness) settle before reading memory with everyone connected.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const bareRss = round((await bareRelay.rss()) / MB, 1);
    const oursRss = round((await oursRelay.rss()) / MB, 1);

    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const b = sorted(times.bare);
    const o = sorted(times.ours);
    const p = (xs: number[], q: number) => round(percentile(xs, q), 2);
    const note = `${sizes.clients} clients in ${sizes.clients / sizes.perRoom} rooms, ${sizes.samples} writes`;
    return [
      {
        name: 'relay.clients1k.p99.ms',
        value: p(o, 99),
        unit: 'ms',
        baseline: { name: 'relay.clients1k.plain.p99.ms', value: p(b, 99), unit: 'ms' },
        ...atMost(p(o, 99), round(2 * p(b, 99), 2)),
        note: `${note}; target 2x bare`,
      },
      {
        name: 'relay.clients1k.p50.ms',
        value: p(o, 50),
        unit: 'ms',
        baseline: { name: 'relay.clients1k.plain.p50.ms', value: p(b, 50), unit: 'ms' },
        note,
      },
      {
        name: 'relay.clients1k.rss.mb',
        value: oursRss,
        unit: 'MB',
        baseline: { name: 'relay.clients1k.plain.rss.mb', value: bareRss, unit: 'MB' },
        ...atMost(oursRss, 200),
        note: `relay process RSS with ${sizes.clients} clients connected; ours persists to LevelDB`,
      },
    ];
  } finally {
    for (const crowd of crowds) crowd.destroyClients();
    await Promise.all(started.map((r) => r.close()));
  }
}

export const relaySuite: BenchSuite = {
  name: 'relay',
  run({ quick }) {
    const sizes = quick ? QUICK : FULL;
    return withManyListeners(2 * sizes.clients, () => runFanout(sizes));
  },
};
