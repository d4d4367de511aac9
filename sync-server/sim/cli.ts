/**
 * `npm run sim -- --clients 5 --ops 2000 --seed 42 [--partitions] [--nodes 3 [--kill-every 200] [--runs 10]]`
 *
 * With `--nodes N` (N ≥ 2) it starts a throwaway Redis and N relay nodes sharing it (REDIS_URL)
 * and spreads the clients over them; `--kill-every K` kills a random node with SIGKILL every
 * K ops and restarts it (its clients reconnect), the fuzz mode for the cluster.
 *
 * Starts a real relay process on a free port with a temporary data folder, runs the
 * simulation against it, prints whether every client converged, and exits 0 when they
 * did, 1 when they did not, 2 on bad arguments.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOptions, wholeNumber } from './cli-args';
import { SimCluster } from './cluster';
import { RelayProcess } from './relay-process';
import { simulate } from './simulate';

async function main(): Promise<void> {
  const values = readOptions('sim', {
    clients: { type: 'string' },
    ops: { type: 'string' },
    seed: { type: 'string' },
    partitions: { type: 'boolean' },
    timeout: { type: 'string' },
    nodes: { type: 'string' },
    'kill-every': { type: 'string' },
    runs: { type: 'string' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run sim -- [--clients 5] [--ops 2000] [--seed 42] [--partitions] [--timeout 120]\n' +
        '                      [--nodes 1] [--kill-every 0] [--runs 1]\n',
    );
    return;
  }
  const clients = wholeNumber('sim', 'clients', values.clients, 5, 1);
  const ops = wholeNumber('sim', 'ops', values.ops, 2000, 0);
  const seed = wholeNumber('sim', 'seed', values.seed, 42, 0);
  const timeoutS = wholeNumber('sim', 'timeout', values.timeout, 120, 1);
  const partitions = values.partitions === true;
  const nodes = wholeNumber('sim', 'nodes', values.nodes, 1, 1);
  const killEvery = wholeNumber('sim', 'kill-every', values['kill-every'], 0, 0);
  const runs = wholeNumber('sim', 'runs', values.runs, 1, 1);
  if (killEvery > 0 && nodes < 2) {
    process.stderr.write('sim: --kill-every needs --nodes 2 or more\n');
    process.exit(2);
  }
  const log = (line: string) => process.stdout.write(`${line}\n`);
  if (nodes > 1) {
    // A fuzz over a cluster: one seeded run per seed, each on a fresh Redis and fresh nodes.
    const failed: number[] = [];
    for (let s = seed; s < seed + runs; s++) {
      if (!(await runCluster(nodes, killEvery, { clients, ops, seed: s, partitions, timeoutS }, log)))
        failed.push(s);
    }
    if (runs > 1)
      log(failed.length === 0 ? `${runs}/${runs} runs converged` : `failing seeds: ${failed.join(' ')}`);
    process.exit(failed.length === 0 ? 0 : 1);
  }
  if (runs > 1) {
    process.stderr.write('sim: --runs needs --nodes 2 or more (for one relay, use npm run fuzz)\n');
    process.exit(2);
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'tally-sim-'));
  const relay = await RelayProcess.start({ dataDir });
  log(`relay: ${relay.url} (data in ${dataDir})`);
  log(`simulating ${clients} clients, ${ops} ops, seed ${seed}${partitions ? ', with partitions' : ''}`);
  let converged = false;
  try {
    const report = await simulate({
      relayUrl: relay.url,
      clients,
      ops,
      seed,
      partitions,
      convergeTimeoutMs: timeoutS * 1000,
      log,
    });
    converged = report.converged;
    for (const c of report.clients) {
      log(
        `  ${c.name.padEnd(6)} entries ${String(c.entries).padStart(6)}  state ${c.stateHash.slice(0, 16)}  ` +
          `pending ${c.pending}  rejected ${c.rejected}`,
      );
    }
    const t = report.timings;
    log(
      `ops ${report.ops} (${report.offlineOps} while offline); setup ${t.setupMs.toFixed(0)} ms, ` +
        `ops ${t.opsMs.toFixed(0)} ms, convergence ${t.convergeMs.toFixed(0)} ms`,
    );
    log(converged ? 'CONVERGED: every client has the same entries and state' : 'NOT CONVERGED');
    if (!converged)
      log(
        `replay with: npm run sim -- --clients ${clients} --ops ${ops} --seed ${seed}${partitions ? ' --partitions' : ''}`,
      );
  } finally {
    await relay.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
  process.exit(converged ? 0 : 1);
}

interface RunSettings {
  readonly clients: number;
  readonly ops: number;
  readonly seed: number;
  readonly partitions: boolean;
  readonly timeoutS: number;
}

/** The same simulation over a Redis-backed cluster; a seeded PRNG picks which node to kill. */
async function runCluster(
  nodes: number,
  killEvery: number,
  run: RunSettings,
  log: (line: string) => void,
): Promise<boolean> {
  const cluster = await SimCluster.start(nodes);
  log(`cluster: redis ${cluster.redis.url}, nodes ${cluster.urls.join(' ')}`);
  let kills = 0;
  try {
    const report = await simulate({
      relayUrl: cluster.urls[0]!,
      relayUrls: cluster.urls,
      afterCreate: (invite) => cluster.whenEveryNodeHas(invite),
      clients: run.clients,
      ops: run.ops,
      seed: run.seed,
      partitions: run.partitions,
      convergeTimeoutMs: run.timeoutS * 1000,
      log,
      beforeOp: async (step) => {
        if (killEvery === 0 || step === 0 || step % killEvery !== 0) return;
        const victim = (run.seed + kills) % nodes;
        kills += 1;
        log(`step ${step}: kill -9 node ${victim} and restart it`);
        await cluster.crash(victim);
      },
    });
    for (const c of report.clients) {
      log(
        `  ${c.name.padEnd(6)} entries ${String(c.entries).padStart(6)}  state ${c.stateHash.slice(0, 16)}`,
      );
    }
    log(`ops ${report.ops}, node kills ${kills}; convergence ${report.timings.convergeMs.toFixed(0)} ms`);
    log(report.converged ? 'CONVERGED: every client has the same entries and state' : 'NOT CONVERGED');
    if (!report.converged) {
      log(
        `replay with: npm run sim -- --clients ${run.clients} --ops ${run.ops} --seed ${run.seed} ` +
          `--nodes ${nodes} --kill-every ${killEvery}${run.partitions ? ' --partitions' : ''}`,
      );
    }
    return report.converged;
  } finally {
    await cluster.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`sim: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
