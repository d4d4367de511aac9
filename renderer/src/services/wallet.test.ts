// The app service end to end in Node: two devices, an in-process relay, the real core.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { DexieStore } from '../../../shared/sync/dexie-store';
import { MemoryNetwork } from '../../../shared/sync/memory-network';
import { MemoryStore } from '../../../shared/sync/memory-store';
import type { Store } from '../../../shared/sync/store';
import { readFirstLookFromIndexedDB } from '../boot/prefetch';
import { formatAppInvite, parseInvite } from '../lib/invite';
import type { FirstLook } from './firstLook';
import type { LanPeer } from '../../../shared/sync/lan-discovery';
import type { LanBridge } from './lanSync';
import { type WalletDeps, WalletService } from './wallet';

function device(
  network: MemoryNetwork,
  store: Store = new MemoryStore(),
  locked = false,
  extra: Partial<WalletDeps> = {},
) {
  let opened = 0;
  const notes: string[] = [];
  const deps: WalletDeps = {
    openStore: async () => {
      opened++;
      return store;
    },
    transport: () => network.transport,
    configuredRelay: async () => 'ws://relay.test:1234',
    protectSecret: async (secret) => ({ bytes: secret, wrapped: false }),
    unprotectSecret: async () => {
      throw new Error('not wrapped');
    },
    secretProtection: async () => false,
    notify: (title, body) => notes.push(`${title}: ${body}`),
    acquireWriterLock: async () => !locked,
    now: () => Date.now(),
    fallbackRelay: 'ws://fallback.test:1234',
    ...extra,
  };
  const wallet = new WalletService({ get: () => ({ relayUrl: '' }) }, deps);
  return { wallet, store, notes, opened: () => opened };
}

/** Lets the network, the sync queues and the fold timers run until everything is quiet. */
async function settle(network: MemoryNetwork, wallets: WalletService[]) {
  for (let i = 0; i < 20; i++) {
    network.deliverAll();
    for (const w of wallets) {
      for (const g of w.getSnapshot().groups) await w.session(g.id)!.sync.whenIdle();
    }
    await new Promise((r) => setTimeout(r, 30));
    if (network.queued === 0) return;
  }
}

describe('WalletService', () => {
  it('asks for an identity on first run, then remembers it across restarts', async () => {
    const network = new MemoryNetwork();
    const a = device(network);
    await a.wallet.start();
    expect(a.wallet.getSnapshot().phase).toBe('needs-identity');
    await expect(a.wallet.createIdentity('   ')).rejects.toMatchObject({ code: 'invalid_name' });
    expect(await a.store.getIdentity()).toBeUndefined();
    await a.wallet.createIdentity('Ann');
    const me = a.wallet.getSnapshot().me!;
    expect(me.name).toBe('Ann');

    const again = device(network, a.store);
    await again.wallet.start();
    expect(again.wallet.getSnapshot()).toMatchObject({ phase: 'ready', me });
  });

  it('refuses to start next to another tab that holds the writer lock', async () => {
    const other = device(new MemoryNetwork(), new MemoryStore(), true);
    await other.wallet.start();
    expect(other.wallet.getSnapshot().phase).toBe('locked');
    expect(other.opened()).toBe(0);
  });

  it('creates a group, invites a second device, and both see each other’s entries', async () => {
    const network = new MemoryNetwork();
    const a = device(network);
    const b = device(network);
    await a.wallet.start();
    await b.wallet.start();
    await a.wallet.createIdentity('Ann');
    await b.wallet.createIdentity('Bo');

    const groupId = await a.wallet.createGroup('Flat 3B', 'CNY');
    const link = formatAppInvite(a.wallet.invite(groupId)!);
    expect(link).toMatch(/^tally:\/\/join\?relay=ws%3A%2F%2Frelay\.test%3A1234&group=[0-9a-f]{32}#key=/);
    const invite = parseInvite(link);
    if (!invite.ok) throw invite.error;

    await b.wallet.joinGroup(invite.value);
    const bSession = b.wallet.session(groupId)!;
    // Before the history arrives the joiner cannot write.
    await expect(bSession.sendMessage('hi')).rejects.toMatchObject({ code: 'not_member' });
    await settle(network, [a.wallet, b.wallet]);

    const bState = bSession.getSnapshot();
    expect(bState.joined).toBe(true);
    expect(bState.state?.name).toBe('Flat 3B');
    expect(bState.state?.members.map((m) => m.name).sort()).toEqual(['Ann', 'Bo']);
    expect(b.wallet.getSnapshot().groups[0]).toMatchObject({ id: groupId, name: 'Flat 3B', currency: 'CNY' });

    const bo = b.wallet.getSnapshot().me!.id;
    const ann = a.wallet.getSnapshot().me!.id;
    await bSession.addExpense({
      description: 'Groceries',
      currency: 'CNY',
      amount: 18240,
      date: '2025-03-01',
      payers: [{ member: bo, amount: 18240 }],
      split: { mode: 'equal', members: [ann, bo] },
    });
    await bSession.sendMessage('bought food');
    await settle(network, [a.wallet, b.wallet]);

    const aSession = a.wallet.session(groupId)!;
    const aState = aSession.getSnapshot().state!;
    expect(aState.expenses.map((e) => e.data.description)).toEqual(['Groceries']);
    expect(aState.chat.map((c) => c.text)).toEqual(['bought food']);
    // Ann has not looked yet: Bo's join, expense and message are new to her.
    const arrivals = await aSession.arrivals();
    expect(arrivals.map((x) => x.author)).toEqual([bo, bo, bo]);
    // The badge count is refreshed shortly after changes (debounced).
    await vi.waitFor(() => expect(aSession.getSnapshot().unseen).toBe(3));
    await aSession.markSeen();
    expect(await aSession.arrivals()).toEqual([]);
    expect(aSession.getSnapshot().unseen).toBe(0);
  });

  it('turns a concurrent edit into a conflict and "keep this one" resolves it everywhere', async () => {
    const network = new MemoryNetwork();
    const a = device(network);
    const b = device(network);
    await Promise.all([a.wallet.start(), b.wallet.start()]);
    await a.wallet.createIdentity('Ann');
    await b.wallet.createIdentity('Bo');
    const groupId = await a.wallet.createGroup('Trip', 'EUR');
    await b.wallet.joinGroup(a.wallet.invite(groupId)!);
    await settle(network, [a.wallet, b.wallet]);
    const [sa, sb] = [a.wallet.session(groupId)!, b.wallet.session(groupId)!];
    const ann = a.wallet.getSnapshot().me!.id;
    const base = {
      description: 'Hotel',
      currency: 'EUR',
      amount: 30000,
      date: '2025-05-01',
      payers: [{ member: ann, amount: 30000 }],
      split: { mode: 'equal' as const, members: [ann] },
    };
    const id = await sa.addExpense(base);
    await settle(network, [a.wallet, b.wallet]);

    // Both edit the same version while "offline" (nothing delivered in between).
    const head = sa.sync.state.expenses[0]!.head;
    await sa.editExpense(id, head, { ...base, amount: 31000, payers: [{ member: ann, amount: 31000 }] });
    await sb.editExpense(id, head, { ...base, amount: 32000, payers: [{ member: ann, amount: 32000 }] });
    await settle(network, [a.wallet, b.wallet]);

    const conflict = sa.sync.state.conflicts.find((c) => !c.resolved)!;
    expect(conflict.kind).toBe('update-update');
    expect(sb.sync.state.conflicts.filter((c) => !c.resolved)).toHaveLength(1);
    const loser = conflict.versions.find((v) => v !== conflict.winner)!;
    const loserAmount = sa.sync.state.expenses[0]!.versions.find((v) => v.entryId === loser)!.data!.amount;

    await sa.keepVersion(conflict, loser);
    await settle(network, [a.wallet, b.wallet]);
    for (const s of [sa, sb]) {
      expect(s.sync.state.conflicts.every((c) => c.resolved)).toBe(true);
      expect(s.sync.state.expenses[0]!.data.amount).toBe(loserAmount);
    }
  });

  it('explains refused entries on the review screen', async () => {
    const network = new MemoryNetwork();
    const a = device(network);
    await a.wallet.start();
    await a.wallet.createIdentity('Ann');
    const groupId = await a.wallet.createGroup('Flat', 'CNY');
    const session = a.wallet.session(groupId)!;
    // Garbage written straight into the shared document, as a hostile peer could.
    network.hub.getMap('entries').set('f'.repeat(64), new Uint8Array([1, 2, 3]));
    await settle(network, [a.wallet]);
    const problems = await session.problems();
    expect(problems.map((p) => [p.kind, p.code])).toEqual([['rejected', 'key_mismatch']]);
    expect(session.getSnapshot().sync.rejected).toBe(1);
  });

  it('restores a backup on another device through the verifier, and refuses a tampered one whole', async () => {
    const a = device(new MemoryNetwork());
    let fastCryptoCalls = 0;
    const fastCrypto = async () => {
      fastCryptoCalls++;
    };
    // A different relay: only the backup connects them.
    const b = device(new MemoryNetwork(), new MemoryStore(), false, { fastCrypto });
    await Promise.all([a.wallet.start(), b.wallet.start()]);
    await a.wallet.createIdentity('Ann');
    await b.wallet.createIdentity('Bo');
    const groupId = await a.wallet.createGroup('Flat', 'CNY');
    const sa = a.wallet.session(groupId)!;
    await sa.sendMessage('first');
    await sa.sendMessage('second');
    const progress: string[] = [];
    const json = await sa.exportBackup((done, total) => progress.push(`${done}/${total}`));
    expect(progress).toEqual(['3/3']);

    await b.wallet.joinGroup(a.wallet.invite(groupId)!);
    const sb = b.wallet.session(groupId)!;
    const file = JSON.parse(json) as { entries: string[] };
    const last = file.entries[2]!;
    file.entries[2] = `${last.slice(0, -2)}${last.endsWith('00') ? '01' : '00'}`;
    await expect(sb.importBackup(JSON.stringify(file), () => {})).rejects.toMatchObject({
      code: 'backup_entry_invalid',
    });
    expect(sb.sync.state.entryCount).toBe(0);

    const report = await sb.importBackup(json, () => {});
    expect(report).toEqual({ added: 3, skipped: 0, rejected: 0 });
    await sb.sync.whenIdle();
    await vi.waitFor(() => expect(sb.getSnapshot().joined).toBe(true));
    expect(sb.sync.state.chat.map((c) => c.text)).toEqual(['first', 'second']);
    expect(await sb.importBackup(json, () => {})).toEqual({ added: 0, skipped: 3, rejected: 0 });
    // Each restore first asks for the fast cipher (offline there was no connection to load it with).
    expect(fastCryptoCalls).toBe(3);
  });

  describe('with the view cache (IndexedDB)', () => {
    const EXPENSE = {
      description: 'Rent',
      currency: 'CNY',
      amount: 300000,
      date: '2025-06-01',
      split: { mode: 'equal' as const, members: [] as string[] },
    };

    /** A background gate the test opens by hand: groups with a view stay unopened until then. */
    function heldGate() {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => {
        open = resolve;
      });
      return { idle: () => opened, open };
    }

    /** A profile with one group holding one expense, whose view has been saved. */
    async function profileWithView() {
      const indexedDB = new IDBFactory();
      const network = new MemoryNetwork();
      const store = () => new DexieStore({ name: 'tally', indexedDB, IDBKeyRange });
      const first = device(network, store());
      await first.wallet.start();
      await first.wallet.createIdentity('Ann');
      const groupId = await first.wallet.createGroup('Flat', 'CNY');
      const me = first.wallet.memberId!;
      await first.wallet.session(groupId)!.addExpense({
        ...EXPENSE,
        payers: [{ member: me, amount: EXPENSE.amount }],
        split: { mode: 'equal', members: [me] },
      });
      await first.wallet.stop();
      // The next start opens the group the slow way and caches its state as soon as it is idle.
      const second = device(network, store());
      await second.wallet.start();
      const db = store();
      // The first device may have cached an earlier state (before the expense): wait for this one.
      const stored = (await db.listEntries(groupId)).length;
      await vi.waitFor(async () => expect((await db.getView(groupId))?.entries).toBe(stored));
      await db.close();
      await second.wallet.stop();
      return { indexedDB, network, store, groupId, me };
    }

    it('shows the cached view at once, opens the group when the user pauses, and replaces the view with it', async () => {
      const { network, store, groupId } = await profileWithView();
      const gate = heldGate();
      const third = device(network, store(), false, { idle: gate.idle });
      const started = third.wallet.start();
      await vi.waitFor(() => expect(third.wallet.getSnapshot().phase).toBe('ready'));
      const session = third.wallet.session(groupId)!;
      const early = session.getSnapshot();
      expect(early.loading).toBe(true);
      expect(early.joined).toBe(true);
      expect(early.state?.expenses.map((e) => e.data.description)).toEqual(['Rent']);
      expect(third.wallet.getSnapshot().groups[0]).toMatchObject({
        id: groupId,
        name: 'Flat',
        currency: 'CNY',
      });
      expect(() => session.sync).toThrow(expect.objectContaining({ code: 'not_ready' }));

      gate.open();
      await started;
      const opened = session.getSnapshot();
      expect(opened.loading).toBe(false);
      expect(opened.state).toBe(session.sync.state);
      expect(opened.state).not.toBe(early.state);
      expect(opened.state).toEqual(early.state);
      await third.wallet.stop();
    });

    it('lets a write open the group at once instead of waiting for a pause', async () => {
      const { network, store, groupId, me } = await profileWithView();
      const gate = heldGate(); // never opened
      const third = device(network, store(), false, { idle: gate.idle });
      void third.wallet.start();
      await vi.waitFor(() => expect(third.wallet.getSnapshot().phase).toBe('ready'));
      const session = third.wallet.session(groupId)!;
      expect(session.getSnapshot().loading).toBe(true);
      await session.sendMessage('written before the group had opened');
      expect(session.getSnapshot().loading).toBe(false);
      expect(session.sync.state.chat.map((c) => c.text)).toEqual(['written before the group had opened']);
      expect(session.sync.state.expenses).toHaveLength(1);
      expect(session.sync.state.members.map((m) => m.id)).toEqual([me]);
      await third.wallet.stop();
    });

    it('ignores a view that no longer matches the stored entries', async () => {
      const { network, store, groupId } = await profileWithView();
      const db = store();
      const row = (await db.getView(groupId))!;
      await db.putView({ ...row, digest: `${row.digest}x` });
      await db.close();
      const gate = heldGate();
      const third = device(network, store(), false, { idle: gate.idle });
      const started = third.wallet.start();
      await vi.waitFor(() => expect(third.wallet.getSnapshot().phase).toBe('ready'));
      // Nothing trustworthy to show: the group opens at once, without waiting for the gate.
      await started;
      expect(third.wallet.session(groupId)!.getSnapshot()).toMatchObject({ loading: false });
      expect(third.wallet.session(groupId)!.getSnapshot().state?.expenses).toHaveLength(1);
      await third.wallet.stop();
    });

    it('starts from what the prefetch read, exactly as from the store', async () => {
      const { indexedDB, network, store, groupId } = await profileWithView();
      const firstLook: Promise<FirstLook | null> = readFirstLookFromIndexedDB(
        indexedDB,
        IDBKeyRange,
        'tally',
      );
      expect((await firstLook)?.groups[0]?.view).toBeDefined();
      const gate = heldGate();
      const third = device(network, store(), false, { idle: gate.idle, firstLook });
      const started = third.wallet.start();
      await vi.waitFor(() => expect(third.wallet.getSnapshot().phase).toBe('ready'));
      expect(third.wallet.getSnapshot().me?.name).toBe('Ann');
      expect(third.wallet.session(groupId)!.getSnapshot().state?.expenses).toHaveLength(1);
      gate.open();
      await started;
      await third.wallet.stop();
    });
  });
});

describe('WalletService: groups the relay cannot serve', () => {
  it('a joiner whose relay has no such group sees relay_has_no_group and can remove the group', async () => {
    const network = new MemoryNetwork();
    const b = device(network);
    await b.wallet.start();
    await b.wallet.createIdentity('Bo');
    // An invite for a group nobody ever created on this relay.
    const invite = parseInvite(
      `wallet://join?relay=ws%3A%2F%2Frelay.test%3A1234&group=${'ab'.repeat(16)}#key=${'A'.repeat(43)}`,
    );
    if (!invite.ok) throw invite.error;
    const groupId = await b.wallet.joinGroup(invite.value);
    await settle(network, [b.wallet]);
    const snap = b.wallet.session(groupId)!.getSnapshot();
    expect(snap.state).toBeNull(); // still "waiting for the history", now with a reason
    expect(snap.sync.phase).toBe('synced');
    expect(snap.sync.problem).toMatchObject({ code: 'relay_has_no_group' });
    expect(snap.error).toBeNull(); // said once, by the problem, not twice
    expect(b.wallet.getSnapshot().groups[0]?.sync.problem?.code).toBe('relay_has_no_group');

    await b.wallet.removeGroup(groupId);
    expect(b.wallet.session(groupId)).toBeUndefined();
    expect(b.wallet.getSnapshot().groups).toEqual([]);
    expect(await b.store.getGroup(groupId)).toBeUndefined();
    expect(await b.store.listGroups()).toEqual([]);
    expect(await b.store.getDocUpdates(groupId)).toEqual([]);
    await expect(b.wallet.removeGroup(groupId)).rejects.toMatchObject({ code: 'unknown_group' });
    await b.wallet.stop();
  });

  it('the creator of a group never sees relay_has_no_group', async () => {
    const network = new MemoryNetwork();
    const a = device(network);
    await a.wallet.start();
    await a.wallet.createIdentity('Ann');
    const groupId = await a.wallet.createGroup('Flat', 'EUR');
    await settle(network, [a.wallet]);
    const snap = a.wallet.session(groupId)!.getSnapshot();
    expect(snap.sync.phase).toBe('synced');
    expect(snap.sync.problem).toBeUndefined();
    await a.wallet.stop();
  });

  it('syncs shared groups through LAN relays the desktop finds, and names who is on the other end', async () => {
    const network = new MemoryNetwork();
    const lanNet = new MemoryNetwork();
    const lanBridge = () => {
      let push: ((peers: readonly LanPeer[]) => void) | undefined;
      const rooms: string[][] = [];
      const bridge: LanBridge = {
        onPeers: (listener) => {
          push = listener;
          return () => {};
        },
        setRooms: (r) => rooms.push(r.map((x) => x.groupId)),
      };
      return { bridge, rooms, push: (peers: readonly LanPeer[]) => push!(peers) };
    };
    const transport = (url: string) =>
      url.startsWith('ws://192.168.') ? lanNet.transport : network.transport;
    const lanA = lanBridge();
    const lanB = lanBridge();
    const a = device(network, new MemoryStore(), false, { lan: lanA.bridge, transport });
    const b = device(network, new MemoryStore(), false, { lan: lanB.bridge, transport });
    await a.wallet.start();
    await b.wallet.start();
    await a.wallet.createIdentity('Ann');
    await b.wallet.createIdentity('Bo');
    const groupId = await a.wallet.createGroup('Flat 3B', 'CNY');
    const invite = parseInvite(formatAppInvite(a.wallet.invite(groupId)!));
    if (!invite.ok) throw invite.error;
    await b.wallet.joinGroup(invite.value);
    await settle(network, [a.wallet, b.wallet]);
    // Each app told its desktop which groups its LAN relay may serve (LanSync loads lazily).
    await vi.waitFor(() => expect(lanA.rooms.at(-1)).toEqual([groupId]));
    await vi.waitFor(() => expect(lanB.rooms.at(-1)).toEqual([groupId]));

    // Ann's laptop serves the LAN relay; both apps sync through it, then the internet goes.
    const peer = { serviceId: 'a'.repeat(32), url: 'ws://192.168.1.5:6100' };
    lanA.push([peer]);
    lanB.push([peer]);
    await vi.waitFor(() => expect(b.wallet.session(groupId)!.sync.transportIds()).toHaveLength(1));
    await vi.waitFor(() => expect(a.wallet.session(groupId)!.sync.transportIds()).toHaveLength(1));
    a.wallet.session(groupId)!.sync.disconnect();
    b.wallet.session(groupId)!.sync.disconnect();
    await settle(lanNet, [a.wallet, b.wallet]);
    await vi.waitFor(() => {
      const view = b.wallet.session(groupId)!.getSnapshot().sync;
      expect(view.phase).toBe('synced');
      expect(view.lanPeer).toBe('Ann');
    });
    await a.wallet.stop();
    await b.wallet.stop();
  });
});
