/**
 * Key rotation through the real binding (docs/protocol.md §15): three roommates on one relay,
 * one removed; the others carry on under the new epoch key and the removed one reads nothing new.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { x25519PublicHex } from '../crypto/x25519';
import { newKeyShare } from '../ledger/key-rotation';
import { stateHash } from '../ledger/state-hash';
import { MemoryNetwork } from './memory-network';
import { closeAll, createGroup, newGroupSecrets, openReplica, type Replica, settle } from './sync-testkit';

let open: Replica[] = [];
afterEach(async () => {
  await closeAll(open);
  open = [];
});

/** Ann creates the group; the others join; everyone publishes an X25519 key as the app does. */
async function roommates(network: MemoryNetwork, names: readonly string[]) {
  const made = await createGroup(network, names, newGroupSecrets(), { x25519: true });
  open = made.replicas;
  return made;
}

const expense = (payer: string, members: string[], amount: number) => ({
  type: 'expense.created' as const,
  expense: {
    description: 'Groceries',
    currency: 'CNY',
    amount,
    date: '2026-12-05',
    payers: [{ member: payer, amount }],
    split: { mode: 'equal' as const, members },
  },
});

describe('GroupSync: key rotation on removal', () => {
  it('the remover rotates at once; the others carry on; the removed member reads nothing new', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await roommates(network, ['Ann', 'Bo', 'Cy']);
    const [ann, bo, cy] = replicas as [Replica, Replica, Replica];
    await ann.sync.append(expense(ann.sync.memberId, [ann.sync.memberId, cy.sync.memberId], 3000));
    await settle(network, replicas);
    await ann.sync.append({ type: 'member.removed', member: cy.sync.memberId });
    await settle(network, replicas);

    for (const r of replicas) expect(r.sync.state.keys).toMatchObject({ epoch: 1, needsRotation: false });
    const rotation = ann.sync.state.keys!.rotations[0]!;
    expect(rotation.author).toBe(ann.sync.memberId);
    expect(rotation.recipients).toEqual([ann.sync.memberId, bo.sync.memberId].sort());
    expect(cy.sync.state.members.find((m) => m.id === cy.sync.memberId)?.status).toBe('removed');
    const cyEntries = cy.sync.state.entryCount;

    await bo.sync.append(expense(bo.sync.memberId, [ann.sync.memberId, bo.sync.memberId], 1200));
    await bo.sync.append({ type: 'chat.message', text: 'the new key works' });
    await settle(network, replicas);
    expect(ann.sync.state.chat.at(-1)?.text).toBe('the new key works');
    expect(ann.sync.state.expenses).toHaveLength(2);
    expect(stateHash(ann.sync.state)).toBe(stateHash(bo.sync.state));
    // Cy's device holds the ciphertext (same relay room) but opens none of it.
    expect(cy.sync.state.entryCount).toBe(cyEntries);
    expect(cy.sync.state.expenses).toHaveLength(1);
    expect(cy.sync.unreadableCount).toBe(2);
    // Cy's app still writes (under epoch 0's key: only Cy's own words), and it counts nowhere.
    const late = await cy.sync.append({ type: 'chat.message', text: 'hello?' });
    await settle(network, replicas);
    expect(ann.sync.state.ignored).toContainEqual(
      expect.objectContaining({ entryId: late.id, code: 'author_departed' }),
    );
    expect(ann.sync.state.chat.map((c) => c.text)).not.toContain('hello?');
    expect(cy.sync.state.entryCount).toBe(cyEntries + 1);

    // Reopened from their stores, every device is where it was: the keyring comes back from the log.
    await closeAll(replicas);
    const reopened = await Promise.all(
      replicas.map((r) => openReplica(secrets, r.name, { identity: r.identity, store: r.store })),
    );
    open = reopened;
    for (const r of reopened) r.sync.connect(network.transport);
    await settle(network, reopened);
    const [ann2, bo2, cy2] = reopened as [Replica, Replica, Replica];
    expect(stateHash(ann2.sync.state)).toBe(stateHash(bo2.sync.state));
    expect(cy2.sync.state.entryCount).toBe(cyEntries + 1);
    expect(cy2.sync.unreadableCount).toBe(2);
    await bo2.sync.append({ type: 'chat.message', text: 'after a restart' });
    await settle(network, reopened);
    expect(ann2.sync.state.chat.at(-1)?.text).toBe('after a restart');
  });

  it('a member who leaves: the remaining member with the lowest id rotates', async () => {
    const network = new MemoryNetwork();
    const { replicas } = await roommates(network, ['Ann', 'Bo', 'Cy']);
    const [, , cy] = replicas as [Replica, Replica, Replica];
    await cy.sync.append({ type: 'member.left' });
    await settle(network, replicas);
    const remaining = replicas.filter((r) => r !== cy).map((r) => r.sync.memberId);
    for (const r of replicas) {
      expect(r.sync.state.keys).toMatchObject({ epoch: 1, needsRotation: false });
      expect(r.sync.state.keys!.rotations).toHaveLength(1);
      expect(r.sync.state.keys!.rotations[0]!.author).toBe(remaining.sort()[0]);
    }
  });

  it('two offline members rotating at once converge on one current epoch', async () => {
    const network = new MemoryNetwork();
    const { replicas } = await roommates(network, ['Ann', 'Bo', 'Cy']);
    const [ann, bo, cy] = replicas as [Replica, Replica, Replica];
    ann.sync.disconnect();
    bo.sync.disconnect();
    await ann.sync.keys.rotate();
    await ann.sync.append({ type: 'chat.message', text: 'from Ann offline' });
    await bo.sync.keys.rotate();
    await bo.sync.append({ type: 'chat.message', text: 'from Bo offline' });
    ann.sync.connect(network.transport);
    bo.sync.connect(network.transport);
    await settle(network, replicas);
    const hashes = new Set(replicas.map((r) => stateHash(r.sync.state)));
    expect(hashes.size).toBe(1);
    expect(cy.sync.state.keys!.rotations).toHaveLength(2);
    expect(cy.sync.state.chat.map((c) => c.text).sort()).toEqual(['from Ann offline', 'from Bo offline']);
    for (const r of replicas) expect(r.sync.unreadableCount).toBe(0);
    // Everyone writes under the winner's key from now on, and everyone reads it.
    await cy.sync.append({ type: 'chat.message', text: 'after the merge' });
    await settle(network, replicas);
    for (const r of replicas) expect(r.sync.state.chat.at(-1)?.text).toBe('after the merge');
  });

  it('a roommate who joins after a rotation is let in by a member: reads everything, writes under the new key', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await roommates(network, ['Ann', 'Bo', 'Cy']);
    const [ann, bo, cy] = replicas as [Replica, Replica, Replica];
    await ann.sync.append({ type: 'member.removed', member: cy.sync.memberId });
    await settle(network, replicas);
    await bo.sync.append({ type: 'chat.message', text: 'under epoch 1' });
    await settle(network, replicas);
    expect(ann.sync.state.keys!.epoch).toBe(1);

    // Dee moves in with the invite (epoch 0's key).
    const dee = await openReplica(secrets, 'Dee');
    open.push(dee);
    dee.sync.connect(network.transport);
    await settle(network, open);
    expect(dee.sync.unreadableCount).toBeGreaterThan(0);
    await dee.sync.append({ type: 'member.joined', name: 'Dee', x25519: x25519PublicHex(dee.identity) });
    await settle(network, open);

    // Nothing is shared by itself (an old invite link must not get the keys): Dee waits, and says so.
    expect(ann.sync.state.keys!.missingKeys!.map((m) => m.member)).toEqual([dee.sync.memberId]);
    expect(ann.sync.state.keys!.shares).toEqual([]);
    await expect(dee.sync.append({ type: 'chat.message', text: 'too early' })).rejects.toMatchObject({
      code: 'no_epoch_key',
    });
    // The forged key gives Dee no relay token either: only epoch 0's (no invite token needed).
    expect(dee.sync.keys.inviteRelayToken).toBeUndefined();
    await expect(ann.sync.keys.shareWith(bo.sync.memberId)).rejects.toMatchObject({
      code: 'keys_not_missing',
    });
    await ann.sync.keys.shareWith(dee.sync.memberId);
    await settle(network, open);
    const shares = ann.sync.state.keys!.shares ?? [];
    expect(shares.map((s) => s.member)).toEqual([dee.sync.memberId]);
    expect(ann.sync.state.keys!.missingKeys).toEqual([]);
    expect(dee.sync.unreadableCount).toBe(0);
    expect(dee.sync.state.chat.map((m) => m.text)).toEqual(['under epoch 1']);
    await dee.sync.append({ type: 'chat.message', text: 'hello from Dee' });
    await settle(network, open);
    for (const r of [ann, bo]) expect(r.sync.state.chat.at(-1)?.text).toBe('hello from Dee');
    expect(stateHash(ann.sync.state)).toBe(stateHash(dee.sync.state));
    // The removed member sees Dee's join (epoch 0) but nothing Dee writes after it.
    expect(cy.sync.state.members.some((m) => m.id === dee.sync.memberId)).toBe(true);
    expect(cy.sync.state.chat.map((m) => m.text)).not.toContain('hello from Dee');
  });

  it('a share by a departed member is ignored and never decides what the joiner writes under', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await roommates(network, ['Ann', 'Bo', 'Cy']);
    const [ann, bo, cy] = replicas as [Replica, Replica, Replica];
    await ann.sync.append({ type: 'member.removed', member: cy.sync.memberId });
    await settle(network, replicas);
    const dee = await openReplica(secrets, 'Dee');
    open.push(dee);
    // Dee joins while only Cy (removed) is reachable: Ann and Bo are offline.
    ann.sync.disconnect();
    bo.sync.disconnect();
    dee.sync.connect(network.transport);
    await settle(network, [cy, dee]); // as the app does: join once the group is seen
    await dee.sync.append({ type: 'member.joined', name: 'Dee', x25519: x25519PublicHex(dee.identity) });
    await settle(network, [cy, dee]);
    // Cy forges a share of a key of its own choosing for the rotation it was left out of.
    const rotation = cy.sync.state.keys!.rotations[0]!;
    const forged = newKeyShare(
      cy.sync.state,
      { member: dee.sync.memberId, x25519: x25519PublicHex(dee.identity), rotations: [rotation.id] },
      () => new Uint8Array(32).fill(7),
    )!;
    await cy.sync.append(forged);
    await settle(network, [cy, dee]);
    expect(dee.sync.state.ignored.map((i) => i.code)).toContain('author_departed');
    await expect(dee.sync.append({ type: 'chat.message', text: 'too early' })).rejects.toMatchObject({
      code: 'no_epoch_key',
    });
    // The forged key gives Dee no relay token either: only epoch 0's (no invite token needed).
    expect(dee.sync.keys.inviteRelayToken).toBeUndefined();
    // Ann comes back and lets Dee in: the real share arrives, and Dee writes what Bo reads.
    ann.sync.connect(network.transport);
    bo.sync.connect(network.transport);
    await settle(network, open);
    await ann.sync.keys.shareWith(dee.sync.memberId);
    await settle(network, open);
    // The shared key is adopted in the fold that accepts the share, its relay token with it.
    expect(dee.sync.keys.inviteRelayToken).toBe(ann.sync.keys.inviteRelayToken);
    expect(dee.sync.keys.inviteRelayToken).toBeDefined();
    await dee.sync.append({ type: 'chat.message', text: 'with the real key' });
    await settle(network, open);
    expect(bo.sync.state.chat.at(-1)?.text).toBe('with the real key');
    expect(bo.sync.unreadableCount).toBe(0);
  });
});
