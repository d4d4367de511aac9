/**
 * `npm run sim -- --clients 5 --ops 2000 --seed 42 [--partitions]`
 *
 * Starts a real relay process on a free port with a temporary data folder, runs the
 * simulation against it, prints whether every client converged, and exits 0 when they
 * did, 1 when they did not, 2 on bad arguments.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readOptions, wholeNumber } from './cli-args';
import { RelayProcess } from './relay-process';
import { simulate } from './simulate';

async function main(): Promise<void> {
  const values = readOptions('sim', {
    clients: { type: 'string' },
    ops: { type: 'string' },
    seed: { type: 'string' },
    partitions: { type: 'boolean' },
    timeout: { type: 'string' },
    help: { type: 'boolean' },
  });
  if (values.help) {
    process.stdout.write(
      'usage: npm run sim -- [--clients 5] [--ops 2000] [--seed 42] [--partitions] [--timeout 120]\n',
    );
    return;
  }
  const clients = wholeNumber('sim', 'clients', values.clients, 5, 1);
  const ops = wholeNumber('sim', 'ops', values.ops, 2000, 0);
  const seed = wholeNumber('sim', 'seed', values.seed, 42, 0);
  const timeoutS = wholeNumber('sim', 'timeout', values.timeout, 120, 1);
  const partitions = values.partitions === true;

  const dataDir = await mkdtemp(join(tmpdir(), 'tally-sim-'));
  const relay = await RelayProcess.start({ dataDir });
  const log = (line: string) => process.stdout.write(`${line}\n`);
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

main().catch((error: unknown) => {
  process.stderr.write(`sim: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
