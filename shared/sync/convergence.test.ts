/**
 * Seeded random convergence: 5 replicas, random entries, shuffled and duplicated deliveries,
 * disconnects and restarts; every seed must end with identical entries and state on every
 * replica. A failing seed replays with `npm run fuzz -- --seed N`.
 */
import { describe, expect, it } from 'vitest';
import { type ConvergenceResult, runConvergence } from './convergence';

const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);
const results: ConvergenceResult[] = [];

describe('convergence of 5 replicas under a hostile network', () => {
  it.each(SEEDS)('seed %i converges', async (seed) => {
    const result = await runConvergence({ seed, replicas: 5, ops: 20 });
    results.push(result);
    expect(result, `replay with: npm run fuzz -- --seed ${seed}`).toMatchObject({ converged: true });
    // Setup alone is 5 entries; random steps add more, so the run did real work.
    expect(result.entries).toBeGreaterThan(5);
  });

  it('the seeds above exercised the hard cases: pending entries and concurrent edits', () => {
    expect(results).toHaveLength(SEEDS.length);
    expect(results.filter((r) => r.maxPending > 0).length).toBeGreaterThan(10);
    expect(
      results.filter((r) => (JSON.parse(r.shape) as { conflicts: unknown[] }).conflicts.length > 0).length,
    ).toBeGreaterThan(10);
  });

  it('replays a seed: same choices, same final state (up to the random nonces in entry ids)', async () => {
    const a = await runConvergence({ seed: 7, replicas: 3, ops: 30 });
    const b = await runConvergence({ seed: 7, replicas: 3, ops: 30 });
    const c = await runConvergence({ seed: 8, replicas: 3, ops: 30 });
    expect(a.converged && b.converged && c.converged).toBe(true);
    expect(b.shape).toBe(a.shape);
    expect(b.entries).toBe(a.entries);
    expect(c.shape).not.toBe(a.shape);
  });
});

describe('convergence with a linked second device of one member (protocol §16)', () => {
  const linkedRuns: ConvergenceResult[] = [];
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('seed %i converges without a fork', async (seed) => {
    const result = await runConvergence({ seed, replicas: 4, ops: 25, linked: true });
    linkedRuns.push(result);
    expect(
      result,
      `replay with: npm run fuzz -- --seed ${seed} --replicas 4 --ops 25 --linked`,
    ).toMatchObject({
      converged: true,
    });
  });

  it('the second device really wrote in most runs', () => {
    expect(linkedRuns).toHaveLength(40);
    expect(linkedRuns.filter((r) => (r.linkedWrites ?? 0) > 1).length).toBeGreaterThan(20);
  });
});
