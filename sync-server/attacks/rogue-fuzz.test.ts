/**
 * The convergence fuzz with a rogue member (issue 10): seeded runs in-process where one member,
 * restored on two devices, throws junk, poisoned clocks, forks, floods, deletions and replays
 * at the honest replicas. Every honest replica must end with the same entries and state and
 * must still be able to write. Longer runs: `npm run fuzz -- --runs 300 --rogue`.
 */
import { describe, expect, it } from 'vitest';
import { type ConvergenceResult, runConvergence } from '../../shared/sync/convergence';

const SEEDS = Array.from({ length: 24 }, (_, i) => 1_000 + i);
const results: ConvergenceResult[] = [];

describe('convergence with a rogue member', () => {
  it.each(SEEDS)('seed %i: honest replicas converge and keep writing', async (seed) => {
    const result = await runConvergence({ seed, replicas: 4, ops: 30, rogue: true });
    results.push(result);
    expect(result, `replay with: npm run fuzz -- --seed ${seed} --replicas 4 --ops 30 --rogue`).toMatchObject(
      {
        converged: true,
      },
    );
  });

  it('the seeds above exercised every kind of rogue action', () => {
    const total = { junk: 0, poison: 0, fork: 0, flood: 0, delete: 0, replay: 0 };
    for (const r of results)
      for (const [k, v] of Object.entries(r.rogue ?? {})) total[k as keyof typeof total] += v;
    for (const count of Object.values(total)) expect(count).toBeGreaterThan(0);
  });
});
