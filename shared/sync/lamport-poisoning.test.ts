/**
 * The lamport rule through the real binding (docs/protocol.md §7): a rogue member writes
 * entries with clocks far ahead straight into the shared map. They wait like entries whose
 * predecessor is missing; the honest replicas keep writing, converge, and place an entry
 * that led by a little once enough lower entries exist.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateIdentity, type Identity, memberIdOf } from '../crypto/identity';
import { createEntry, type WalletEventInput } from '../ledger/envelope';
import { LAMPORT_LEAD_BOUND } from '../ledger/lamport-rule';
import { stateHash } from '../ledger/state-hash';
import { ENTRIES_MAP } from './group-sync';
import { MemoryNetwork } from './memory-network';
import { closeAll, createGroup, openReplica, type Replica, settle } from './sync-testkit';

const chat = (text: string): WalletEventInput => ({ type: 'chat.message', text });

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('GroupSync under lamport poisoning', () => {
  it('keeps writing after a poisoned entry arrives through the map', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann', 'Bo', 'Mallory']);
    const [ann, bo, m] = replicas as [Replica, Replica, Replica];
    await m.sync.close();
    let honest = [ann, bo];
    const evil = new Y.Doc();
    const evilLink = network.connectDoc(evil);
    cleanup = async () => {
      evilLink.destroy();
      evil.destroy();
      await closeAll(honest);
    };
    await settle(network, honest);

    const craft = (identity: Identity, event: WalletEventInput, lamport: number) => {
      const author = memberIdOf(identity.publicKey);
      const head = ann.sync
        .entries()
        .filter((e) => e.header.author === author)
        .at(-1);
      return createEntry({
        identity,
        groupId: secrets.groupId,
        groupKey: secrets.groupKey,
        seq: (head?.header.seq ?? 0) + 1,
        prev: head?.id ?? null,
        lamport,
        time: 1_700_000_000_000,
        event,
      });
    };
    const poison = await craft(m.identity, chat('the end of time'), 2 ** 53 - 3);
    // A newcomer whose join leads the group by three more than it has entries: it waits, then
    // is placed once honest writes supply the lower entries.
    const leading = await craft(
      generateIdentity(),
      { type: 'member.joined', name: 'Early bird' },
      LAMPORT_LEAD_BOUND + ann.sync.entries().length + 3,
    );
    const map = evil.getMap(ENTRIES_MAP);
    evil.transact(() => {
      map.set(poison.id, poison.bytes);
      map.set(leading.id, leading.bytes);
    });
    await settle(network, honest);
    for (const r of honest) {
      expect(r.sync.snapshot.pending).toBe(2);
      expect(r.sync.snapshot.rejected).toBe(0);
      expect((await r.store.listPending(r.sync.groupId)).map((p) => p.id).sort()).toEqual(
        [poison.id, leading.id].sort(),
      );
    }

    for (let round = 0; round < 5; round++) {
      for (const r of honest) await r.sync.append(chat(`${r.name} ${round}`));
      await settle(network, honest);
    }
    for (const r of honest) {
      expect(r.sync.state.chat.filter((c) => /^(Ann|Bo) \d$/.test(c.text))).toHaveLength(10);
      expect(r.sync.state.members.map((x) => x.name)).toContain('Early bird');
      expect(r.sync.snapshot.pending).toBe(1);
      expect((await r.store.listPending(r.sync.groupId)).map((p) => p.id)).toEqual([poison.id]);
    }
    expect(stateHash(ann.sync.state)).toBe(stateHash(bo.sync.state));
    // Writes after the newcomer's join was placed went on from its lamport, one step at a time.
    expect(ann.sync.state.maxLamport).toBeGreaterThan(leading.entry.header.lamport);
    expect(ann.sync.state.maxLamport).toBeLessThan(leading.entry.header.lamport + 10);

    // Reopened from its store, a replica still waits on the poisoned entry and still writes.
    await bo.sync.close();
    const reopened = await openReplica(secrets, 'Bo', { identity: bo.identity, store: bo.store });
    honest = [ann, reopened];
    reopened.sync.connect(network.transport);
    await settle(network, honest);
    expect(reopened.sync.snapshot.pending).toBe(1);
    await reopened.sync.append(chat('after reopening'));
    await settle(network, honest);
    expect(ann.sync.state.chat.at(-1)?.text).toBe('after reopening');
    expect(stateHash(ann.sync.state)).toBe(stateHash(reopened.sync.state));
  });
});
