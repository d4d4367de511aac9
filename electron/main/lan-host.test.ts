/**
 * LanHost with a real relay on loopback and the in-memory discovery: off by default, serves only
 * the groups it was given, announces a random service id, reports other devices' relays (and its
 * own over loopback), and stops everything when switched off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type LanPeer, MemoryDiscoveryHub, randomServiceId } from '../../shared/sync/lan-discovery';
import { groupsTagged, lanTag } from '../../shared/sync/lan-tags';
import { hashToken } from '../../sync-server/auth';
import { startRelay } from '../../sync-server/relay';
import type { LanNearby, LanPeerInfo } from '../preload/api';
import { LanHost } from './lan-host';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const randomHex = (n: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(n))).toString('hex');

/** Close code of an upgrade to `url` (0: it stayed open). */
function closeCode(url: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      resolve(0);
    }, 300);
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    ws.on('error', () => {});
  });
}

const hosts: LanHost[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

function lanHost(hub: MemoryDiscoveryHub, address: string) {
  const seen: LanPeerInfo[][] = [];
  const nearby: LanNearby[][] = [];
  const host = new LanHost({
    startRelay: startRelay,
    discovery: () => hub.discovery(address),
    onPeers: (peers) => seen.push([...peers]),
    onNearby: (found) => nearby.push([...found]),
    host: '127.0.0.1',
  });
  hosts.push(host);
  return { host, seen, nearby };
}

/** Every announcement on the hub, as a browser sees it now. */
function announced(hub: MemoryDiscoveryHub): LanPeer[] {
  const found = new Map<string, LanPeer>();
  const browsing = hub.discovery('127.0.0.250').browse(
    (p) => found.set(p.serviceId, p),
    (id) => found.delete(id),
  );
  void browsing.stop();
  return [...found.values()];
}

describe('LanHost', () => {
  it('is off until switched on, then serves only its groups and announces a random id', async () => {
    const hub = new MemoryDiscoveryHub();
    const { host } = lanHost(hub, '127.0.0.1');
    expect(host.status()).toEqual({ enabled: false, peers: [] });
    const groupId = randomHex(16);
    const token = randomHex(32);
    host.setRooms([{ groupId, tokenHash: hex(hashToken(token)) }]);
    const on = await host.setEnabled(true);
    expect(on.enabled).toBe(true);
    expect(on.serviceId).toMatch(/^[0-9a-f]{32}$/);
    expect(on.serviceId).not.toContain(groupId);
    // Its own relay, reached over loopback, so this device feeds it.
    expect(on.peers).toEqual([{ serviceId: on.serviceId, url: `ws://127.0.0.1:${on.port}`, own: true }]);

    const base = `ws://127.0.0.1:${on.port}`;
    expect(await closeCode(`${base}/${groupId}?token=${token}`)).toBe(0);
    expect(await closeCode(`${base}/${randomHex(16)}?token=${randomHex(32)}`)).toBe(4403);
    expect(await closeCode(`${base}/${groupId}?token=${randomHex(32)}`)).toBe(4403);
    // A group joined later is served at once.
    const later = randomHex(16);
    host.setRooms([
      { groupId, tokenHash: hex(hashToken(token)) },
      { groupId: later, tokenHash: hex(hashToken(token)) },
    ]);
    expect(await closeCode(`${base}/${later}?token=${token}`)).toBe(0);

    const off = await host.setEnabled(false);
    expect(off).toEqual({ enabled: false, peers: [] });
    expect(await closeCode(`${base}/${groupId}?token=${token}`)).toBe(1006);
  });

  it("reports other devices' relays as they come and go, never as its own", async () => {
    const hub = new MemoryDiscoveryHub();
    const { host, seen } = lanHost(hub, '127.0.0.1');
    await host.setEnabled(true);
    const other = await hub.discovery('127.0.0.9').announce(randomServiceId(), 4999);
    expect(host.status().peers.filter((p) => !p.own)).toEqual([
      { serviceId: expect.any(String), url: 'ws://127.0.0.9:4999', own: false },
    ]);
    await other.stop();
    expect(host.status().peers.filter((p) => !p.own)).toEqual([]);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    await host.setEnabled(false);
    expect(seen.at(-1)).toEqual([]);
  });

  it('switching on twice starts one relay; a failed start leaves it off', async () => {
    const hub = new MemoryDiscoveryHub();
    const { host } = lanHost(hub, '127.0.0.1');
    const [a, b] = await Promise.all([host.setEnabled(true), host.setEnabled(true)]);
    expect(a.port).toBe(b.port);
    await host.setEnabled(false);

    const failing = new LanHost({
      startRelay: async () => {
        throw Object.assign(new Error('no interface'), { code: 'EADDRNOTAVAIL' });
      },
      discovery: () => hub.discovery('127.0.0.1'),
      onPeers: () => {},
    });
    await expect(failing.setEnabled(true)).rejects.toThrow('no interface');
    expect(failing.status().enabled).toBe(false);
  });

  it("announces a tag per served group that only the group's tag key matches, and re-announces on change", async () => {
    const hub = new MemoryDiscoveryHub();
    const { host } = lanHost(hub, '127.0.0.1');
    const a = { groupId: randomHex(16), tokenHash: randomHex(32), tagKey: randomHex(32) };
    const b = { groupId: randomHex(16), tokenHash: randomHex(32), tagKey: randomHex(32) };
    host.setRooms([a]);
    const on = await host.setEnabled(true);
    const [first] = announced(hub);
    expect(first?.serviceId).toBe(on.serviceId);
    expect(first?.tags).toEqual([lanTag(a.tagKey, on.serviceId!)]);
    const keys = new Map([
      [a.groupId, a.tagKey],
      [b.groupId, b.tagKey],
    ]);
    expect(groupsTagged(keys, on.serviceId!, first!.tags!)).toEqual([a.groupId]);

    host.setRooms([a, b]);
    await host.setEnabled(true); // waits for the re-announcement queued behind setRooms
    const [second] = announced(hub);
    expect(second?.serviceId).toBe(on.serviceId);
    expect(groupsTagged(keys, on.serviceId!, second!.tags!).sort()).toEqual([a.groupId, b.groupId].sort());
    // Nothing in the announcement names a group.
    expect(JSON.stringify(second)).not.toContain(a.groupId);
    expect(JSON.stringify(second)).not.toContain(a.tagKey.slice(0, 12));
  });

  it('while off and scouting, reports tagged relays of other devices; stops while on, resumes when off', async () => {
    const hub = new MemoryDiscoveryHub();
    const { host, nearby } = lanHost(hub, '127.0.0.1');
    await host.setScouting(true);
    const serviceId = randomServiceId();
    const other = await hub.discovery('127.0.0.9').announce(serviceId, 4999, ['0123456789ab']);
    expect(host.nearby()).toEqual([{ serviceId, tags: ['0123456789ab'] }]);
    expect(nearby.at(-1)).toEqual([{ serviceId, tags: ['0123456789ab'] }]);
    // Scouting announces nothing of its own.
    expect(announced(hub).map((p) => p.serviceId)).toEqual([serviceId]);

    await host.setEnabled(true);
    expect(host.nearby()).toEqual([]);
    await host.setEnabled(false);
    expect(host.nearby()).toEqual([{ serviceId, tags: ['0123456789ab'] }]);
    await other.stop();
    expect(host.nearby()).toEqual([]);
    await host.setScouting(false);
    await hub.discovery('127.0.0.9').announce(randomServiceId(), 4998);
    expect(host.nearby()).toEqual([]);
  });
});
