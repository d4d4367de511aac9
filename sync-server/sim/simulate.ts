/**
 * The simulation driver: N headless clients in one group on a real relay, driven by a
 * seeded PRNG through random expenses, edits, deletes, payments and chat — optionally with
 * offline stretches during which clients keep writing — then everyone reconnects and we
 * check that every client holds the same entries and folds the same state.
 */
import { randomOp } from '../../shared/sync/random-ops';
import { seededRandom } from '../../shared/sync/seeded-random';
import { HeadlessClient, type Invite } from './headless-client';

export interface SimulationOptions {
  readonly relayUrl: string;
  readonly clients: number;
  readonly ops: number;
  readonly seed: number;
  /** Clients go offline for stretches and keep writing. */
  readonly partitions?: boolean;
  /** How long to wait for convergence once everyone is back online. */
  readonly convergeTimeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Cluster runs: client i connects to relayUrls[i % length] (the group's invite names relayUrl). */
  readonly relayUrls?: readonly string[];
  /**
   * Called once the group exists (cluster runs wait here until every node serves it: another
   * node sees a write a moment later, and a member joining there must find the group).
   */
  readonly afterCreate?: (invite: Invite) => Promise<void>;
  /** Called before each random op (cluster runs kill and restart nodes here). */
  readonly beforeOp?: (step: number) => Promise<void>;
}

export interface ClientReport {
  readonly name: string;
  readonly entries: number;
  readonly stateHash: string;
  readonly rejected: number;
  readonly pending: number;
}

export interface SimulationReport {
  readonly converged: boolean;
  readonly clients: readonly ClientReport[];
  /** Random actions performed (setup entries not counted). */
  readonly ops: number;
  /** Actions made while the acting client was offline. */
  readonly offlineOps: number;
  readonly timings: { readonly setupMs: number; readonly opsMs: number; readonly convergeMs: number };
}

const NAMES = ['Ann', 'Bo', 'Chen', 'Dana', 'Eli', 'Fay', 'Gus', 'Hana', 'Ivo', 'Jun'];

export async function simulate(options: SimulationOptions): Promise<SimulationReport> {
  const log = options.log ?? (() => {});
  const rng = seededRandom(options.seed);
  const count = Math.max(1, options.clients);
  const started = performance.now();
  const clients: HeadlessClient[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const name = NAMES[i % NAMES.length]! + (i >= NAMES.length ? String(i) : '');
      clients.push(await HeadlessClient.create({ name, maxBackoffTime: 300 }));
    }
    const [owner, ...others] = clients as [HeadlessClient, ...HeadlessClient[]];
    const invite = await owner.createGroup(options.relayUrl, 'Simulated flat');
    await owner.whenSynced();
    await options.afterCreate?.(invite);
    const urls = options.relayUrls ?? [];
    for (const [i, c] of others.entries()) {
      const relayUrl = urls.length > 0 ? urls[(i + 1) % urls.length]! : invite.relayUrl;
      await c.join({ ...invite, relayUrl });
    }
    await Promise.all(clients.map((c) => c.whenSynced()));
    const setupMs = performance.now() - started;
    log(`setup: ${count} clients joined in ${setupMs.toFixed(0)} ms`);

    /** Steps left offline per client (partitions). */
    const offlineFor = clients.map(() => 0);
    let offlineOps = 0;
    const opsStarted = performance.now();
    for (let step = 0; step < options.ops; step++) {
      if (options.partitions) {
        for (const [i, c] of clients.entries()) {
          if (offlineFor[i]! > 0 && --offlineFor[i]! === 0) c.goOnline();
        }
        if (rng.chance(0.02)) {
          const i = rng.int(0, count - 1);
          if (offlineFor[i] === 0) {
            offlineFor[i] = rng.int(10, Math.max(20, Math.floor(options.ops / 5)));
            clients[i]!.goOffline();
          }
        }
      }
      await options.beforeOp?.(step);
      const i = rng.int(0, count - 1);
      const c = clients[i]!;
      await c.sync.whenIdle();
      await c.append(randomOp(rng, c.state(), c.memberId));
      if (offlineFor[i]! > 0) offlineOps++;
      if ((step + 1) % 500 === 0) log(`ops: ${step + 1}/${options.ops}`);
    }
    const opsMs = performance.now() - opsStarted;

    for (const c of clients) if (!c.online) c.goOnline();
    const convergeStarted = performance.now();
    const converged = await waitForConvergence(clients, options.convergeTimeoutMs ?? 60_000);
    const convergeMs = performance.now() - convergeStarted;
    return {
      converged,
      clients: clients.map((c) => ({
        name: c.name,
        entries: c.snapshot.entries,
        stateHash: c.stateHash(),
        rejected: c.snapshot.rejected,
        pending: c.snapshot.pending,
      })),
      ops: options.ops,
      offlineOps,
      timings: { setupMs, opsMs, convergeMs },
    };
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/** True once every client is synced with equal entry counts and state hashes; false on timeout. */
export async function waitForConvergence(
  clients: readonly HeadlessClient[],
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      await Promise.all(clients.map((c) => c.whenSynced(Math.max(1, deadline - Date.now()))));
    } catch {
      return false;
    }
    const first = clients[0]!;
    const same = clients.every(
      (c) => c.snapshot.entries === first.snapshot.entries && c.stateHash() === first.stateHash(),
    );
    // Entries that wait for good (a rogue's clock that leads too far, protocol.md §7) wait on
    // every device alike: converged means the same number waiting everywhere, not zero.
    if (same && clients.every((c) => c.snapshot.pending === first.snapshot.pending)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
