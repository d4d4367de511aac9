/** GroupSync: the binding between store, verifier and Yjs document, over an in-process network. */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateIdentity } from '../crypto/identity';
import { stateHash } from '../ledger/state-hash';
import { ENTRIES_MAP, type SyncSnapshot } from './group-sync';
import { MemoryNetwork } from './memory-network';
import { closeAll, createGroup, newGroupSecrets, openReplica, type Replica, settle } from './sync-testkit';

const expense = (member: string, amount: number) => ({
  type: 'expense.created' as const,
  expense: {
    description: 'Groceries',
    currency: 'CNY',
    amount,
    date: '2025-03-01',
    payers: [{ member, amount }],
    split: { mode: 'equal' as const, members: [member] },
  },
});

let open: Replica[] = [];
afterEach(async () => {
  await closeAll(open);
  open = [];
});

describe('GroupSync', () => {
  it('syncs entries between replicas, stores them and folds the same state', async () => {
    const network = new MemoryNetwork();
    const { replicas } = await createGroup(network, ['Ann', 'Bo']);
    open = replicas;
    const [ann, bo] = replicas as [Replica, Replica];
    await bo.sync.append(expense(bo.sync.memberId, 18_240));
    await settle(network, replicas);

    for (const r of replicas) {
      expect(r.sync.state.members.map((m) => m.name).sort()).toEqual(['Ann', 'Bo']);
      expect(r.sync.state.expenses.map((e) => e.data.amount)).toEqual([18_240]);
      expect(await r.store.countEntries(r.sync.groupId)).toBe(3);
      expect(r.sync.doc.getMap(ENTRIES_MAP).size).toBe(3);
    }
    expect(stateHash(ann.sync.state)).toBe(stateHash(bo.sync.state));
    const heads = new Map((await ann.store.heads(ann.sync.groupId)).map((h) => [h.author, h.seq]));
    expect(heads).toEqual(
      new Map([
        [ann.sync.memberId, 1],
        [bo.sync.memberId, 2],
      ]),
    );
  });

  it('reports offline, connecting, syncing and synced', async () => {
    const network = new MemoryNetwork();
    const secrets = newGroupSecrets();
    const ann = await openReplica(secrets, 'Ann');
    open = [ann];
    const seen: SyncSnapshot['status'][] = [];
    ann.sync.subscribe((s) => {
      if (seen.at(-1) !== s.status) seen.push(s.status);
    });
    expect(ann.sync.snapshot.status).toBe('offline');
    ann.sync.connect(network.transport);
    await settle(network, [ann]);
    expect(ann.sync.snapshot.status).toBe('synced');
    ann.sync.disconnect();
    expect(ann.sync.snapshot.status).toBe('offline');
    expect(seen).toEqual(['connecting', 'syncing', 'synced', 'offline']);
  });

  it('refuses to write before joining, storing and publishing nothing', async () => {
    const ann = await openReplica(newGroupSecrets(), 'Ann');
    open = [ann];
    await expect(ann.sync.append({ type: 'chat.message', text: 'hi' })).rejects.toMatchObject({
      code: 'not_member',
    });
    expect(await ann.store.countEntries(ann.sync.groupId)).toBe(0);
    expect(ann.sync.doc.getMap(ENTRIES_MAP).size).toBe(0);
  });

  it('restarts from the store and the saved document without downloading or uploading again', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann', 'Bo']);
    const [ann, bo] = replicas as [Replica, Replica];
    open = [bo];
    await ann.sync.append(expense(ann.sync.memberId, 500));
    await settle(network, replicas);
    const before = Y.encodeStateVector(ann.sync.doc);
    const hash = stateHash(ann.sync.state);
    await ann.sync.close();

    const again = await openReplica(secrets, 'Ann', { identity: ann.identity, store: ann.store });
    open.push(again);
    expect(Y.encodeStateVector(again.sync.doc)).toEqual(before);
    expect(stateHash(again.sync.state)).toBe(hash);
    // It carries on its own chain.
    const next = await again.sync.append({ type: 'chat.message', text: 'back' });
    expect(next.header.seq).toBe(3);
    again.sync.connect(network.transport);
    await settle(network, [again, bo]);
    expect(stateHash(bo.sync.state)).toBe(stateHash(again.sync.state));
  });
});
