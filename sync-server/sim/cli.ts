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
import { parseArgs } from 'node:util';
import { RelayProcess } from './relay-process';
import { simulate } from './simulate';

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) {
    process.stderr.write(`sim: --${name} must be a whole number ≥ ${min}, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        clients: { type: 'string' },
        ops: { type: 'string' },
        seed: { type: 'string' },
        partitions: { type: 'boolean' },
        timeout: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    process.stderr.write(`sim: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(
      'usage: npm run sim -- [--clients 5] [--ops 2000] [--seed 42] [--partitions] [--timeout 120]\n',
    );
    return;
  }
  const clients = positiveInt('clients', values.clients as string | undefined, 5);
  const ops = positiveInt('ops', values.ops as string | undefined, 2000, 0);
  const seed = positiveInt('seed', values.seed as string | undefined, 42, 0);
  const timeoutS = positiveInt('timeout', values.timeout as string | undefined, 120);
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
