/**
 * Seeded random convergence: 5 replicas, random entries, shuffled and duplicated deliveries,
 * disconnects and restarts; every seed must end with identical entries and state on every
 * replica. A failing seed replays with `npm run fuzz -- --seed N`.
 */
import { describe, expect, it } from 'vitest';
import { runConvergence } from './convergence';

const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

describe('convergence of 5 replicas under a hostile network', () => {
  it.each(SEEDS)('seed %i converges', async (seed) => {
    const result = await runConvergence({ seed, replicas: 5, ops: 24 });
    expect(result, `replay with: npm run fuzz -- --seed ${seed}`).toMatchObject({ converged: true });
    // Setup alone is 5 entries; random steps add more, so the run did real work.
    expect(result.entries).toBeGreaterThan(5);
  });

  it('replays a seed: same choices, same amount of work', async () => {
    const a = await runConvergence({ seed: 7, replicas: 3, ops: 20 });
    const b = await runConvergence({ seed: 7, replicas: 3, ops: 20 });
    expect(a.converged && b.converged).toBe(true);
    expect(b.entries).toBe(a.entries);
  });
});
