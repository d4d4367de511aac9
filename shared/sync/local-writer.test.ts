/** GroupSync.appendMany (local-writer.ts): a batch of own entries, all or nothing, one chain. */
import { afterEach, describe, expect, it } from 'vitest';
import { generateIdentity, memberIdOf } from '../crypto/identity';
import { WalletError } from '../errors';
import { stateHash } from '../ledger/state-hash';
import { MemoryNetwork } from './memory-network';
import { MemoryStore } from './memory-store';
import { closeAll, createGroup, newGroupSecrets, openReplica, type Replica, settle } from './sync-testkit';

const expense = (member: string, amount: number) => ({
  type: 'expense.created' as const,
  expense: {
    description: `Item ${amount}`,
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

describe('GroupSync.appendMany', () => {
  it('writes a chain exactly as one-by-one appends would, and the other devices converge', async () => {
    const network = new MemoryNetwork();
    const { replicas } = await createGroup(network, ['Ann', 'Bo']);
    open = replicas;
    const [ann, bo] = replicas as [Replica, Replica];
    const before = ann.sync.entries().length;
    const written = await ann.sync.appendMany([100, 200, 300].map((a) => expense(ann.sync.memberId, a)));
    expect(written.map((e) => e.header.seq)).toEqual([2, 3, 4]);
    expect(written[1]!.header.prev).toBe(written[0]!.id);
    expect(written[2]!.header.lamport).toBe(written[1]!.header.lamport + 1);
    expect(ann.sync.entries().length).toBe(before + 3);
    // One more, one by one, continues the same chain.
    const next = await ann.sync.append(expense(ann.sync.memberId, 400));
    expect(next.header.seq).toBe(5);
    expect(next.header.prev).toBe(written[2]!.id);
    await settle(network, replicas);
    expect(bo.sync.state.expenses.map((x) => x.data.amount).sort()).toEqual([100, 200, 300, 400]);
    expect(stateHash(bo.sync.state)).toBe(stateHash(ann.sync.state));
    expect(await ann.sync.appendMany([])).toEqual([]);
  });

  it('counts pending writes until the document is saved', async () => {
    const secrets = newGroupSecrets();
    const ann = await openReplica(secrets, 'Ann');
    open = [ann];
    await ann.sync.append({ type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Ann' });
    const writing = ann.sync.appendMany([expense(ann.sync.memberId, 1)]);
    expect(ann.sync.pendingWrites).toBeGreaterThan(0);
    await writing;
    // The document change waits for its save (persistDelayMs).
    expect(ann.sync.pendingWrites).toBeGreaterThan(0);
    await ann.sync.flush();
    expect(ann.sync.pendingWrites).toBe(0);
  });

  it('writes nothing when the store write fails, and the seq stays free', async () => {
    const secrets = newGroupSecrets();
    const store = new MemoryStore();
    const ann = await openReplica(secrets, 'Ann', { store });
    open = [ann];
    await ann.sync.append({ type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Ann' });
    const realAppend = store.appendEntries.bind(store);
    store.appendEntries = async () => {
      throw new WalletError('store_failed', 'disk full');
    };
    await expect(
      ann.sync.appendMany([expense(ann.sync.memberId, 1), expense(ann.sync.memberId, 2)]),
    ).rejects.toThrow('disk full');
    expect(ann.sync.entries().length).toBe(1);
    expect((await store.listEntries(secrets.groupId)).length).toBe(1);
    store.appendEntries = realAppend;
    const [again] = await ann.sync.appendMany([expense(ann.sync.memberId, 3)]);
    expect(again!.header.seq).toBe(2);
  });

  it('refuses a first entry that is not a join, writing nothing', async () => {
    const secrets = newGroupSecrets();
    const identity = generateIdentity();
    const ann = await openReplica(secrets, 'Ann', { identity });
    open = [ann];
    await expect(ann.sync.appendMany([expense(memberIdOf(identity.publicKey), 5)])).rejects.toMatchObject({
      code: 'not_member',
    });
    expect(ann.sync.entries()).toEqual([]);
  });
});
