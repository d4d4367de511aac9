/** A linked device (protocol §16) through GroupSync: its own chain, writing as its person. */
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

async function withLaptop(network: MemoryNetwork, names: readonly string[] = ['Ann', 'Bo']) {
  const secrets = newGroupSecrets();
  const { replicas } = await createGroup(network, names, secrets, { x25519: true });
  const [ann, bo] = replicas as [Replica, Replica];
  const device = generateIdentity();
  const certificate = signDeviceCertificate(
    ann.identity,
    memberIdOf(device.publicKey),
    1_767_225_600_000,
    'Laptop 2',
  );
  const laptop = await openReplica(secrets, 'Ann', { identity: device, certificate });
  open = [...replicas, laptop];
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

  it('is sealed the rotated key; unlinking it rotates again without it (protocol §15, §16)', async () => {
    const network = new MemoryNetwork();
    const { ann, bo, laptop } = await withLaptop(network, ['Ann', 'Bo', 'Cy']);
    const cy = open[2]!;
    const A = ann.sync.memberId;
    const B = bo.sync.memberId;
    await laptop.sync.append({ type: 'chat.message', text: 'laptop here' });
    await settle(network, open);
    expect(bo.sync.state.devices?.[0]?.x25519).toBeDefined();

    // Removing Cy rotates (Ann's device is the remover): the laptop is among the recipients.
    await ann.sync.append({ type: 'member.removed', member: cy.sync.memberId });
    await settle(network, open);
    const first = bo.sync.state.keys!;
    expect(first.epoch).toBe(1);
    expect(first.rotations[0]!.recipients).toContain(laptop.sync.signerId);
    await laptop.sync.append(expense(A, [B], 400));
    await settle(network, open);
    expect(bo.sync.unreadableCount).toBe(0);
    expect(bo.sync.state.expenses.map((e) => e.createdBy)).toEqual([A]);
    expect(laptop.sync.unreadableCount).toBe(0);
    expect(cy.sync.state.expenses).toHaveLength(0);

    // Ann unlinks the laptop: her device rotates at once, and the laptop reads nothing after it.
    await ann.sync.append({ type: 'device.unlinked', device: laptop.sync.signerId });
    await settle(network, open);
    const second = bo.sync.state.keys!;
    expect(second).toMatchObject({ epoch: 2, needsRotation: false });
    expect(second.rotations.at(-1)!.recipients).toEqual([A, B].sort());
    await bo.sync.append({ type: 'chat.message', text: 'after the unlink' });
    await settle(network, open);
    expect(ann.sync.state.chat.at(-1)?.text).toBe('after the unlink');
    expect(laptop.sync.state.chat.map((m) => m.text)).not.toContain('after the unlink');
    expect(laptop.sync.unreadableCount).toBeGreaterThan(0);
    // The unlinked laptop does not try to rotate itself, and its app still writes (counting nowhere).
    const laptopOwn = laptop.sync.entries().filter((e) => e.header.author === laptop.sync.signerId);
    expect(laptopOwn.map((e) => e.event.type)).not.toContain('key.rotated');
    await laptop.sync.append({ type: 'chat.message', text: 'still here?' });
    await settle(network, open);
    expect(bo.sync.state.ignored.at(-1)?.code).toBe('device_unlinked');
  });

  it('linked after a rotation, reads the rotated epochs with the keys its grant carried', async () => {
    const network = new MemoryNetwork();
    const secrets = newGroupSecrets();
    const { replicas } = await createGroup(network, ['Ann', 'Bo'], secrets, { x25519: true });
    const [ann, bo] = replicas as [Replica, Replica];
    open = [...replicas];
    await ann.sync.keys.rotate();
    await settle(network, open);
    await bo.sync.append({ type: 'chat.message', text: 'under epoch 1' });
    await settle(network, open);
    expect(ann.sync.state.keys?.epoch).toBe(1);

    const link = async (grantedKeys?: Map<string, Uint8Array>) => {
      const device = generateIdentity();
      const certificate = signDeviceCertificate(ann.identity, memberIdOf(device.publicKey), 1, 'New');
      const r = await openReplica(secrets, 'Ann', {
        identity: device,
        certificate,
        ...(grantedKeys ? { grantedKeys } : {}),
      });
      open.push(r);
      r.sync.connect(network.transport);
      await settle(network, open);
      return r;
    };
    const without = await link();
    expect(without.sync.unreadableCount).toBeGreaterThan(0);
    expect(without.sync.state.chat).toHaveLength(0);

    const granted = ann.sync.keys.rotationKeys();
    expect(granted.size).toBe(1);
    const laptop = await link(granted);
    expect(laptop.sync.unreadableCount).toBe(0);
    expect(laptop.sync.state.chat.map((m) => m.text)).toEqual(['under epoch 1']);
    // It writes under the current epoch, and the others read it as Ann's.
    await laptop.sync.append({ type: 'chat.message', text: 'from the new laptop' });
    await settle(network, open);
    expect(bo.sync.state.chat.at(-1)).toMatchObject({
      text: 'from the new laptop',
      author: ann.sync.memberId,
    });
  });
});
