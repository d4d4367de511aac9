/** GroupSync: the binding between store, verifier and Yjs document, over an in-process network. */
import { afterEach, describe, expect, it } from 'vitest';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { bytesToHex, sha256 } from '../crypto/hash';
import { generateIdentity } from '../crypto/identity';
import { type EntryPreparer, prepareEntries } from '../ledger/entry-prep';
import { stateHash } from '../ledger/state-hash';
import type { GroupId } from '../ledger/types';
import { COMPACT_DOC_AFTER, ENTRIES_MAP, type SyncSnapshot } from './group-sync';
import { MemoryNetwork } from './memory-network';
import { MemoryStore } from './memory-store';
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

/** The document as the store would give it back on the next open. */
async function savedDoc(store: MemoryStore, groupId: GroupId): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const update of await store.getDocUpdates(groupId)) Y.applyUpdate(doc, update);
  return doc;
}

let open: Replica[] = [];
afterEach(async () => {
  await closeAll(open);
  open = [];
});

describe('GroupSync', () => {
  it('hands incoming batches to a preparer when given one, with the same result', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann', 'Bo']);
    open = replicas;
    const [ann] = replicas as [Replica, Replica];
    for (let i = 0; i < 5; i++) await ann.sync.append(expense(ann.sync.memberId, 100 + i));
    await settle(network, replicas);
    const prepared: number[] = [];
    const preparer: EntryPreparer = {
      minBatch: 1,
      async prepare(inputs, groupKey) {
        prepared.push(inputs.length);
        return prepareEntries(inputs, groupKey);
      },
    };
    // A device joining late receives the history as one batch.
    const late = await openReplica(secrets, 'Cy', { preparer });
    open.push(late);
    late.sync.connect(network.transport);
    await settle(network, open);
    expect(prepared.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(7);
    expect(stateHash(late.sync.state)).toBe(stateHash(ann.sync.state));
  });

  it('checks a large batch in parts with a preparer: later parts prepared while earlier ones are placed', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann', 'Bo']);
    open = replicas;
    const [ann, bo] = replicas as [Replica, Replica];
    for (let i = 0; i < 20; i++) {
      await ann.sync.append(expense(ann.sync.memberId, 100 + i));
      await bo.sync.append(expense(bo.sync.memberId, 200 + i));
    }
    await settle(network, replicas);
    // Bo would refuse the copy below and remove it from the map (healing) before Cy joins.
    bo.sync.disconnect();
    // A copy of one entry with a byte of its body altered, filed under its own (new) id.
    const victim = ann.sync.entries()[10]!;
    const tampered = victim.bytes.slice();
    tampered[150]! ^= 1;
    const tamperedId = bytesToHex(sha256(tampered));
    ann.sync.doc.getMap(ENTRIES_MAP).set(tamperedId, tampered);

    const sizes: number[] = [];
    let startedWhenFirstDone = 0;
    const preparer: EntryPreparer = {
      minBatch: 4,
      async prepare(inputs, groupKey) {
        sizes.push(inputs.length);
        await new Promise((resolve) => setTimeout(resolve, 5));
        startedWhenFirstDone ||= sizes.length;
        return prepareEntries(inputs, groupKey);
      },
    };
    const late = await openReplica(secrets, 'Cy', { preparer });
    open.push(late);
    late.sync.connect(network.transport);
    await settle(network, open);

    // 42 entries (group created, a join, 40 expenses) and the tampered copy, in 4 parts, all handed out at once.
    expect(sizes).toHaveLength(4);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(43);
    expect(startedWhenFirstDone).toBe(4);
    expect(stateHash(late.sync.state)).toBe(stateHash(ann.sync.state));
    expect(await late.store.countEntries(late.sync.groupId)).toBe(42);
    expect((await late.store.listRejected(late.sync.groupId)).map((r) => [r.id, r.code])).toEqual([
      [tamperedId, 'bad_signature'],
    ]);
  });

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
    // The state comes first; the saved document is applied afterwards.
    expect(stateHash(again.sync.state)).toBe(hash);
    await again.sync.whenIdle();
    expect(Y.encodeStateVector(again.sync.doc)).toEqual(before);
    expect(stateHash(again.sync.state)).toBe(hash);
    // It carries on its own chain.
    const next = await again.sync.append({ type: 'chat.message', text: 'back' });
    expect(next.header.seq).toBe(3);
    again.sync.connect(network.transport);
    await settle(network, [again, bo]);
    expect(stateHash(bo.sync.state)).toBe(stateHash(again.sync.state));
  });

  it('folds a large initial sync once', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann']);
    const [ann] = replicas as [Replica];
    open = [ann];
    for (let i = 0; i < 300; i++) await ann.sync.append({ type: 'chat.message', text: `message ${i}` });
    await settle(network, [ann]);

    const late = await openReplica(secrets, 'Late');
    open.push(late);
    let folds = 0;
    late.sync.onState(() => folds++);
    late.sync.connect(network.transport);
    await settle(network, [ann, late]);
    expect(late.sync.state.chat).toHaveLength(300);
    expect(folds).toBe(1);
    expect(await late.store.countEntries(late.sync.groupId)).toBe(301);
  });

  it('republishes entries the saved document missed (a crash before it was written)', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann', 'Bo']);
    const [ann, bo] = replicas as [Replica, Replica];
    open = [bo];
    await ann.sync.flush();
    ann.sync.disconnect();
    await ann.sync.append({ type: 'chat.message', text: 'written offline' });
    // The process dies before the debounced document write: reopen the same store beside it.
    const crashed = ann.sync;
    const again = await openReplica(secrets, 'Ann', { identity: ann.identity, store: ann.store });
    open.push(again);
    again.sync.connect(network.transport);
    await settle(network, [again, bo]);
    expect(bo.sync.state.chat.map((c) => c.text)).toEqual(['written offline']);
    await crashed.close();
  });

  it('keeps pending entries across a restart until their predecessor arrives', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann', 'Bo']);
    const [ann, bo] = replicas as [Replica, Replica];
    open = [ann];
    ann.sync.disconnect();
    const first = await ann.sync.append({ type: 'chat.message', text: 'one' });
    const second = await ann.sync.append({ type: 'chat.message', text: 'two' });
    // Only the second reaches Bo (someone re-published it on its own).
    const relay = new Y.Doc();
    const link = network.connectDoc(relay);
    relay.getMap(ENTRIES_MAP).set(second.id, second.bytes);
    await settle(network, [bo]);
    expect(bo.sync.snapshot.pending).toBe(1);
    link.destroy();

    await bo.sync.close();
    const boAgain = await openReplica(secrets, 'Bo', { identity: bo.identity, store: bo.store });
    open.push(boAgain);
    expect(boAgain.sync.snapshot.pending).toBe(1);
    expect((await bo.store.listPending(boAgain.sync.groupId)).map((p) => p.id)).toEqual([second.id]);

    boAgain.sync.connect(network.transport);
    ann.sync.connect(network.transport);
    await settle(network, [ann, boAgain]);
    expect(boAgain.sync.snapshot.pending).toBe(0);
    expect(await bo.store.listPending(boAgain.sync.groupId)).toEqual([]);
    expect(boAgain.sync.state.chat.map((c) => c.id)).toEqual([first.id, second.id]);
  });

  it('notes when the group last finished syncing', async () => {
    const network = new MemoryNetwork();
    const secrets = newGroupSecrets();
    let clock = 5_000;
    const ann = await openReplica(secrets, 'Ann', { now: () => clock });
    open = [ann];
    await ann.store.putGroup({
      id: secrets.groupId,
      name: 'Flat 3B',
      groupKey: secrets.groupKey,
      relayUrl: null,
      createdAt: 1,
      lastSyncedAt: null,
      lastSeenAt: 1,
    });
    clock = 7_000;
    ann.sync.connect(network.transport);
    await settle(network, [ann]);
    await ann.sync.flush();
    expect((await ann.store.getGroup(secrets.groupId))?.lastSyncedAt).toBe(7_000);
  });

  it('shares presence with members only, and drops it when they go offline', async () => {
    const network = new MemoryNetwork();
    const { replicas } = await createGroup(network, ['Ann', 'Bo']);
    const [ann, bo] = replicas as [Replica, Replica];
    open = replicas;
    ann.sync.setTyping(true);
    await settle(network, replicas);
    expect(bo.sync.presence()).toEqual([
      { member: ann.sync.memberId, name: 'Ann', typing: true, online: true },
    ]);
    expect(ann.sync.presence().map((p) => [p.name, p.typing])).toEqual([['Bo', false]]);

    // A stranger with the relay token claims to be someone: not a member, not shown.
    const stranger = new Y.Doc();
    const strangerAwareness = new Awareness(stranger);
    const strangerLink = network.transport({
      doc: stranger,
      awareness: strangerAwareness,
      groupId: 'x',
      token: 'x',
      onStatus: () => {},
      onSynced: () => {},
      onError: () => {},
    });
    strangerAwareness.setLocalState({
      member: bytesToHex(generateIdentity().publicKey),
      name: 'Eve',
      typing: true,
    });
    await settle(network, replicas);
    expect(bo.sync.presence().map((p) => p.name)).toEqual(['Ann']);
    strangerLink.destroy();
    strangerAwareness.destroy();

    ann.sync.disconnect();
    await settle(network, replicas);
    expect(bo.sync.presence()).toEqual([]);
  });

  describe('opening a stored group', () => {
    it('restores from cached events without decrypting, to the same state as without them', async () => {
      const network = new MemoryNetwork();
      const { secrets, replicas } = await createGroup(network, ['Ann', 'Bo']);
      const [ann, bo] = replicas as [Replica, Replica];
      open = replicas;
      await ann.sync.append(expense(ann.sync.memberId, 1_234));
      await bo.sync.append({ type: 'chat.message', text: 'hi' });
      await settle(network, replicas);
      await ann.sync.flush();
      const hash = stateHash(ann.sync.state);
      const rows = await ann.store.listEntries(secrets.groupId);
      // Local appends and entries from the network alike are stored with their event.
      expect(rows.map((r) => r.event?.type).sort()).toEqual([
        'chat.message',
        'expense.created',
        'group.created',
        'member.joined',
      ]);

      // Nothing is decrypted: even a wrong group key restores the same state.
      const wrongKey = { groupId: secrets.groupId, groupKey: new Uint8Array(32).fill(1) };
      const cached = await openReplica(wrongKey, 'Ann', { identity: ann.identity, store: ann.store });
      expect(stateHash(cached.sync.state)).toBe(hash);
      expect(cached.sync.snapshot.lastError).toBeUndefined();
      await cached.sync.close();

      // The same rows as written before schema v3, without events: decrypted on open, as before.
      const legacy = new MemoryStore();
      await legacy.appendEntries(
        secrets.groupId,
        rows.map(({ event: _event, ...row }) => row),
      );
      const wrong = await openReplica(wrongKey, 'Ann', { identity: ann.identity, store: legacy });
      expect(wrong.sync.snapshot.lastError).toMatch(/4 stored entries no longer verify \(decrypt_failed\)/);
      await wrong.sync.close();
      const decrypted = await openReplica(secrets, 'Ann', { identity: ann.identity, store: legacy });
      open.push(decrypted);
      expect(stateHash(decrypted.sync.state)).toBe(hash);
      // ...and their events are cached for the next open.
      await decrypted.sync.whenIdle();
      expect(await legacy.listEntries(secrets.groupId)).toEqual(rows);
    });

    it('shows the state before the saved document is loaded, and connects only once it is', async () => {
      const network = new MemoryNetwork();
      const { secrets, replicas } = await createGroup(network, ['Ann', 'Bo']);
      const [ann, bo] = replicas as [Replica, Replica];
      open = [bo];
      const groupId: GroupId = secrets.groupId;
      await ann.sync.append(expense(ann.sync.memberId, 700));
      await settle(network, replicas);
      ann.sync.disconnect();
      const hash = stateHash(ann.sync.state);
      await ann.sync.close();
      // A crash left an entry in the saved document that never reached the store.
      const late = await bo.sync.append({ type: 'chat.message', text: 'only in the document' });
      await settle(network, [bo]);
      const carrier = new Y.Doc();
      carrier.getMap(ENTRIES_MAP).set(late.id, late.bytes);
      await ann.store.appendDocUpdate(groupId, Y.encodeStateAsUpdate(carrier));

      let load: (() => void) | undefined;
      const again = await openReplica(secrets, 'Ann', {
        identity: ann.identity,
        store: ann.store,
        scheduleDocLoad: (run) => {
          load = run;
        },
      });
      open.push(again);
      expect(stateHash(again.sync.state)).toBe(hash);
      expect(again.sync.doc.getMap(ENTRIES_MAP).size).toBe(0);
      again.sync.connect(network.transport);
      expect(again.sync.snapshot.status).toBe('connecting');
      await Promise.resolve();
      expect(network.queued).toBe(0); // an empty document would have asked for everything

      load!();
      await again.sync.whenIdle();
      expect(again.sync.state.chat.map((c) => c.text)).toEqual(['only in the document']);
      expect((await ann.store.getEntry(late.id))?.event).toEqual(late.event);
      await settle(network, [again, bo]);
      expect(again.sync.snapshot.status).toBe('synced');
      expect(stateHash(again.sync.state)).toBe(stateHash(bo.sync.state));
    });

    it('saves each change as an appended update, and compacts them into one state once enough piled up', async () => {
      const store = new MemoryStore();
      const secrets = newGroupSecrets();
      const ann = await openReplica(secrets, 'Ann', { store });
      open = [ann];
      await ann.sync.append({ type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'Ann' });
      await ann.sync.flush();
      const counts: number[] = [];
      for (let i = 0; i < COMPACT_DOC_AFTER + 5; i++) {
        await ann.sync.append({ type: 'chat.message', text: `message ${i}` });
        await ann.sync.flush();
        counts.push((await store.getDocUpdates(secrets.groupId)).length);
      }
      // One more update per save, until the save after the threshold writes one compacted state.
      expect(counts.slice(0, COMPACT_DOC_AFTER - 1)).toEqual(
        Array.from({ length: COMPACT_DOC_AFTER - 1 }, (_, i) => i + 2),
      );
      expect(Math.max(...counts)).toBe(COMPACT_DOC_AFTER);
      expect(counts[COMPACT_DOC_AFTER - 1]).toBe(1);
      expect(counts.at(-1)).toBe(6);
      // Appended or compacted, what is saved is the whole document.
      const saved = (await savedDoc(store, secrets.groupId)).getMap(ENTRIES_MAP);
      const live = ann.sync.doc.getMap(ENTRIES_MAP);
      expect(saved.size).toBe(COMPACT_DOC_AFTER + 6);
      expect([...saved.keys()].sort()).toEqual([...live.keys()].sort());
      await ann.sync.close();

      // Reopened: the saved updates make up the document, and a pile that is too long is compacted.
      for (let i = 0; i < COMPACT_DOC_AFTER; i++)
        await store.appendDocUpdate(secrets.groupId, new Uint8Array([0, 0]));
      const again = await openReplica(secrets, 'Ann', { store, identity: ann.identity });
      open = [again];
      await again.sync.flush();
      expect(await store.getDocUpdates(secrets.groupId)).toHaveLength(1);
      expect([...(await savedDoc(store, secrets.groupId)).getMap(ENTRIES_MAP).keys()].sort()).toEqual(
        [...live.keys()].sort(),
      );
    });

    it('writes the whole document instead of merging changes that are large beside what is stored', async () => {
      const store = new MemoryStore();
      const secrets = newGroupSecrets();
      const ann = await openReplica(secrets, 'Ann', { store });
      open = [ann];
      await ann.sync.append({ type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'Ann' });
      await ann.sync.flush();
      for (let i = 0; i < 40; i++) await ann.sync.append({ type: 'chat.message', text: `message ${i}` });
      await ann.sync.flush();
      // Forty changes against one small stored update: one compacted state, not an appended merge.
      expect(await store.getDocUpdates(secrets.groupId)).toHaveLength(1);
      // Two small changes beside 41 stored entries: merged and appended as usual.
      await ann.sync.append({ type: 'chat.message', text: 'one more' });
      await ann.sync.append({ type: 'chat.message', text: 'and another' });
      await ann.sync.flush();
      expect(await store.getDocUpdates(secrets.groupId)).toHaveLength(2);
      const saved = (await savedDoc(store, secrets.groupId)).getMap(ENTRIES_MAP);
      expect([...saved.keys()].sort()).toEqual([...ann.sync.doc.getMap(ENTRIES_MAP).keys()].sort());
    });

    it('saves the document only once it holds the saved one, and only when it changed', async () => {
      class CountingStore extends MemoryStore {
        docWrites = 0;
        override putDocState(groupId: GroupId, update: Uint8Array): Promise<void> {
          this.docWrites++;
          return super.putDocState(groupId, update);
        }
        override appendDocUpdate(groupId: GroupId, update: Uint8Array): Promise<number> {
          this.docWrites++;
          return super.appendDocUpdate(groupId, update);
        }
      }
      const store = new CountingStore();
      const secrets = newGroupSecrets();
      const ann = await openReplica(secrets, 'Ann', { store });
      await ann.sync.append({ type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'Ann' });
      await ann.sync.close();
      const saved = Y.encodeStateVector(await savedDoc(store, secrets.groupId));
      const writes = store.docWrites;
      const never = () => {};

      const unused = await openReplica(secrets, 'Ann', {
        identity: ann.identity,
        store,
        scheduleDocLoad: never,
      });
      await unused.sync.close();
      expect(store.docWrites).toBe(writes);
      // Loaded but unchanged: nothing new to save either.
      const reader = await openReplica(secrets, 'Ann', { identity: ann.identity, store });
      await reader.sync.flush();
      await reader.sync.close();
      expect(store.docWrites).toBe(writes);

      const writer = await openReplica(secrets, 'Ann', {
        identity: ann.identity,
        store,
        scheduleDocLoad: never,
      });
      open = [writer];
      await writer.sync.append({ type: 'chat.message', text: 'after reopening' });
      await writer.sync.flush();
      // Every operation of the saved document is still in the new one, plus the new entry.
      const after = Y.decodeStateVector(Y.encodeStateVector(await savedDoc(store, secrets.groupId)));
      for (const [client, clock] of Y.decodeStateVector(saved)) {
        expect(after.get(client)).toBeGreaterThanOrEqual(clock);
      }
      expect(after.size).toBe(2);
    });
  });
});
