/**
 * The device-linking ceremony (docs/protocol.md §16) headless, against a real relay: the link
 * room carries only ciphertext, the new device gets a certificate for its own key and the groups,
 * then writes into a group as the person through the same relay. Declined, reused and expired
 * links end in typed errors with nothing granted.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type signDeviceCertificate, verifyDeviceCertificate } from '../shared/crypto/device-cert';
import { generateGroupId, generateGroupKey } from '../shared/crypto/group-key';
import { bytesToHex, hexToBytes } from '../shared/crypto/hash';
import { generateIdentity, type Identity, memberIdOf } from '../shared/crypto/identity';
import { acceptLink, type LinkRequest, offerLink } from '../shared/link/link-ceremony';
import { type DeviceLink, newDeviceLink } from '../shared/link/link-code';
import { GroupSync } from '../shared/sync/group-sync';
import { MemoryStore } from '../shared/sync/memory-store';
import { websocketTransport } from '../shared/sync/websocket-transport';
import { relayTestKit } from './relay-test-kit';
import { waitFor } from './test-support';

const kit = relayTestKit('link');

const transportTo = (url: string) =>
  websocketTransport(url, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    maxBackoffTime: 200,
  });

/** A link that expires soon, so that the failure cases end quickly. */
const shortLink = (relay: string, ms: number): DeviceLink => ({
  ...newDeviceLink(relay, Date.now()),
  expires: Date.now() + ms,
});

async function openSync(
  url: string,
  group: { id: string; key: Uint8Array },
  identity: Identity,
  extra: { certificate?: ReturnType<typeof signDeviceCertificate> } = {},
): Promise<GroupSync> {
  const sync = await GroupSync.open({
    groupId: group.id,
    groupKey: group.key,
    identity,
    store: new MemoryStore(),
    foldDelayMs: 0,
    scheduleDocLoad: (load) => load(),
    ...extra,
  });
  kit.defer(() => sync.close());
  sync.connect(transportTo(url));
  return sync;
}

describe('linking a device through a real relay', () => {
  it('grants a certificate and the groups; the new device then writes as the person', async () => {
    const relay = await kit.relay();
    const person = generateIdentity();
    const group = { id: generateGroupId(), key: generateGroupKey() };
    const desk = await openSync(relay.url, group, person);
    await desk.append({ type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'Ann' });

    const link = shortLink(relay.url, 20_000);
    const asked: LinkRequest[] = [];
    const device = generateIdentity();
    const [offered, grant] = await Promise.all([
      offerLink({
        link,
        transport: transportTo(relay.url),
        now: Date.now,
        person,
        displayName: 'Ann',
        groups: () => [{ id: group.id, key: bytesToHex(group.key), relay: relay.url, name: 'Flat' }],
        confirm: async (request) => {
          asked.push(request);
          return true;
        },
      }),
      acceptLink({ link, transport: transportTo(relay.url), now: Date.now, device, name: 'Laptop 2' }),
    ]);
    expect(asked).toEqual([{ device: memberIdOf(device.publicKey), name: 'Laptop 2' }]);
    expect(grant.certificate).toEqual(offered.certificate);
    expect(grant.certificate).toMatchObject({
      person: memberIdOf(person.publicKey),
      device: memberIdOf(device.publicKey),
    });
    expect(verifyDeviceCertificate(grant.certificate)).toBe(true);
    expect(grant.displayName).toBe('Ann');
    expect(grant.groups).toEqual([
      { id: group.id, key: bytesToHex(group.key), relay: relay.url, name: 'Flat' },
    ]);

    // The new device uses what it was granted: the group key and its certificate, never the identity secret.
    const g = grant.groups[0]!;
    const laptop = await openSync(g.relay, { id: g.id, key: hexToBytes(g.key) }, device, {
      certificate: grant.certificate,
    });
    await waitFor(() => laptop.state.members.length === 1, 10_000, 'the laptop sees the group');
    const A = memberIdOf(person.publicKey);
    await laptop.append({ type: 'chat.message', text: 'hello from the laptop' });
    await waitFor(() => desk.state.chat.length === 1, 10_000, 'the desk sees the laptop’s message');
    expect(desk.state.chat[0]!.author).toBe(A);
    expect(desk.state.devices).toEqual([
      expect.objectContaining({ device: memberIdOf(device.publicKey), person: A, name: 'Laptop 2' }),
    ]);
    expect(desk.state.ignored).toEqual([]);
  });

  it('grants nothing when the user declines, and tells the new device', async () => {
    const relay = await kit.relay();
    const link = shortLink(relay.url, 2_500);
    const common = { link, transport: transportTo(relay.url), now: Date.now };
    const [offer, accept] = await Promise.allSettled([
      offerLink({
        ...common,
        person: generateIdentity(),
        displayName: 'Ann',
        groups: () => [],
        confirm: async () => false,
      }),
      acceptLink({ ...common, device: generateIdentity(), name: 'Laptop 2' }),
    ]);
    expect(offer.status === 'rejected' && offer.reason.code).toBe('link_declined');
    expect(accept.status === 'rejected' && accept.reason.code).toBe('link_declined');
  });

  it('answers one request per link: a second device gets nothing', async () => {
    const relay = await kit.relay();
    const link = shortLink(relay.url, 4_000);
    const common = { link, transport: transportTo(relay.url), now: Date.now };
    const offer = offerLink({
      ...common,
      person: generateIdentity(),
      displayName: 'Ann',
      groups: () => [],
      confirm: async () => true,
    });
    const first = await acceptLink({ ...common, device: generateIdentity(), name: 'Laptop 2' });
    await offer;
    expect(first.certificate.name).toBe('Laptop 2');
    const second = acceptLink({ ...common, device: generateIdentity(), name: 'Thief' });
    await expect(second).rejects.toMatchObject({ code: expect.stringMatching(/^link_(expired|used)$/) });
  });

  it('stops waiting when cancelled, closes its channel and grants nothing', async () => {
    const relay = await kit.relay();
    const link = shortLink(relay.url, 10_000);
    let destroyed = 0;
    const inner = transportTo(relay.url);
    const transport: typeof inner = (ctx) => {
      const t = inner(ctx);
      return {
        destroy() {
          destroyed++;
          t.destroy();
        },
      };
    };
    const controller = new AbortController();
    const accept = () =>
      acceptLink({
        link,
        transport,
        now: Date.now,
        device: generateIdentity(),
        name: 'Laptop 2',
        signal: controller.signal,
      });
    const waiting = accept();
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'link_cancelled' });
    expect(Date.now() - started).toBeLessThan(1_000); // at once, not when the link expires
    expect(destroyed).toBe(1);
    // Already cancelled: refused before anything connects.
    await expect(accept()).rejects.toMatchObject({ code: 'link_cancelled' });
    expect(destroyed).toBe(1);
  });

  it('refuses an expired link at once, without touching the relay', async () => {
    const link = { ...newDeviceLink('ws://127.0.0.1:9', 0), expires: Date.now() - 1 };
    let connected = false;
    const transport = () => {
      connected = true;
      return { destroy() {} };
    };
    await expect(
      acceptLink({ link, transport, now: Date.now, device: generateIdentity(), name: 'Laptop 2' }),
    ).rejects.toMatchObject({ code: 'link_expired' });
    expect(connected).toBe(false);
  });
});
