/**
 * Long seeded convergence runs (the in-process network of shared/sync/convergence.ts):
 *
 *   tsx sync-server/sim/fuzz-cli.ts --runs 1000 [--start 1] [--replicas 5] [--ops 30]
 *   tsx sync-server/sim/fuzz-cli.ts --seed 1234            # replay one seed
 *   tsx sync-server/sim/fuzz-cli.ts --runs 300 --rogue     # with a rogue member (issue 10)
 *   tsx sync-server/sim/fuzz-cli.ts --runs 300 --linked    # one member on two devices (issue 12 §2)
 *
 * Prints every failing seed with its reason and a replay command; exits 1 if any failed.
 */
import { runConvergence } from '../../shared/sync/convergence';
import { readOptions, wholeNumber } from './cli-args';

async function main(): Promise<void> {
  const values = readOptions('fuzz', {
    runs: { type: 'string' },
    start: { type: 'string' },
    seed: { type: 'string' },
    replicas: { type: 'string' },
    ops: { type: 'string' },
    rogue: { type: 'boolean' },
    linked: { type: 'boolean' },
  });
  const rogue = values.rogue === true;
  const linked = values.linked === true;
  const replicas = wholeNumber('fuzz', 'replicas', values.replicas, 5, 1);
  const ops = wholeNumber('fuzz', 'ops', values.ops, 30, 0);
  const single = values.seed === undefined ? undefined : wholeNumber('fuzz', 'seed', values.seed, 0, 0);
  const start = single ?? wholeNumber('fuzz', 'start', values.start, 1, 0);
  const runs = single === undefined ? wholeNumber('fuzz', 'runs', values.runs, 100, 1) : 1;
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
      const r = await runConvergence({ seed, replicas, ops, rogue, linked });
      if (r.maxPending > 0) pendingRuns++;
      if (!r.converged) line = r.reason;
    } catch (error) {
      line = `threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    }
    if (line !== undefined) {
      failed.push(seed);
      process.stdout.write(
        `FAIL seed ${seed}: ${line}\n  replay: npm run fuzz -- --seed ${seed} --replicas ${replicas} --ops ${ops}${rogue ? ' --rogue' : ''}${linked ? ' --linked' : ''}\n`,
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
