/** A linked device (protocol §15) through GroupSync: its own chain, writing as its person. */
import { afterEach, describe, expect, it } from 'vitest';
import { signDeviceCertificate } from '../crypto/device-cert';
import { generateIdentity, memberIdOf } from '../crypto/identity';
import { stateHash } from '../ledger/state-hash';
import { computeBalances } from '../settle/balances';
import { MemoryNetwork } from './memory-network';
import { closeAll, createGroup, newGroupSecrets, openReplica, type Replica, settle } from './sync-testkit';

const expense = (member: string, others: readonly string[], amount: number) => ({
  type: 'expense.created' as const,
  expense: {
    description: `Item ${amount}`,
    currency: 'CNY',
    amount,
    date: '2025-03-01',
    payers: [{ member, amount }],
    split: { mode: 'equal' as const, members: [member, ...others] },
  },
});

let open: Replica[] = [];
afterEach(async () => {
  await closeAll(open);
  open = [];
});

async function withLaptop(network: MemoryNetwork) {
  const secrets = newGroupSecrets();
  const { replicas } = await createGroup(network, ['Ann', 'Bo'], secrets);
  const [ann, bo] = replicas as [Replica, Replica];
  const device = generateIdentity();
  const certificate = signDeviceCertificate(
    ann.identity,
    memberIdOf(device.publicKey),
    1_767_225_600_000,
    'Laptop 2',
  );
  const laptop = await openReplica(secrets, 'Ann', { identity: device, certificate });
  open = [ann, bo, laptop];
  laptop.sync.connect(network.transport);
  await settle(network, open);
  return { ann, bo, laptop };
}

describe('a linked device in GroupSync', () => {
  it('writes as its person, with its device.linked first in its own chain', async () => {
    const network = new MemoryNetwork();
    const { ann, bo, laptop } = await withLaptop(network);
    expect(laptop.sync.memberId).toBe(ann.sync.memberId);
    expect(laptop.sync.signerId).toBe(memberIdOf(laptop.identity.publicKey));
    const written = await laptop.sync.append(expense(laptop.sync.memberId, [bo.sync.memberId], 1000));
    expect(written.event.type).toBe('expense.created');
    expect(written.header.seq).toBe(2);
    const own = laptop.sync.entries().filter((e) => e.header.author === laptop.sync.signerId);
    expect(own.map((e) => e.event.type)).toEqual(['device.linked', 'expense.created']);
    await settle(network, open);
    for (const r of open) {
      expect(r.sync.state.ignored).toEqual([]);
      expect(r.sync.state.expenses[0]!.createdBy).toBe(ann.sync.memberId);
      expect(r.sync.state.members.map((m) => m.id).sort()).toEqual(
        [ann.sync.memberId, bo.sync.memberId].sort(),
      );
    }
  });

  it('and the person’s first device both write offline, then converge without a fork', async () => {
    const network = new MemoryNetwork();
    const { ann, bo, laptop } = await withLaptop(network);
    const A = ann.sync.memberId;
    const B = bo.sync.memberId;
    ann.sync.disconnect();
    laptop.sync.disconnect();
    for (let i = 1; i <= 3; i++) {
      await ann.sync.append(expense(A, [B], 100 * i));
      await laptop.sync.append(expense(A, [B], 1000 * i));
    }
    await bo.sync.append(expense(B, [A], 10));
    ann.sync.connect(network.transport);
    laptop.sync.connect(network.transport);
    await settle(network, open);
    const hashes = new Set(open.map((r) => stateHash(r.sync.state)));
    expect(hashes.size).toBe(1);
    const s = bo.sync.state;
    expect(s.ignored).toEqual([]);
    expect(s.expenses).toHaveLength(7);
    expect(computeBalances(s).get('CNY')!.get(A)).toBe((600 + 6000) / 2 - 5);
    // No fork: every (author, seq) holds one entry.
    const keys = bo.sync.entries().map((e) => `${e.header.author}/${e.header.seq}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
