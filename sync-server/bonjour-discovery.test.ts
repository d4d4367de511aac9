/**
 * The real mDNS/DNS-SD path (bonjour-service): announce a random service id and find it again
 * through multicast on this machine. Where multicast is not delivered (some containers and CI
 * runners), the test says why and is skipped; the injected discovery
 * (shared/sync/lan-discovery.test.ts, lan-sync.test.ts) covers the logic everywhere.
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { type LanPeer, randomServiceId } from '../shared/sync/lan-discovery';
import { bonjourDiscovery } from './bonjour-discovery';

/** Sends one datagram to an mDNS-like multicast group and waits for it to loop back; null when it does, else why not. */
function multicastProblem(timeoutMs = 1500): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    const payload = Buffer.from(randomServiceId());
    let done = false;
    const finish = (problem: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve(problem);
    };
    const timer = setTimeout(
      () =>
        finish(`no multicast datagram came back within ${timeoutMs} ms (multicast is not delivered here)`),
      timeoutMs,
    );
    socket.on('error', (error) => finish(`multicast socket failed: ${error.message}`));
    socket.on('message', (message) => {
      if (message.equals(payload)) finish(null);
    });
    socket.bind(0, () => {
      try {
        socket.addMembership('224.0.0.251');
        socket.setMulticastLoopback(true);
        socket.send(payload, socket.address().port, '224.0.0.251');
      } catch (error) {
        finish(`cannot join a multicast group: ${(error as Error).message}`);
      }
    });
  });
}

describe('bonjourDiscovery (real mDNS)', () => {
  it('finds an announced relay by its random service id and sees it go', async (ctx) => {
    const problem = await multicastProblem();
    if (problem !== null) {
      console.warn(`[skip] real mDNS discovery test: ${problem}`);
      ctx.skip(problem);
      return;
    }
    const errors: Error[] = [];
    const announcer = bonjourDiscovery({ onError: (e) => errors.push(e) });
    const browser = bonjourDiscovery({ onError: (e) => errors.push(e) });
    try {
      const serviceId = randomServiceId();
      const found = new Promise<LanPeer>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('service not found within 5 s')), 5000);
        browser.browse(
          (peer) => {
            if (peer.serviceId !== serviceId) return;
            clearTimeout(timer);
            resolve(peer);
          },
          () => {},
        );
      });
      const gone = new Promise<void>((resolve) => {
        browser.browse(
          () => {},
          (id) => {
            if (id === serviceId) resolve();
          },
        );
      });
      const announcement = await announcer.announce(serviceId, 45_678, ['0123456789ab', 'abcdefabcdef']);
      const peer = await found;
      expect(peer.url).toMatch(/^ws:\/\/(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:]+\]):45678$/);
      // Membership tags (lan-tags.ts) travel in the TXT record.
      expect(peer.tags).toEqual(['0123456789ab', 'abcdefabcdef']);
      await announcement.stop();
      // The goodbye packet (TTL 0) announces the end at once.
      await Promise.race([
        gone,
        new Promise((_, reject) => setTimeout(() => reject(new Error('no goodbye')), 5000)),
      ]);
      expect(errors).toEqual([]);
    } finally {
      await announcer.close();
      await browser.close();
    }
  }, 20_000);

  it('refuses to announce anything but a random service id', async () => {
    const d = bonjourDiscovery();
    try {
      await expect(d.announce('Flat 3B', 1234)).rejects.toThrow(/randomServiceId/);
    } finally {
      await d.close();
    }
  });
});
