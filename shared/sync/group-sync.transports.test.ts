/**
 * GroupSync over several transports at once: the usual relay plus a LAN relay, both played by
 * MemoryNetworks. One document over two providers, per-transport status and presence, and the
 * usual relay's problems not blocking a sync that works over the LAN.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stateHash } from '../ledger/state-hash';
import { USUAL_TRANSPORT } from './group-sync';
import { MemoryNetwork } from './memory-network';
import { closeAll, createGroup, openReplica, type Replica, settle } from './sync-testkit';
import type { Transport, TransportError, TransportFactory } from './transport';

const expense = (member: string, amount: number) => ({
  type: 'expense.created' as const,
  expense: {
    description: 'Rice',
    currency: 'CNY',
    amount,
    date: '2025-03-01',
    payers: [{ member, amount }],
    split: { mode: 'equal' as const, members: [member] },
  },
});

/** A usual relay that cannot be reached (the internet is down), or that refuses with `error`. */
function downRelay(error: TransportError): TransportFactory {
  return (ctx): Transport => {
    ctx.onStatus('connecting');
    ctx.onStatus('disconnected');
    ctx.onError(error);
    return { destroy: () => ctx.onStatus('disconnected') };
  };
}

/** Settles several networks until none has anything in flight. */
async function settleAll(networks: readonly MemoryNetwork[], replicas: readonly Replica[]): Promise<void> {
  for (let round = 0; round < 100; round++) {
    for (const n of networks) await settle(n, replicas);
    if (networks.every((n) => n.queued === 0)) return;
  }
  throw new Error('the networks never settled');
}

let open: Replica[] = [];
afterEach(async () => {
  await closeAll(open);
  open = [];
});

describe('GroupSync with extra transports', () => {
  it('keeps syncing over the LAN while the usual relay is down, and says which transport works', async () => {
    const relay = new MemoryNetwork();
    const lan = new MemoryNetwork();
    const { replicas } = await createGroup(relay, ['Ann', 'Bo']);
    open = replicas;
    const [ann, bo] = replicas as [Replica, Replica];
    for (const r of replicas) r.sync.addTransport('lan:1', lan.transport);
    await settleAll([relay, lan], replicas);

    // The internet goes: both usual relays become unreachable.
    const unreachable: TransportError = { code: 'unreachable', message: 'Cannot reach the relay' };
    for (const r of replicas) r.sync.connect(downRelay(unreachable));
    await ann.sync.append(expense(ann.sync.memberId, 1200));
    await bo.sync.append(expense(bo.sync.memberId, 3400));
    await settleAll([lan], replicas);

    expect(stateHash(ann.sync.state)).toBe(stateHash(bo.sync.state));
    expect(ann.sync.state.expenses).toHaveLength(2);
    const snap = bo.sync.snapshot;
    expect(snap.status).toBe('synced');
    // The relay's problem stays on its own row; it does not block the group.
    expect(snap.problem).toBeUndefined();
    expect(snap.lastError).toBeUndefined();
    expect(snap.transports).toEqual([
      {
        id: USUAL_TRANSPORT,
        status: 'offline',
        problem: { code: 'unreachable', message: unreachable.message },
      },
      { id: 'lan:1', status: 'synced' },
    ]);
  });

  it("shows the usual relay's problem while no other transport has synced, and not after", async () => {
    const relay = new MemoryNetwork();
    const lan = new MemoryNetwork();
    const { replicas } = await createGroup(relay, ['Ann', 'Bo']);
    open = replicas;
    const [, bo] = replicas as [Replica, Replica];
    const busy: TransportError = { code: 'relay_busy', message: 'busy', retryAt: 123_000, closeCode: 4503 };
    bo.sync.connect(downRelay(busy));
    bo.sync.addTransport('lan:1', lan.transport);
    // Connected to the LAN, first exchange not delivered yet.
    expect(bo.sync.snapshot.status).toBe('syncing');
    expect(bo.sync.snapshot.problem).toEqual({ code: 'relay_busy', message: 'busy', retryAt: 123_000 });
    for (const r of replicas.slice(0, 1)) r.sync.addTransport('lan:1', lan.transport);
    await settleAll([lan, relay], replicas);
    expect(bo.sync.snapshot.status).toBe('synced');
    expect(bo.sync.snapshot.problem).toBeUndefined();
    expect(bo.sync.snapshot.transports?.[0]?.problem?.code).toBe('relay_busy');
    // The LAN goes away: the relay's problem is the group's again.
    expect(bo.sync.removeTransport('lan:1')).toBe(true);
    expect(bo.sync.snapshot.transports).toBeUndefined();
    expect(bo.sync.snapshot.problem?.code).toBe('relay_busy');
    expect(bo.sync.snapshot.status).toBe('offline');
  });

  it('keeps presence per transport: the usual relay dropping does not hide the LAN peer', async () => {
    const relay = new MemoryNetwork();
    const lan = new MemoryNetwork();
    const { replicas } = await createGroup(relay, ['Ann', 'Bo']);
    open = replicas;
    const [ann, bo] = replicas as [Replica, Replica];
    for (const r of replicas) r.sync.addTransport('lan:1', lan.transport);
    await settleAll([relay, lan], replicas);
    expect(bo.sync.presenceVia('lan:1').map((p) => p.name)).toEqual(['Ann']);
    expect(bo.sync.presenceVia(USUAL_TRANSPORT).map((p) => p.name)).toEqual(['Ann']);
    expect(bo.sync.presence().map((p) => p.name)).toEqual(['Ann']);

    let heard = 0;
    const off = bo.sync.onPresence(() => heard++);
    // The usual relay drops (both devices lose it): the LAN still shows Ann.
    ann.sync.disconnect();
    bo.sync.disconnect();
    await settleAll([relay, lan], replicas);
    expect(bo.sync.presenceVia(USUAL_TRANSPORT)).toEqual([]);
    expect(bo.sync.presenceVia('lan:1').map((p) => p.name)).toEqual(['Ann']);
    expect(bo.sync.presence().map((p) => p.name)).toEqual(['Ann']);

    // Typing travels over the LAN too.
    ann.sync.setTyping(true);
    await settleAll([lan], replicas);
    expect(bo.sync.presenceVia('lan:1')[0]?.typing).toBe(true);

    // Ann's LAN transport goes: she is gone from Bo's view, and listeners heard about it.
    heard = 0;
    ann.sync.removeTransport('lan:1');
    await settleAll([lan], replicas);
    expect(bo.sync.presence()).toEqual([]);
    expect(heard).toBeGreaterThan(0);
    off();
    expect(bo.sync.presenceVia('nope')).toEqual([]);
  });

  it('lets a device join through the LAN alone and get the whole history', async () => {
    const relay = new MemoryNetwork();
    const lan = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(relay, ['Ann', 'Bo']);
    open = replicas;
    const [ann, bo] = replicas as [Replica, Replica];
    for (let i = 0; i < 5; i++) await ann.sync.append(expense(ann.sync.memberId, 100 + i));
    await settle(relay, replicas);
    ann.sync.addTransport('lan:1', lan.transport);
    await settleAll([lan], replicas);
    ann.sync.disconnect();
    bo.sync.disconnect();

    const cy = await openReplica(secrets, 'Cy');
    open.push(cy);
    cy.sync.connect(downRelay({ code: 'unreachable', message: 'down' }));
    cy.sync.addTransport('lan:1', lan.transport);
    await settleAll([lan], open);
    expect(cy.sync.snapshot.status).toBe('synced');
    await cy.sync.append({ type: 'member.joined', name: 'Cy' });
    await settleAll([lan], open);
    expect(stateHash(cy.sync.state)).toBe(stateHash(ann.sync.state));
    expect(ann.sync.state.members.map((m) => m.name).sort()).toEqual(['Ann', 'Bo', 'Cy']);
  });

  it('refuses the usual relay id for an extra transport and reports unknown removals', async () => {
    const relay = new MemoryNetwork();
    const { replicas } = await createGroup(relay, ['Ann']);
    open = replicas;
    const [ann] = replicas as [Replica];
    expect(() => ann.sync.addTransport(USUAL_TRANSPORT, relay.transport)).toThrow(/usual relay/);
    expect(ann.sync.removeTransport('lan:none')).toBe(false);
    expect(ann.sync.transportIds()).toEqual([]);
  });
});
