/** The simulation over a 3-node Redis cluster with node kills (`npm run sim -- --nodes 3 --kill-every K`). */
import { describe, expect, it } from 'vitest';
import { SimCluster } from './cluster';
import { simulate } from './simulate';

describe('simulation over a relay cluster', () => {
  it('converges with clients over 3 nodes while nodes are killed and restarted', async () => {
    const cluster = await SimCluster.start(3);
    try {
      let kills = 0;
      const report = await simulate({
        relayUrl: cluster.urls[0]!,
        relayUrls: cluster.urls,
        afterCreate: (invite) => cluster.whenEveryNodeHas(invite),
        clients: 5,
        ops: 240,
        seed: 5,
        partitions: true,
        convergeTimeoutMs: 30_000,
        beforeOp: async (step) => {
          if (step > 0 && step % 80 === 0) await cluster.crash(kills++ % 3);
        },
      });
      expect(kills).toBe(2);
      expect(report.converged).toBe(true);
      expect(report.clients.every((c) => c.entries === report.clients[0]!.entries)).toBe(true);
    } finally {
      await cluster.stop();
    }
  });
});
