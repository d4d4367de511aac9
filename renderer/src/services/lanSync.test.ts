/**
 * The renderer's LAN sync with real GroupSyncs: relays pushed by the desktop become extra
 * transports of every open group, the groups served are sent back as token hashes, and the sync
 * status names the member on the other end.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveRelayToken } from '../../../shared/crypto/group-key';
import { type LanPeer, randomServiceId } from '../../../shared/sync/lan-discovery';
import { lanTag, lanTagKey } from '../../../shared/sync/lan-tags';
import { MemoryNetwork } from '../../../shared/sync/memory-network';
import { closeAll, createGroup, type Replica, settle } from '../../../shared/sync/sync-testkit';
import { type LanBridge, type LanNearbyRelay, LanSync, tokenHashOf } from './lanSync';
import { lanPeerName } from './syncView';

class FakeBridge implements LanBridge {
  listener: ((peers: readonly LanPeer[]) => void) | undefined;
  nearby: ((nearby: readonly LanNearbyRelay[]) => void) | undefined;
  rooms: Array<readonly { groupId: string; tokenHash: string; tagKey: string }[]> = [];
  onNearby(listener: (nearby: readonly LanNearbyRelay[]) => void) {
    this.nearby = listener;
    return () => {
      this.nearby = undefined;
    };
  }
  onPeers(listener: (peers: readonly LanPeer[]) => void) {
    this.listener = listener;
    return () => {
      this.listener = undefined;
    };
  }
  setRooms(rooms: readonly { groupId: string; tokenHash: string; tagKey: string }[]) {
    this.rooms.push(rooms);
  }
}

let open: Replica[] = [];
afterEach(async () => {
  await closeAll(open);
  open = [];
});

describe('LanSync', () => {
  it('hashes the relay token as the relay stores it', () => {
    const key = new Uint8Array(32).fill(7);
    const expected = createHash('sha256')
      .update(Buffer.from(deriveRelayToken(key), 'hex'))
      .digest('hex');
    expect(tokenHashOf(key)).toBe(expected);
  });

  it('adds LAN relays to open groups, serves their rooms, and shows who is on the other end', async () => {
    const relay = new MemoryNetwork();
    const lan = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(relay, ['Ann', 'Bo']);
    open = replicas;
    const [ann, bo] = replicas as [Replica, Replica];
    // Ann's laptop is on the LAN relay already; Bo's app learns of it from the desktop.
    ann.sync.addTransport('lan:aa', lan.transport);
    const bridge = new FakeBridge();
    const urls: string[] = [];
    const lanSync = new LanSync(bridge, async (url) => {
      urls.push(url);
      return lan.transport;
    });
    lanSync.attach(secrets.groupId, secrets.groupKey, bo.sync);
    expect(bridge.rooms.at(-1)).toEqual([
      {
        groupId: secrets.groupId,
        tokenHash: tokenHashOf(secrets.groupKey),
        tagKey: lanTagKey(secrets.groupKey),
      },
    ]);

    bridge.listener!([{ serviceId: 'a'.repeat(32), url: 'ws://192.168.1.5:6100' }]);
    await lanSync.settled();
    expect(bo.sync.transportIds()).toEqual([`lan:${'a'.repeat(32)}`]);
    expect(urls).toEqual(['ws://192.168.1.5:6100']);
    // The usual relay goes; the LAN carries on.
    ann.sync.disconnect();
    bo.sync.disconnect();
    await settle(lan, replicas);
    expect(lanPeerName(bo.sync.snapshot, (id) => bo.sync.presenceVia(id))).toBe('Ann');

    // The relay disappears from the network: its transport goes.
    bridge.listener!([]);
    await lanSync.settled();
    expect(bo.sync.transportIds()).toEqual([]);
    expect(lanPeerName(bo.sync.snapshot, (id) => bo.sync.presenceVia(id))).toBeUndefined();

    lanSync.detach(secrets.groupId);
    expect(bridge.rooms.at(-1)).toEqual([]);
    lanSync.stop();
    expect(bridge.listener).toBeUndefined();
  });

  it("finds the open groups whose members' devices announce themselves nearby, and only those", async () => {
    const relay = new MemoryNetwork();
    const first = await createGroup(relay, ['Ann']);
    const second = await createGroup(new MemoryNetwork(), ['Cy']);
    open = [...first.replicas, ...second.replicas];
    const bridge = new FakeBridge();
    const lanSync = new LanSync(bridge, async () => relay.transport);
    const seen: (readonly string[])[] = [];
    const off = lanSync.onNearbyGroups((ids) => seen.push(ids));
    lanSync.attach(first.secrets.groupId, first.secrets.groupKey, first.replicas[0]!.sync);
    lanSync.attach(second.secrets.groupId, second.secrets.groupKey, second.replicas[0]!.sync);
    expect(lanSync.nearbyGroups()).toEqual([]);

    // A device holding the first group announces its tag; a stranger announces junk.
    const service = randomServiceId();
    bridge.nearby!([
      { serviceId: service, tags: [lanTag(lanTagKey(first.secrets.groupKey), service)] },
      { serviceId: randomServiceId(), tags: ['0123456789ab'] },
    ]);
    expect(lanSync.nearbyGroups()).toEqual([first.secrets.groupId]);
    expect(seen.at(-1)).toEqual([first.secrets.groupId]);
    // A tag copied into another announcement does not match there.
    bridge.nearby!([
      { serviceId: randomServiceId(), tags: [lanTag(lanTagKey(first.secrets.groupKey), service)] },
    ]);
    expect(lanSync.nearbyGroups()).toEqual([]);
    off();
    lanSync.stop();
    expect(bridge.nearby).toBeUndefined();
  });
});
