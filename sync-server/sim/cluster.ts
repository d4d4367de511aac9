/**
 * A relay cluster for the simulation: a throwaway Redis and N relay processes sharing it
 * (`npm run sim -- --nodes 3`). Nodes can be killed (SIGKILL) and restarted on their port, as a
 * crashed node behind a load balancer comes back; their clients reconnect on their own.
 */
import { deriveRelayToken } from '../../shared/crypto/group-key';
import { startTestRedis, type TestRedis } from '../redis-test-server';
import { connectClient, waitFor } from '../test-support';
import type { Invite } from './headless-client';
import { RelayProcess } from './relay-process';

export class SimCluster {
  private constructor(
    readonly redis: TestRedis,
    readonly nodes: readonly RelayProcess[],
  ) {}

  static async start(count: number): Promise<SimCluster> {
    const redis = await startTestRedis();
    const nodes: RelayProcess[] = [];
    try {
      for (let i = 0; i < count; i++) {
        nodes.push(await RelayProcess.start({ dataDir: ':memory:', env: { REDIS_URL: redis.url } }));
      }
    } catch (error) {
      await Promise.all(nodes.map((node) => node.kill()));
      await redis.stop();
      throw error;
    }
    return new SimCluster(redis, nodes);
  }

  get urls(): string[] {
    return this.nodes.map((node) => node.url);
  }

  /** Kills node `i` with SIGKILL (no shutdown code runs) and starts it again on its port. */
  async crash(i: number): Promise<void> {
    const node = this.nodes[i]!;
    await node.kill();
    await node.restart();
  }

  /** Waits until every node serves the group's first entry (its creation). */
  async whenEveryNodeHas(invite: Invite, timeoutMs = 10_000): Promise<void> {
    const token = deriveRelayToken(invite.groupKey);
    const probes = this.urls.map((url) => connectClient(url, invite.groupId, token));
    try {
      await waitFor(
        () => probes.every((p) => p.entries.size > 0),
        timeoutMs,
        'every node to serve the group',
      );
    } finally {
      for (const probe of probes) probe.destroy();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
    await this.redis.stop();
  }
}
