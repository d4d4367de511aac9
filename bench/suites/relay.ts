/**
 * The relay under a realistic crowd: 1,000 y-websocket clients in 200 rooms (5 per room).
 * One client writes a small update; the figure is the time until every other client in its
 * room has it. Each write is a pre-signed, valid entry envelope in the 'entries' map (the relay
 * deletes anything else there), written the same way to both relays. Ours (real tokens, limits,
 * LevelDB in a temp folder) runs side by side with the
 * stock @y/websocket-server; each relay is alone in a child process so its RSS is its own,
 * and the clients of both live in this process. Samples alternate between the two relays in
 * blocks, so load from elsewhere on the machine hits both alike.
 */
import type { CreatedEntry } from '../../shared/ledger/envelope';
import { type EnvelopeRoom, envelopeRoom, smallEntries } from '../../sync-server/attacks/envelopes';
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

/** Per room: its group, and the entries its samples write, in order (one author's chain). */
interface RoomPlan {
  readonly room: EnvelopeRoom;
  readonly writes: readonly CreatedEntry[];
}

/** Signs every room's envelopes once; both relays get the same rooms and the same writes. */
async function planRooms(sizes: Sizes): Promise<RoomPlan[]> {
  const roomCount = sizes.clients / sizes.perRoom;
  const perRoom = Math.ceil((sizes.warmup + sizes.samples) / roomCount);
  const plans: RoomPlan[] = [];
  for (let r = 0; r < roomCount; r++) {
    const room = await envelopeRoom(1);
    plans.push({ room, writes: await smallEntries(room.authors[0]!, perRoom, 'sample') });
  }
  return plans;
}

interface Waiting {
  readonly room: number;
  readonly id: string;
  remaining: number;
  readonly done: () => void;
}

/** One relay and its rooms of clients, able to time one write's fan-out. */
class Crowd {
  private waiting: Waiting | null = null;
  private readonly rand = seeded(17);

  /** Writes made so far per room (the next one is that room's next planned entry). */
  private readonly written: number[];

  private constructor(
    readonly relay: RelayChild,
    private readonly rooms: PlainClient[][],
    private readonly plans: readonly RoomPlan[],
  ) {
    this.written = plans.map(() => 0);
  }

  static async fill(relay: RelayChild, sizes: Sizes, plans: readonly RoomPlan[]): Promise<Crowd> {
    const rooms: PlainClient[][] = plans.map(() => []);
    const crowd = new Crowd(relay, rooms, plans);
    const slots = plans.flatMap((_, r) => Array.from({ length: sizes.perRoom }, () => r));
    try {
      for (let i = 0; i < slots.length; i += CONNECT_BATCH) {
        const batch = slots.slice(i, i + CONNECT_BATCH).map((r) => {
          const { room } = plans[r] as RoomPlan;
          const client = connectPlain(relay.url, room.roomId, room.token);
          (rooms[r] as PlainClient[]).push(client);
          crowd.observe(client, r);
          return client;
        });
        await Promise.all(batch.map((c) => whenSynced(c.provider)));
      }
      // Each group starts as the app starts one: its creation entry first (not timed).
      for (const [r, members] of rooms.entries()) {
        const created = (plans[r] as RoomPlan).room.setup[0] as CreatedEntry;
        const first = members[0] as PlainClient;
        first.doc.transact(() => first.doc.getMap<Uint8Array>('entries').set(created.id, created.bytes));
      }
      const deadline = Date.now() + 60_000;
      const allHaveCreated = () =>
        rooms.every((members, r) => {
          const id = ((plans[r] as RoomPlan).room.setup[0] as CreatedEntry).id;
          return members.every((c) => c.doc.getMap('entries').has(id));
        });
      while (!allHaveCreated()) {
        if (Date.now() > deadline) throw new Error('the rooms were not set up within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } catch (error) {
      crowd.destroyClients();
      throw error;
    }
    return crowd;
  }

  private observe(client: PlainClient, room: number): void {
    const map = client.doc.getMap<Uint8Array>('entries');
    map.observe((event) => {
      const w = this.waiting;
      if (event.transaction.local || w === null || w.room !== room || !event.keysChanged.has(w.id)) return;
      if (!map.has(w.id)) return;
      w.remaining -= 1;
      if (w.remaining === 0) w.done();
    });
  }

  /** Milliseconds from one client's write until the other clients of its room all have it. */
  async sample(index: number): Promise<number> {
    const room = index % this.rooms.length;
    const members = this.rooms[room] as PlainClient[];
    const writer = members[Math.floor(this.rand() * members.length)] as PlainClient;
    const plan = this.plans[room] as RoomPlan;
    const entry = plan.writes[this.written[room]!];
    if (!entry) throw new Error(`room ${room} ran out of planned entries`);
    this.written[room]! += 1;
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<void>((resolve, reject) => {
      this.waiting = { room, id: entry.id, remaining: members.length - 1, done: resolve };
      timer = setTimeout(() => reject(new Error(`write ${index} did not reach its room`)), SAMPLE_TIMEOUT_MS);
    });
    const t0 = performance.now();
    writer.doc.transact(() => writer.doc.getMap<Uint8Array>('entries').set(entry.id, entry.bytes));
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
        // Every client connects from 127.0.0.1, so the per-address limits (meant for one
        // household or one attacker) are lifted above the crowd; per-connection limits stay.
        limits: {
          maxConnectionsPerIp: sizes.clients + 100,
          maxTcpConnectionsPerIp: sizes.clients + 100,
          messagesPerSecondPerIp: 100 * sizes.clients,
          roomBurstPerIp: sizes.clients,
          roomBurstPerPrefix: sizes.clients,
        },
      }),
    ]);
    for (const l of launched) if (l.status === 'fulfilled') started.push(l.value);
    for (const l of launched) if (l.status === 'rejected') throw l.reason;
    const [bareRelay, oursRelay] = started as [RelayChild, RelayChild];
    const plans = await planRooms(sizes);
    const bare = await Crowd.fill(bareRelay, sizes, plans);
    crowds.push(bare);
    const ours = await Crowd.fill(oursRelay, sizes, plans);
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
