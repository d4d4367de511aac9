// Linking a second device through the app service, in Node: real core, in-process networks.
import { describe, expect, it } from 'vitest';
import { MemoryNetwork } from '../../../shared/sync/memory-network';
import { MemoryStore } from '../../../shared/sync/memory-store';
import type { TransportFactory } from '../../../shared/sync/transport';
import { parseInvite } from '../lib/invite';
import { formatAppInvite } from '../lib/invite';
import { devicesOf, type LinkRequest, linkThisDevice, offerDeviceLink, unlinkDevice } from './deviceLinking';
import { type WalletDeps, WalletService } from './wallet';

/** One MemoryNetwork per room, as a relay keeps rooms apart; `pump` delivers everything. */
function rooms() {
  const networks = new Map<string, MemoryNetwork>();
  const transport: TransportFactory = (ctx) => {
    let n = networks.get(ctx.groupId);
    if (!n) {
      n = new MemoryNetwork();
      networks.set(ctx.groupId, n);
    }
    return n.transport(ctx);
  };
  let paused = false;
  const pump = setInterval(() => {
    if (!paused) for (const n of networks.values()) n.deliverAll();
  }, 5);
  return {
    transport,
    stop: () => clearInterval(pump),
    /** While paused nothing is delivered: every device is offline. */
    pause: (value: boolean) => {
      paused = value;
    },
  };
}

function device(transport: TransportFactory, store = new MemoryStore()) {
  const deps: WalletDeps = {
    openStore: async () => store,
    transport: () => transport,
    configuredRelay: async () => 'ws://relay.test:1234',
    protectSecret: async (secret) => ({ bytes: secret, wrapped: false }),
    unprotectSecret: async () => {
      throw new Error('not wrapped');
    },
    secretProtection: async () => false,
    notify: () => {},
    acquireWriterLock: async () => true,
    now: () => Date.now(),
    fallbackRelay: 'ws://fallback.test:1234',
  };
  return new WalletService({ get: () => ({ relayUrl: '' }) }, deps);
}

/**
 * Runs `body` with wallets started on `stores.length` devices (fresh stores where undefined),
 * all reaching each other through per-room networks; stops everything afterwards.
 */
async function scenario(
  stores: readonly (MemoryStore | undefined)[],
  body: (wallets: WalletService[], net: ReturnType<typeof rooms>) => Promise<void>,
): Promise<void> {
  const net = rooms();
  const wallets = stores.map((store) => device(net.transport, store));
  try {
    for (const w of wallets) await w.start();
    await body(wallets, net);
  } finally {
    for (const w of wallets) await w.stop();
    net.stop();
  }
}

/** Ann's first device (with a group `Flat` when `withGroup`) and a second one linked to her. */
async function linkedPair(desk: WalletService, laptop: WalletService, withGroup = false) {
  await desk.createIdentity('Ann');
  const groupId = withGroup ? await desk.createGroup('Flat', 'CNY') : '';
  const asked: LinkRequest[] = [];
  const offer = await offerDeviceLink(desk, async (r) => {
    asked.push(r);
    return true;
  });
  await linkThisDevice(laptop, offer.text, 'Laptop 2');
  return { ann: desk.getSnapshot().me!.id, groupId, offer, outcome: await offer.done, asked };
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const expense = (me: string, amount: number) => ({
  description: `Item ${amount}`,
  currency: 'CNY',
  amount,
  date: '2025-03-01',
  payers: [{ member: me, amount }],
  split: { mode: 'equal' as const, members: [me] },
});

describe('linking a device in the app', () => {
  it('links by the link text, writes as the person, lists the device and unlinks it', () =>
    scenario([undefined, undefined], async ([desk, laptop]) => {
      expect(laptop!.getSnapshot().phase).toBe('needs-identity');
      const { ann, groupId, offer, outcome, asked } = await linkedPair(desk!, laptop!, true);
      expect(offer.text).toMatch(
        /^tally:\/\/link\?relay=ws%3A%2F%2Frelay\.test%3A1234&expires=\d+#secret=[0-9a-f]{64}$/,
      );
      expect(asked.map((r) => r.name)).toEqual(['Laptop 2']);
      expect(outcome.certificate.person).toBe(ann);

      // "You" is the person on both devices; the laptop has the group and its own key.
      expect(laptop!.getSnapshot()).toMatchObject({ phase: 'ready', me: { id: ann, name: 'Ann' } });
      expect(laptop!.certificate?.device).toBe(outcome.request.device);
      const session = laptop!.session(groupId)!;
      await until(() => session.getSnapshot().joined, 'the laptop to see the group');
      const deskSession = desk!.session(groupId)!;
      // The laptop announces itself as soon as it has the group's history.
      await until(() => deskSession.state?.devices?.length === 1, 'the desk to list the laptop');
      await session.addExpense(expense(ann, 1200));
      await until(() => deskSession.state?.expenses.length === 1, 'the desk to see the expense');
      expect(deskSession.state!.expenses[0]!.createdBy).toBe(ann);
      expect(deskSession.state!.members.map((m) => m.id)).toEqual([ann]);
      expect(deskSession.state!.ignored).toEqual([]);

      const devices = deskSession.state!.devices ?? [];
      const rows = devicesOf(ann, [{ id: groupId, devices }], desk!.certificate);
      expect(rows).toMatchObject([{ device: outcome.request.device, name: 'Laptop 2', groups: [groupId] }]);
      // A linked device cannot link further devices: it has no identity secret.
      await expect(offerDeviceLink(laptop!, async () => true)).rejects.toMatchObject({
        code: 'not_person_device',
      });

      await unlinkDevice(desk!, rows[0]!);
      await until(
        () => session.state?.devices?.[0]?.unlinkedBy !== undefined,
        'the laptop to see the unlink',
      );
      await session.addExpense(expense(ann, 99));
      await until(() => (deskSession.state?.ignored.length ?? 0) === 1, 'the desk to ignore the late write');
      expect(deskSession.state!.ignored[0]!.code).toBe('device_unlinked');
      expect(deskSession.state!.expenses).toHaveLength(1);
    }));

  it('a group created on the linked device is joined by the first device as the same person', () =>
    scenario([undefined, undefined], async ([desk, laptop]) => {
      const { ann } = await linkedPair(desk!, laptop!);
      const groupId = await laptop!.createGroup('Trip', 'CNY');
      const invite = parseInvite(formatAppInvite(laptop!.invite(groupId)!));
      if (!invite.ok) throw invite.error;
      await desk!.joinGroup(invite.value);
      const deskSession = desk!.session(groupId)!;
      await until(() => deskSession.getSnapshot().joined, 'the desk to see the group');
      await until(
        () => deskSession.sync.entries().some((e) => e.header.author === ann),
        'the desk key to open its chain',
      );
      await deskSession.addExpense(expense(ann, 500));
      const laptopSession = laptop!.session(groupId)!;
      await until(() => laptopSession.state?.expenses.length === 1, 'the laptop to see the desk’s expense');
      for (const s of [deskSession.state!, laptopSession.state!]) {
        expect(s.createdBy).toBe(ann);
        expect(s.members.map((m) => m.id)).toEqual([ann]);
        expect(s.ignored).toEqual([]);
      }
    }));

  it('linked after the group key changed: the grant carries the rotated key, stored with the group', () => {
    const laptopStore = new MemoryStore();
    return scenario([undefined, laptopStore], async ([desk, laptop]) => {
      await desk!.createIdentity('Ann');
      const groupId = await desk!.createGroup('Flat', 'CNY');
      const deskSession = desk!.session(groupId)!;
      await deskSession.rotateKey();
      expect(deskSession.state!.keys?.epoch).toBe(1);
      await deskSession.sendMessage('under the new key');

      const offer = await offerDeviceLink(desk!, async () => true);
      await linkThisDevice(laptop!, offer.text, 'Laptop 2');
      await offer.done;
      const stored = (await laptopStore.listGroups()).find((g) => g.id === groupId);
      expect(stored?.epochKeys).toHaveLength(1);
      // The laptop's session was opened from that stored record (wallet #attachSync).
      const session = laptop!.session(groupId)!;
      await until(() => session.state?.chat.length === 1, 'the laptop to read the epoch 1 message');
      expect(session.unreadableCount).toBe(0);
      await session.sendMessage('from the laptop');
      await until(() => deskSession.state?.chat.length === 2, 'the desk to read the laptop');
      expect(deskSession.state!.chat[1]).toMatchObject({
        text: 'from the laptop',
        author: deskSession.state!.createdBy,
      });
      expect(deskSession.state!.ignored).toEqual([]);
    });
  });

  it('refuses a damaged or expired link with a typed error and stores nothing', () =>
    scenario([undefined], async ([laptop]) => {
      await expect(linkThisDevice(laptop!, 'tally://join?x', 'Laptop')).rejects.toMatchObject({
        code: 'link_format',
      });
      const old = `tally://link?relay=ws%3A%2F%2Fr&expires=1#secret=${'07'.repeat(32)}`;
      await expect(linkThisDevice(laptop!, old, 'Laptop')).rejects.toMatchObject({ code: 'link_expired' });
      await expect(linkThisDevice(laptop!, old, ' ')).rejects.toMatchObject({ code: 'invalid_name' });
      expect(laptop!.getSnapshot().phase).toBe('needs-identity');
    }));

  it('restores an identity as a new device: the old device writes on, nothing forks', () => {
    const deskStore = new MemoryStore();
    return scenario([deskStore, undefined], async ([desk, restored], net) => {
      await desk!.createIdentity('Ann');
      const groupId = await desk!.createGroup('Flat', 'CNY');
      const ann = desk!.getSnapshot().me!.id;
      // The backup holds the identity secret (unwrapped in this test).
      const secret = (await deskStore.getIdentity())!.secretKey;
      await restored!.restoreIdentity(secret, 'Ann', 'Restored laptop');
      expect(restored!.getSnapshot().me).toEqual({ id: ann, name: 'Ann' });
      expect(restored!.certificate).toMatchObject({ person: ann, name: 'Restored laptop' });
      const invite = parseInvite(formatAppInvite(desk!.invite(groupId)!));
      if (!invite.ok) throw invite.error;
      await restored!.joinGroup(invite.value);
      const mine = restored!.session(groupId)!;
      const theirs = desk!.session(groupId)!;
      await until(() => theirs.state?.devices?.length === 1, 'the desk to see the restored device');

      // Both write while offline: with one shared key this was a fork that dropped entries.
      net.pause(true);
      for (let i = 1; i <= 3; i++) {
        await theirs.addExpense(expense(ann, 100 * i));
        await mine.addExpense(expense(ann, 1000 * i));
      }
      net.pause(false);
      await until(
        () => theirs.state?.expenses.length === 6 && mine.state?.expenses.length === 6,
        'both devices to hold every expense',
      );
      for (const s of [theirs.state!, mine.state!]) {
        expect(s.ignored).toEqual([]);
        expect(s.members.map((m) => m.id)).toEqual([ann]);
        expect(new Set(s.expenses.map((e) => e.createdBy))).toEqual(new Set([ann]));
      }
      // No author has two entries with one seq.
      const keys = theirs.sync.entries().map((e) => `${e.header.author}/${e.header.seq}`);
      expect(new Set(keys).size).toBe(keys.length);
    });
  });
});
