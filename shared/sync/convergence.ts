/**
 * A seeded convergence run, in the spirit of Yjs's own randomized tests: replicas of one
 * group write random entries while the network shuffles, duplicates and cuts off their
 * updates and replicas restart from their stores; at the end everyone reconnects and every
 * replica must hold the same entries and fold the same state. The seed replays the run's
 * choices (identities, keys, actions, delivery order).
 */
import { importSecretKey } from '../crypto/identity';
import { bytesToHex } from '../crypto/hash';
import { stateHash } from '../ledger/state-hash';
import { MemoryNetwork } from './memory-network';
import { randomOp } from './random-ops';
import { type SeededRandom, seededRandom } from './seeded-random';
import { type GroupSecrets, openReplica, type Replica, settle } from './sync-testkit';

export interface ConvergenceOptions {
  readonly seed: number;
  /** Default 5. */
  readonly replicas?: number;
  /** Random steps after the group is set up. Default 30. */
  readonly ops?: number;
}

export interface ConvergenceResult {
  readonly seed: number;
  readonly converged: boolean;
  /** Why not, when not converged. */
  readonly reason?: string;
  readonly entries: number;
  readonly stateHash: string;
}

const NAMES = ['Ann', 'Bo', 'Chen', 'Dana', 'Eli', 'Fay', 'Gus', 'Hana'];

function randomBytes(rng: SeededRandom, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => rng.int(0, 255));
}

export async function runConvergence(options: ConvergenceOptions): Promise<ConvergenceResult> {
  const rng = seededRandom(options.seed);
  const count = options.replicas ?? 5;
  const steps = options.ops ?? 30;
  const network = new MemoryNetwork({ random: rng.next, duplicateRate: 0.2 });
  const secrets: GroupSecrets = { groupId: bytesToHex(randomBytes(rng, 16)), groupKey: randomBytes(rng, 32) };
  let clock = 1_700_000_000_000;
  const now = () => ++clock;

  const replicas: Replica[] = [];
  for (let i = 0; i < count; i++) {
    const identity = importSecretKey(randomBytes(rng, 32));
    replicas.push(await openReplica(secrets, NAMES[i % NAMES.length]!, { identity, now }));
  }
  const online = replicas.map(() => true);
  try {
    for (const r of replicas) r.sync.connect(network.transport);
    const [owner, ...others] = replicas as [Replica, ...Replica[]];
    await owner.sync.append({ type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: owner.name });
    await settle(network, replicas);
    // Members join as soon as they have seen the group, while updates already fly around.
    for (const r of others) {
      await r.sync.append({ type: 'member.joined', name: r.name });
      if (rng.chance(0.5)) network.deliverOne();
    }
    await settle(network, replicas);

    for (let step = 0; step < steps; step++) {
      const i = rng.int(0, count - 1);
      const r = replicas[i]!;
      const roll = rng.next();
      if (roll < 0.55) {
        await r.sync.whenIdle();
        await r.sync.append(randomOp(rng, r.sync.state, r.sync.memberId));
      } else if (roll < 0.75) {
        for (let n = rng.int(1, 6); n > 0 && network.deliverOne(); n--) {
          // deliver a few, in random order
        }
      } else if (roll < 0.88) {
        if (online[i]) r.sync.disconnect();
        else r.sync.connect(network.transport);
        online[i] = !online[i];
      } else if (roll < 0.93) {
        // Restart from the store: the reopened replica must carry on where it stopped.
        await r.sync.close();
        r.sync = (await openReplica(secrets, r.name, { identity: r.identity, store: r.store, now })).sync;
        if (online[i]) r.sync.connect(network.transport);
      } else {
        await r.sync.whenIdle();
      }
    }

    for (let i = 0; i < count; i++) if (!online[i]) replicas[i]!.sync.connect(network.transport);
    await settle(network, replicas);
    return await compare(options.seed, replicas);
  } finally {
    await Promise.all(replicas.map((r) => r.sync.close()));
  }
}

async function compare(seed: number, replicas: readonly Replica[]): Promise<ConvergenceResult> {
  const first = replicas[0]!;
  const hash = stateHash(first.sync.state);
  const ids = first.sync
    .entries()
    .map((e) => e.id)
    .sort()
    .join();
  const entries = first.sync.entries().length;
  const fail = (reason: string): ConvergenceResult => ({ seed, converged: false, reason, entries, stateHash: hash });
  for (const r of replicas) {
    if (stateHash(r.sync.state) !== hash) return fail(`${r.name} folded a different state`);
    const own = r.sync
      .entries()
      .map((e) => e.id)
      .sort()
      .join();
    if (own !== ids) return fail(`${r.name} holds a different set of entries`);
    const stored = (await r.store.listEntries(r.sync.groupId))
      .map((e) => e.id)
      .sort()
      .join();
    if (stored !== ids) return fail(`${r.name}'s store does not match its log`);
    if (r.sync.snapshot.pending !== 0) return fail(`${r.name} still has ${r.sync.snapshot.pending} pending entries`);
    if (r.sync.snapshot.rejected !== 0) return fail(`${r.name} refused ${r.sync.snapshot.rejected} entries`);
  }
  if (first.sync.state.members.length !== replicas.length) return fail('not every replica became a member');
  return { seed, converged: true, entries, stateHash: hash };
}
