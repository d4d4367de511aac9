/** The discovery seam through its in-memory implementation, and LanLinks on top of it. */
import { describe, expect, it } from 'vitest';
import { isServiceId, MemoryDiscoveryHub, randomServiceId, relayUrlOf, type LanPeer } from './lan-discovery';
import { LanLinks, lanTransportId, type LinkableGroup } from './lan-links';
import type { TransportFactory } from './transport';

class FakeGroup implements LinkableGroup {
  readonly transports = new Map<string, TransportFactory>();
  addTransport(id: string, factory: TransportFactory): void {
    this.transports.set(id, factory);
  }
  removeTransport(id: string): boolean {
    return this.transports.delete(id);
  }
}

describe('LAN discovery seam', () => {
  it('makes random 128-bit service ids and relay URLs', () => {
    const a = randomServiceId();
    expect(isServiceId(a)).toBe(true);
    expect(a).not.toBe(randomServiceId());
    expect(isServiceId('Flat 3B')).toBe(false);
    expect(relayUrlOf('192.168.1.7', 4455)).toBe('ws://192.168.1.7:4455');
    expect(relayUrlOf('fd00::2', 80)).toBe('ws://[fd00::2]:80');
  });

  it('reports announcements made before and after browsing, and their end', async () => {
    const hub = new MemoryDiscoveryHub();
    const ann = hub.discovery('127.0.0.2');
    const bo = hub.discovery('127.0.0.3');
    const early = await ann.announce(randomServiceId(), 5000);
    const ups: LanPeer[] = [];
    const downs: string[] = [];
    const browsing = bo.browse(
      (p) => ups.push(p),
      (id) => downs.push(id),
    );
    const late = await bo.announce(randomServiceId(), 6000);
    expect(ups.map((p) => p.url)).toEqual(['ws://127.0.0.2:5000', 'ws://127.0.0.3:6000']);
    await early.stop();
    expect(downs).toEqual([ups[0]!.serviceId]);
    await browsing.stop();
    await late.stop();
    expect(downs).toHaveLength(1);
    await ann.close();
    await bo.close();
  });

  it('LanLinks gives every attached group a transport per relay found, never its own, and removes it when it goes', async () => {
    const hub = new MemoryDiscoveryHub();
    const own = randomServiceId();
    const other = randomServiceId();
    const urls: string[] = [];
    const links = new LanLinks({
      transportTo: (url) => {
        urls.push(url);
        return () => ({ destroy() {} });
      },
      isOwn: (id) => id === own,
    });
    const device = hub.discovery('127.0.0.2');
    device.browse(
      (p) => links.peerUp(p),
      (id) => links.peerDown(id),
    );
    const g1 = new FakeGroup();
    links.attach(g1);
    await device.announce(own, 4000);
    const theirs = await hub.discovery('127.0.0.3').announce(other, 4001);
    const g2 = new FakeGroup();
    links.attach(g2);
    expect([...g1.transports.keys()]).toEqual([lanTransportId(other)]);
    expect([...g2.transports.keys()]).toEqual([lanTransportId(other)]);
    expect(urls).toEqual(['ws://127.0.0.3:4001', 'ws://127.0.0.3:4001']);
    expect(links.peers().map((p) => p.serviceId)).toEqual([other]);
    links.detach(g2);
    expect(g2.transports.size).toBe(0);
    await theirs.stop();
    expect(g1.transports.size).toBe(0);
    await device.close();
  });
});
