/**
 * A seeded convergence run, in the spirit of Yjs's own randomized tests: replicas of one
 * group write random entries while the network shuffles, duplicates and cuts off their
 * updates and replicas restart from their stores; at the end everyone reconnects and every
 * replica must hold the same entries and fold the same state. The seed replays the run's
 * choices (identities, keys, actions, delivery order).
 */
import { signDeviceCertificate } from '../crypto/device-cert';
import { type Identity, importSecretKey } from '../crypto/identity';
import { bytesToHex } from '../crypto/hash';
import { stateHash } from '../ledger/state-hash';
import type { GroupState } from '../ledger/types';
import * as Y from 'yjs';
import { ENTRIES_MAP, type GroupSync } from './group-sync';
import { MemoryNetwork } from './memory-network';
import { randomOp } from './random-ops';
import { LAMPORT_LEAD_BOUND } from '../ledger/lamport-rule';
import { Rogue, type RogueTally } from './rogue';
import { MemoryStore } from './memory-store';
import { type SeededRandom, seededRandom } from './seeded-random';
import { type GroupSecrets, openReplica, type Replica, settle } from './sync-testkit';

export interface ConvergenceOptions {
  readonly seed: number;
  /** Default 5. */
  readonly replicas?: number;
  /** Random steps after the group is set up. Default 30. */
  readonly ops?: number;
  /**
   * Adds a rogue member (issue 10): she joins honestly on two devices with one identity, then
   * about a quarter of the steps are hers: junk values, poisoned lamport clocks, forks, floods,
   * deletions and replays. Only the honest replicas are compared; each must also write once
   * more at the end.
   */
  readonly rogue?: boolean;
  /**
   * Adds a second device of one member (protocol §16): its own key, certified by the member,
   * writing as the member among the others. Every check still holds, no author forks, and the
   * group still has one member per person.
   */
  readonly linked?: boolean;
}

export interface ConvergenceResult {
  readonly seed: number;
  readonly converged: boolean;
  /** Why not, when not converged. */
  readonly reason?: string;
  readonly entries: number;
  readonly stateHash: string;
  /** Most entries any replica had waiting for a predecessor at once (shows the run exercised pending). */
  readonly maxPending: number;
  /** The final state without entry ids (they hold random nonces): equal for runs of the same seed. */
  readonly shape: string;
  /** In linked mode, entries the second device signed (its device.linked included). */
  readonly linkedWrites?: number;
  /** In rogue mode, what the rogue did. */
  readonly rogue?: RogueTally;
}

const NAMES = ['Ann', 'Bo', 'Chen', 'Dana', 'Eli', 'Fay', 'Gus', 'Hana'];

let pool: Identity[] | undefined;
function identityPool(): Identity[] {
  if (!pool) {
    const rng = seededRandom(0x7a11);
    pool = NAMES.map(() => importSecretKey(randomBytes(rng, 32)));
  }
  return pool;
}

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

  // Identities come from a fixed pool (key checks are cached per key, so runs stay cheap), in
  // a seeded order, so which replica sorts first among authors changes from seed to seed.
  const pool = identityPool().slice();
  const replicas: Replica[] = [];
  for (let i = 0; i < count; i++) {
    const [identity] = pool.splice(rng.int(0, pool.length - 1), 1);
    if (!identity) throw new RangeError(`at most ${NAMES.length} replicas`);
    replicas.push(await openReplica(secrets, NAMES[i]!, { identity, now }));
  }
  const online = replicas.map(() => true);
  const crashed: GroupSync[] = [];
  let rogue: Rogue | undefined;
  /** Every replica whose work settle() waits for: the honest ones and the rogue's devices. */
  const everyone = (): Replica[] => (rogue ? [...replicas, ...rogue.devices] : replicas);
  let maxPending = 0;
  const watch = (r: Replica) =>
    r.sync.subscribe((s) => {
      if (s.pending > maxPending) maxPending = s.pending;
    });
  replicas.forEach(watch);
  try {
    for (const r of replicas) r.sync.connect(network.transport);
    const [owner, ...others] = replicas as [Replica, ...Replica[]];
    await owner.sync.append({
      type: 'group.created',
      name: 'Flat 3B',
      currency: 'CNY',
      memberName: owner.name,
    });
    await settle(network, replicas);
    // Members join as soon as they have seen the group, while updates already fly around.
    for (const r of others) {
      await r.sync.append({ type: 'member.joined', name: r.name });
      if (rng.chance(0.5)) network.deliverOne();
    }
    await settle(network, replicas);
    if (options.linked) {
      // Drawn only in this mode, so the other runs of a seed replay exactly as before.
      const person = replicas[rng.int(0, count - 1)]!;
      const identity = importSecretKey(randomBytes(rng, 32));
      const certificate = signDeviceCertificate(
        person.identity,
        bytesToHex(identity.publicKey),
        now(),
        'Laptop',
      );
      const laptop = await openReplica(secrets, `${person.name}'s laptop`, { identity, certificate, now });
      replicas.push(laptop);
      online.push(true);
      watch(laptop);
      laptop.sync.connect(network.transport);
      await settle(network, replicas);
    }
    if (options.rogue) {
      // Drawn only in rogue mode, so the honest runs of a seed replay exactly as before.
      const identity = importSecretKey(randomBytes(rng, 32));
      const devices = [
        await openReplica(secrets, 'Mallory', { identity, now, store: new MemoryStore() }),
        await openReplica(secrets, 'Mallory', { identity, now, store: new MemoryStore() }),
      ] as const;
      rogue = new Rogue(network, secrets, identity, devices);
      for (const d of devices) d.sync.connect(network.transport);
      await devices[0].sync.append({ type: 'member.joined', name: 'Mallory' });
      await settle(network, everyone());
    }

    for (let step = 0; step < steps; step++) {
      if (rogue && rng.chance(0.25)) {
        await rogue.act(rng, replicas[0]!, now);
        if (rng.chance(0.5)) network.deliverOne();
        continue;
      }
      const i = rng.int(0, replicas.length - 1);
      const r = replicas[i]!;
      const roll = rng.next();
      if (roll < 0.45) {
        // A user often writes a few things in a row.
        for (let n = rng.int(1, 3); n > 0; n--) {
          await r.sync.whenIdle();
          await r.sync.append(randomOp(rng, r.sync.state, r.sync.memberId));
        }
      } else if (roll < 0.65) {
        // A few messages in random order; sometimes let replicas digest each one before the next.
        const digest = rng.chance(0.8);
        for (let n = rng.int(1, 8); n > 0 && network.deliverOne(); n--) {
          if (digest) await Promise.all(replicas.map((x) => x.sync.whenIdle()));
        }
      } else if (roll < 0.75) {
        if (online[i]) r.sync.disconnect();
        else r.sync.connect(network.transport);
        online[i] = !online[i];
      } else if (roll < 0.85) {
        // From the replica that knows most to the online one that knows least.
        const size = (x: Replica) => x.sync.entries().length;
        const behind = replicas.filter((_, k) => online[k]).sort((a, b) => size(a) - size(b))[0];
        const source = [...replicas].sort((a, b) => size(b) - size(a))[0]!;
        if (behind) gossip(rng, network, source, behind);
      } else if (roll < 0.9) {
        // Restart from the store: the reopened replica must carry on where it stopped. Half the
        // time it is a crash: the document was not saved since the last flush (the dead instance
        // is only closed at the very end, which then saves an even older document).
        if (rng.chance(0.5)) {
          await r.sync.close();
        } else {
          await r.sync.whenIdle();
          r.sync.disconnect();
          crashed.push(r.sync);
        }
        const certificate = r.certificate ? { certificate: r.certificate } : {};
        r.sync = (
          await openReplica(secrets, r.name, { identity: r.identity, store: r.store, now, ...certificate })
        ).sync;
        watch(r);
        if (online[i]) r.sync.connect(network.transport);
      } else if (rng.chance(0.5)) {
        await r.sync.flush();
      } else {
        await r.sync.whenIdle();
      }
    }

    for (let i = 0; i < replicas.length; i++) if (!online[i]) replicas[i]!.sync.connect(network.transport);
    await settle(network, everyone());
    if (rogue) {
      // "Can always write": whatever she did, every honest replica writes once more.
      for (const r of replicas) {
        await r.sync.whenIdle();
        await r.sync.append({ type: 'chat.message', text: `${r.name} still writes` });
      }
      await settle(network, everyone());
    }
    const result = await compare(options.seed, replicas, rogue);
    const laptop = options.linked ? replicas[replicas.length - 1]!.sync : undefined;
    const linkedWrites = laptop?.entries().filter((e) => e.header.author === laptop.signerId).length;
    return {
      ...result,
      maxPending,
      ...(rogue ? { rogue: { ...rogue.tally } } : {}),
      ...(linkedWrites === undefined ? {} : { linkedWrites }),
    };
  } finally {
    await Promise.all([
      ...replicas.map((r) => r.sync.close()),
      ...crashed.map((c) => c.close()),
      ...(rogue ? [rogue.close()] : []),
    ]);
  }
}

/**
 * Re-publishes a few entries that `source` has and `behind` lacks, newest first, each from
 * its own short-lived document (like several devices forwarding what they saw). Legal in a
 * grow-only set, and free of Yjs's per-client ordering: `behind` may well see an author's
 * later entry before its predecessor.
 */
function gossip(rng: SeededRandom, network: MemoryNetwork, source: Replica, behind: Replica): void {
  const known = new Set(behind.sync.entries().map((e) => e.id));
  const missing = source.sync.entries().filter((e) => !known.has(e.id));
  for (const e of missing.slice(-rng.int(2, 6)).reverse()) {
    const forwarder = new Y.Doc();
    forwarder.getMap(ENTRIES_MAP).set(e.id, e.bytes);
    // Connecting queues the document's content for the hub; it stays queued after the link closes.
    network.connectDoc(forwarder).destroy();
    forwarder.destroy();
  }
}

async function compare(
  seed: number,
  replicas: readonly Replica[],
  rogue?: Rogue,
): Promise<Omit<ConvergenceResult, 'maxPending'>> {
  const first = replicas[0]!;
  const hash = stateHash(first.sync.state);
  const idsOf = (r: Replica) =>
    r.sync
      .entries()
      .map((e) => e.id)
      .sort()
      .join();
  const ids = idsOf(first);
  const entries = first.sync.entries().length;
  const shape = stateShape(first.sync.state);
  const fail = (reason: string) => ({ seed, converged: false, reason, entries, stateHash: hash, shape });
  for (const r of replicas) {
    if (stateHash(r.sync.state) !== hash) return fail(`${r.name} folded a different state`);
    if (idsOf(r) !== ids) return fail(`${r.name} holds a different set of entries`);
    const stored = (await r.store.listEntries(r.sync.groupId))
      .map((e) => e.id)
      .sort()
      .join();
    if (stored !== ids) return fail(`${r.name}'s store does not match its log`);
    // With a rogue, refusals are expected and her poisoned entries may wait forever (pending).
    if (!rogue && r.sync.snapshot.pending !== 0)
      return fail(`${r.name} still has ${r.sync.snapshot.pending} pending entries`);
    if (!rogue && r.sync.snapshot.rejected !== 0)
      return fail(`${r.name} refused ${r.sync.snapshot.rejected} entries`);
  }
  // Every honest replica is a member; whether a forked rogue still counts as one is the fold's call.
  const members = new Set(first.sync.state.members.map((m) => m.id));
  const persons = new Set(replicas.map((r) => r.sync.memberId)).size;
  if (rogue ? !replicas.every((r) => members.has(r.sync.memberId)) : members.size !== persons)
    return fail('not every replica became a member');
  if (!rogue) {
    // Two devices of one person write with two keys: no (author, seq) may hold two entries.
    const seqs = first.sync.entries().map((e) => `${e.header.author}/${e.header.seq}`);
    if (new Set(seqs).size !== seqs.length) return fail('an author forked');
  }
  if (rogue) {
    // No entry may drag an honest clock towards the end of the lamport range.
    const honest = new Set(replicas.map((r) => r.sync.memberId));
    const top = Math.max(
      ...first.sync
        .entries()
        .filter((e) => honest.has(e.header.author))
        .map((e) => e.header.lamport),
    );
    if (top > LAMPORT_LEAD_BOUND + entries) return fail(`an honest entry has lamport ${top}`);
  }
  return { seed, converged: true, entries, stateHash: hash, shape };
}

function stateShape(state: GroupState): string {
  return JSON.stringify({
    members: state.members.map((m) => m.name),
    expenses: state.expenses.map((e) => [e.data.description, e.data.amount, e.deleted, e.versions.length]),
    payments: state.payments.map((p) => [p.amount, p.deleted]),
    chat: state.chat.map((c) => c.text),
    conflicts: state.conflicts.map((c) => [c.kind, c.versions.length, c.resolved]),
    ignored: state.ignored.map((i) => i.code),
  });
}
