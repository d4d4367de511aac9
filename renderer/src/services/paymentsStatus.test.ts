// Payments that make sense and an honest status, through the app service (two devices, the real core).
import { describe, expect, it, vi } from 'vitest';
import { computeBalances } from '../../../shared/settle/balances';
import { paymentForRequest, requestDefault } from '../../../shared/settle/request-default';
import { groupStatementCsv } from '../../../shared/statement/csvGroup';
import { MemoryNetwork } from '../../../shared/sync/memory-network';
import { MemoryStore } from '../../../shared/sync/memory-store';
import { type WalletDeps, WalletService } from './wallet';

function device(network: MemoryNetwork) {
  const deps: WalletDeps = {
    openStore: async () => new MemoryStore(),
    transport: () => network.transport,
    configuredRelay: async () => 'ws://relay.test:1234',
    protectSecret: async (secret) => ({ bytes: secret, wrapped: false }),
    unprotectSecret: async () => {
      throw new Error('not wrapped');
    },
    secretProtection: async () => false,
    notify: () => undefined,
    acquireWriterLock: async () => true,
    now: () => Date.now(),
    fallbackRelay: 'ws://fallback.test:1234',
  };
  return new WalletService({ get: () => ({ relayUrl: '' }) }, deps);
}

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

async function pair(currency = 'EUR') {
  const network = new MemoryNetwork();
  const a = device(network);
  const b = device(network);
  await Promise.all([a.start(), b.start()]);
  await a.createIdentity('Ann');
  await b.createIdentity('Bo');
  const groupId = await a.createGroup('Flat', currency);
  await b.joinGroup(a.invite(groupId)!);
  await settle(network, [a, b]);
  return {
    network,
    a,
    b,
    groupId,
    sa: a.session(groupId)!,
    sb: b.session(groupId)!,
    ann: a.getSnapshot().me!.id,
    bo: b.getSnapshot().me!.id,
  };
}

describe('payments and requests', () => {
  it('a request carries its note into the payment and the CSV; undo puts everything back', async () => {
    const { network, a, b, sa, sb, ann, bo } = await pair();
    await sb.addExpense({
      description: 'Concert',
      currency: 'EUR',
      amount: 2500,
      date: '2025-04-01',
      payers: [{ member: bo, amount: 2500 }],
      split: { mode: 'equal', members: [ann, bo] },
    });
    await settle(network, [a, b]);
    const suggested = requestDefault(sb.sync.state, ann, bo, 'EUR');
    expect(suggested).toMatchObject({ status: 'owed', amount: 1250 });
    await sb.requestPayment({
      from: ann,
      to: bo,
      amount: suggested.amount,
      currency: 'EUR',
      note: 'Tickets',
    });
    await settle(network, [a, b]);

    const request = sa.sync.state.requests[0]!;
    const paymentId = await sa.recordPayment(paymentForRequest(request, '2025-04-02'));
    await settle(network, [a, b]);
    const paid = sb.sync.state;
    expect(paid.requests[0]).toMatchObject({ status: 'paid', paidBy: paymentId });
    expect(paid.payments[0]).toMatchObject({ note: 'Tickets', request: request.id });
    expect(computeBalances(paid).get('EUR')!.get(ann)).toBe(0);
    expect(groupStatementCsv(paid)).toContain('Tickets');
    // Settled: asking again suggests nothing.
    expect(requestDefault(paid, ann, bo, 'EUR').status).toBe('nothing_owed');

    // Undo: a signed delete, on both devices; the request is open again and the debt is back.
    await sa.deletePayment(paymentId);
    await settle(network, [a, b]);
    const undone = sb.sync.state;
    expect(undone.payments[0]!.deleted).toBe(true);
    expect(undone.requests[0]!.status).toBe('open');
    expect(computeBalances(undone).get('EUR')!.get(ann)).toBe(-1250);
    expect(groupStatementCsv(undone)).not.toContain('Tickets');
  });
});

describe('status', () => {
  it('counts changes waiting to be sent while offline, in the group and its summary', async () => {
    const { network, a, b, groupId, sa } = await pair();
    expect(sa.getSnapshot().sync).toMatchObject({ phase: 'synced', unsent: 0 });
    sa.sync.disconnect();
    await sa.sendMessage('one');
    await sa.sendMessage('two');
    const view = sa.getSnapshot().sync;
    expect(view).toMatchObject({ phase: 'offline', unsent: 2 });
    expect(view.lastSyncedAt).toEqual(expect.any(Number));
    expect(a.getSnapshot().groups.find((g) => g.id === groupId)!.sync.unsent).toBe(2);
    sa.sync.connect(network.transport);
    await settle(network, [a, b]);
    expect(sa.getSnapshot().sync).toMatchObject({ phase: 'synced', unsent: 0 });
  });

  it('shows one review count in the group and the sidebar, zero once conflicts are resolved and seen', async () => {
    const { network, a, b, groupId, sa, sb, ann } = await pair();
    const base = {
      description: 'Hotel',
      currency: 'EUR',
      amount: 30000,
      date: '2025-05-01',
      payers: [{ member: ann, amount: 30000 }],
      split: { mode: 'equal' as const, members: [ann] },
    };
    const id = await sa.addExpense(base);
    await settle(network, [a, b]);
    await sa.markSeen();
    const head = sa.sync.state.expenses[0]!.head;
    await sa.editExpense(id, head, { ...base, amount: 31000, payers: [{ member: ann, amount: 31000 }] });
    await sb.editExpense(id, head, { ...base, amount: 32000, payers: [{ member: ann, amount: 32000 }] });
    await settle(network, [a, b]);

    const summary = () => a.getSnapshot().groups.find((g) => g.id === groupId)!;
    // Bo's edit arrived and made a conflict: the conflict card shows it, so it counts once.
    await vi.waitFor(() => expect(sa.getSnapshot().review).toBe(1));
    expect(sa.getSnapshot().unseen).toBe(0);
    expect(summary().review).toBe(1);

    const conflict = sa.sync.state.conflicts.find((c) => !c.resolved)!;
    await sa.keepVersion(conflict, conflict.winner);
    await settle(network, [a, b]);
    // Resolved: Bo's edit is an arrival like any other now.
    await vi.waitFor(() => expect(sa.sync.state.conflicts.every((c) => c.resolved)).toBe(true));
    await vi.waitFor(() => expect(sa.getSnapshot().unseen).toBe(1));
    expect(sa.getSnapshot().review).toBe(1);
    expect(summary().review).toBe(1);
    await sa.markSeen();
    expect(sa.getSnapshot().review).toBe(0);
    expect(summary().review).toBe(0);
  });
});
