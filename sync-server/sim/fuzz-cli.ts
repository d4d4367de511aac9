/**
 * Long seeded convergence runs (the in-process network of shared/sync/convergence.ts):
 *
 *   tsx sync-server/sim/fuzz-cli.ts --runs 1000 [--start 1] [--replicas 5] [--ops 30]
 *   tsx sync-server/sim/fuzz-cli.ts --seed 1234            # replay one seed
 *
 * Prints every failing seed with its reason and a replay command; exits 1 if any failed.
 */
import { parseArgs } from 'node:util';
import { runConvergence } from '../../shared/sync/convergence';

function int(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) {
    process.stderr.write(`fuzz: --${name} must be a whole number ≥ ${min}, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        runs: { type: 'string' },
        start: { type: 'string' },
        seed: { type: 'string' },
        replicas: { type: 'string' },
        ops: { type: 'string' },
      },
    }));
  } catch (error) {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const replicas = int('replicas', values.replicas as string | undefined, 5, 1);
  const ops = int('ops', values.ops as string | undefined, 30, 0);
  const single = values.seed === undefined ? undefined : int('seed', values.seed as string, 0, 0);
  const start = single ?? int('start', values.start as string | undefined, 1, 0);
  const runs = single === undefined ? int('runs', values.runs as string | undefined, 100, 1) : 1;
  if (replicas > 8) {
    process.stderr.write('fuzz: --replicas is at most 8\n');
    process.exit(2);
  }

  const failed: number[] = [];
  let pendingRuns = 0;
  const began = performance.now();
  for (let seed = start; seed < start + runs; seed++) {
    let line: string | undefined;
    try {
      const r = await runConvergence({ seed, replicas, ops });
      if (r.maxPending > 0) pendingRuns++;
      if (!r.converged) line = r.reason;
    } catch (error) {
      line = `threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    }
    if (line !== undefined) {
      failed.push(seed);
      process.stdout.write(
        `FAIL seed ${seed}: ${line}\n  replay: npm run fuzz -- --seed ${seed} --replicas ${replicas} --ops ${ops}\n`,
      );
    }
    const done = seed - start + 1;
    if (done % 50 === 0 || done === runs) {
      process.stdout.write(
        `${done}/${runs} runs, ${failed.length} failed (${((performance.now() - began) / 1000).toFixed(1)} s)\n`,
      );
    }
  }
  process.stdout.write(
    `${runs - failed.length}/${runs} seeds converged (${pendingRuns} exercised pending entries)` +
      (failed.length ? `; failing seeds: ${failed.join(' ')}` : '') +
      '\n',
  );
  process.exit(failed.length === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`fuzz: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
