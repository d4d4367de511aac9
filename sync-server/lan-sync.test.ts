/**
 * Roommates on one network, no server (issue 14, part 1), end to end with real relays on
 * loopback: two headless devices share a group through the usual relay; the usual relay goes
 * down; one device serves a LAN relay (allowRooms: its own groups only) on another loopback
 * address and announces it through the injected discovery; the other finds it and both keep
 * syncing; a third device joins later through the LAN relay alone and gets the whole history.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deriveRelayToken } from '../shared/crypto/group-key';
import { type LanDiscovery, MemoryDiscoveryHub, randomServiceId } from '../shared/sync/lan-discovery';
import { LanLinks, lanTransportId } from '../shared/sync/lan-links';
import { USUAL_TRANSPORT } from '../shared/sync/sync-snapshot';
import { hashToken } from './auth';
import { type RunningRelay, startRelay } from './relay';
import { HeadlessClient } from './sim/headless-client';
import { waitFor } from './test-support';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function relayOn(host: string, allowRooms?: Map<string, Uint8Array>): Promise<RunningRelay> {
  const relay = await startRelay({ host, port: 0, dataDir: null, ...(allowRooms ? { allowRooms } : {}) });
  cleanups.push(() => relay.close());
  return relay;
}

async function device(name: string): Promise<HeadlessClient> {
  const c = await HeadlessClient.create({ name, maxBackoffTime: 200 });
  cleanups.push(() => c.close());
  return c;
}

/** A device's LAN side: LanLinks fed by browsing the injected discovery. */
function lanOf(client: HeadlessClient, discovery: LanDiscovery): LanLinks {
  const links = new LanLinks({ transportTo: (url) => client.transportTo(url) });
  const browsing = discovery.browse(
    (peer) => links.peerUp(peer),
    (id) => links.peerDown(id),
  );
  cleanups.push(() => browsing.stop());
  client.syncOnLan(links);
  return links;
}

async function converged(clients: readonly HeadlessClient[], entries: number): Promise<void> {
  await waitFor(
    () => clients.every((c) => c.sync.snapshot.entries === entries && c.snapshot.status === 'synced'),
    20_000,
    `${entries} entries everywhere`,
  );
  for (const c of clients) await c.sync.whenIdle();
  expect(new Set(clients.map((c) => c.stateHash())).size).toBe(1);
}

describe('LAN sync with the usual relay down', () => {
  it('keeps two devices syncing through a LAN relay, and lets a third join through it', async () => {
    const usual = await relayOn('127.0.0.1');
    const ann = await device('Ann');
    const bo = await device('Bo');
    const invite = await ann.createGroup(usual.url, 'Flat 3B');
    await bo.join(invite);
    await ann.addExpense({ amount: 1200, description: 'Rice' });
    await bo.addExpense({ amount: 800, description: 'Tea' });
    await converged([ann, bo], 4);

    // The internet goes: the usual relay is gone for good.
    await usual.close();
    await waitFor(() => bo.snapshot.status === 'offline', 10_000, 'Bo offline');

    // Ann's laptop serves a LAN relay for her groups only, announced under a random id.
    const hub = new MemoryDiscoveryHub();
    const annNet = hub.discovery('127.0.0.2');
    const boNet = hub.discovery('127.0.0.3');
    cleanups.push(
      () => annNet.close(),
      () => boNet.close(),
    );
    const allow = new Map([[invite.groupId, hashToken(deriveRelayToken(invite.groupKey))]]);
    const lan = await relayOn('127.0.0.2', allow);
    expect(lan.url).toMatch(/^ws:\/\/127\.0\.0\.2:/);
    const serviceId = randomServiceId();
    await annNet.announce(serviceId, lan.port);
    // Ann's device also syncs through its own relay (it must feed it); Bo finds it by browsing.
    lanOf(ann, annNet);
    lanOf(bo, boNet);
    const lanId = lanTransportId(serviceId);
    expect(bo.sync.transportIds()).toEqual([lanId]);

    await ann.addExpense({ amount: 3000, description: 'Gas' });
    await bo.chat('paid the gas?');
    await converged([ann, bo], 6);
    const snap = bo.snapshot;
    expect(snap.status).toBe('synced');
    // The usual relay's trouble stays on its own row and does not block the group.
    expect(snap.problem).toBeUndefined();
    expect(snap.transports?.find((t) => t.id === USUAL_TRANSPORT)?.status).toBe('offline');
    expect(snap.transports?.find((t) => t.id === lanId)?.status).toBe('synced');
    // Who is on the other end comes from presence after connecting, not from the announcement.
    await waitFor(() => bo.sync.presenceVia(lanId).some((p) => p.name === 'Ann'), 10_000, 'Ann via the LAN');

    // A stranger on the network cannot use Ann's relay for another room.
    const stranger = await device('Stranger');
    const strangerNet = hub.discovery('127.0.0.4');
    cleanups.push(() => strangerNet.close());
    lanOf(stranger, strangerNet);
    await stranger.createGroup('ws://127.0.0.1:9', 'Elsewhere');
    await waitFor(
      () =>
        stranger.snapshot.transports
          ?.find((t) => t.id === lanId)
          ?.problem?.message.includes('does not serve') === true,
      10_000,
      'the stranger refused',
    );
    expect(lan.metrics().rejections.room_not_served).toBeGreaterThan(0);
    expect(lan.metrics().storedRooms).toBe(1);

    // A third device joins later, with only the LAN relay to talk to, and gets everything.
    const cy = await device('Cy');
    lanOf(cy, hub.discovery('127.0.0.5'));
    await cy.join(invite);
    await converged([ann, bo, cy], 7);
    expect(
      cy
        .state()
        .members.map((m) => m.name)
        .sort(),
    ).toEqual(['Ann', 'Bo', 'Cy']);
    expect(
      cy
        .state()
        .expenses.map((e) => e.data.description)
        .sort(),
    ).toEqual(['Gas', 'Rice', 'Tea']);
  }, 60_000);
});
