/**
 * Healing and the problems a full sync reveals: refused junk leaves the shared map on every
 * replica (and the relay's copy), valid entries stay; an empty relay for a group this device
 * never had reads `relay_has_no_group`; entries waiting for predecessors nobody supplied read
 * `history_incomplete`; the transport's typed errors become the snapshot's problem.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { generateGroupId, generateGroupKey } from '../crypto/group-key';
import { generateIdentity, memberIdOf } from '../crypto/identity';
import {
  createEntry,
  entryIdOf,
  HEADER_LENGTH,
  MAX_ENTRY_SIZE,
  type WalletEventInput,
} from '../ledger/envelope';
import type { GroupId } from '../ledger/types';
import { ENTRIES_MAP } from './group-sync';
import { MemoryNetwork } from './memory-network';
import { closeAll, createGroup, newGroupSecrets, openReplica, type Replica, settle } from './sync-testkit';
import type { TransportContext, TransportFactory } from './transport';

let open: Replica[] = [];
afterEach(async () => {
  await closeAll(open);
  open = [];
});

const chat = (text: string): WalletEventInput => ({ type: 'chat.message', text });

describe('healing the shared map', () => {
  it('removes values the relay would not admit from every replica; valid entries and other refusals stay', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann', 'Bo', 'Mallory']);
    const [ann, bo, mallory] = replicas as [Replica, Replica, Replica];
    await mallory.sync.close();
    open = [ann, bo];
    const evil = new Y.Doc();
    const link = network.connectDoc(evil);
    const evilMap = evil.getMap(ENTRIES_MAP);
    await settle(network, open);

    const author = memberIdOf(mallory.identity.publicKey);
    const own = ann.sync.entries().filter((e) => e.header.author === author);
    const next = (lamportBump = 1) => ({
      seq: own.length + 1,
      prev: own.at(-1)!.id,
      lamport: Math.max(...ann.sync.entries().map((e) => e.header.lamport)) + lamportBump,
    });
    const make = (text: string, over: { groupId?: GroupId; groupKey?: Uint8Array } = {}) =>
      createEntry({
        identity: mallory.identity,
        groupId: over.groupId ?? secrets.groupId,
        groupKey: over.groupKey ?? secrets.groupKey,
        time: 1_700_000_000_000,
        event: chat(text),
        ...next(),
      });

    const garbage = Uint8Array.from({ length: 300 }, (_, i) => (i * 31) % 256);
    const oversize = new Uint8Array(MAX_ENTRY_SIZE + 1).fill(7);
    const tampered = (await make('exact words')).bytes.slice();
    tampered[HEADER_LENGTH + 3]! ^= 0x01;
    const versioned = (await make('v2')).bytes.slice();
    versioned[3] = 2;
    const foreign = await make('wrong room', { groupId: generateGroupId() });
    const misfiled = await make('misfiled');
    // Authentic (signed by a member) but sealed with another key: the relay admits it, so it stays.
    const sealedElsewhere = await make('secret', { groupKey: generateGroupKey() });

    const junk: [string, unknown][] = [
      [entryIdOf(garbage), garbage],
      [entryIdOf(oversize), oversize],
      [entryIdOf(tampered), tampered],
      [entryIdOf(versioned), versioned],
      [foreign.id, foreign.bytes],
      ['0'.repeat(64), misfiled.bytes],
      ['f'.repeat(64), { type: 'chat.message', text: 'json, not an entry' }],
    ];
    const entriesBefore = ann.sync.entries().map((e) => e.id);
    evil.transact(() => {
      for (const [key, value] of junk) evilMap.set(key, value);
      evilMap.set(sealedElsewhere.id, sealedElsewhere.bytes);
    });
    await settle(network, open);

    const hubMap = network.hub.getMap(ENTRIES_MAP);
    for (const map of [hubMap, evilMap, ...open.map((r) => r.sync.doc.getMap(ENTRIES_MAP))]) {
      for (const [key] of junk) expect(map.has(key)).toBe(false);
      expect(map.has(sealedElsewhere.id)).toBe(true);
      for (const id of entriesBefore) expect(map.has(id)).toBe(true);
    }
    for (const r of open) {
      const codes = (await r.store.listRejected(r.sync.groupId)).map((x) => x.code).sort();
      expect(codes).toEqual(
        [
          'bad_signature',
          'key_mismatch',
          'malformed',
          'not_bytes',
          'too_large',
          'unsupported_version',
          'wrong_group',
        ].sort(),
      );
      expect(r.sync.entries().map((e) => e.id)).toEqual(entriesBefore);
      // Sealed with a key this group never had: held as unreadable (it may be a later epoch's).
      expect(r.sync.unreadableCount).toBe(1);
    }

    // Healing stops nobody: honest writes go on and arrive everywhere.
    await ann.sync.append(chat('still here'));
    await settle(network, open);
    expect(bo.sync.state.chat.at(-1)?.text).toBe('still here');
    link.destroy();
    evil.destroy();
  });

  it('removes junk that was already in the document when a replica opens', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann']);
    const [ann] = replicas as [Replica];
    await ann.sync.close();
    // Junk reached the relay while no honest device was online.
    const garbage = Uint8Array.from({ length: 200 }, (_, i) => (i * 7) % 256);
    network.hub.getMap(ENTRIES_MAP).set(entryIdOf(garbage), garbage);
    const again = await openReplica(secrets, 'Ann', { identity: ann.identity, store: ann.store });
    open = [again];
    again.sync.connect(network.transport);
    await settle(network, open);
    expect(network.hub.getMap(ENTRIES_MAP).has(entryIdOf(garbage))).toBe(false);
    expect(network.hub.getMap(ENTRIES_MAP).size).toBe(1);
  });
});

describe('problems after a full sync', () => {
  it('relay_has_no_group: a joiner finds nothing on the relay; the creator never sees it', async () => {
    const network = new MemoryNetwork();
    const secrets = newGroupSecrets();
    const joiner = await openReplica(secrets, 'Jo');
    open = [joiner];
    expect(joiner.sync.snapshot.problem).toBeUndefined(); // offline: nothing to say yet
    joiner.sync.connect(network.transport);
    expect(joiner.sync.snapshot.problem).toBeUndefined(); // not synced yet
    await settle(network, open);
    expect(joiner.sync.snapshot.status).toBe('synced');
    expect(joiner.sync.snapshot.problem).toEqual({
      code: 'relay_has_no_group',
      message: 'This relay has no such group.',
    });

    // Someone creates the group there after all: the problem goes away.
    const creator = await openReplica(secrets, 'Ann');
    open.push(creator);
    creator.sync.connect(network.transport);
    await creator.sync.append({ type: 'group.created', name: 'Flat', currency: 'EUR', memberName: 'Ann' });
    await settle(network, open);
    expect(creator.sync.snapshot.problem).toBeUndefined();
    expect(joiner.sync.snapshot.problem).toBeUndefined();
  });

  it('history_incomplete: entries wait for predecessors nobody supplies, until they come', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann', 'Bo']);
    open = replicas;
    const [ann] = replicas as [Replica, Replica];
    const stranger = generateIdentity();
    const lamport = Math.max(...ann.sync.entries().map((e) => e.header.lamport));
    const base = { identity: stranger, groupId: secrets.groupId, groupKey: secrets.groupKey, time: 1 };
    const first = await createEntry({
      ...base,
      seq: 1,
      prev: null,
      lamport: lamport + 1,
      event: { type: 'member.joined', name: 'Cy' },
    });
    const second = await createEntry({
      ...base,
      seq: 2,
      prev: first.id,
      lamport: lamport + 2,
      event: chat('a'),
    });
    const third = await createEntry({
      ...base,
      seq: 3,
      prev: second.id,
      lamport: lamport + 3,
      event: chat('b'),
    });
    const carrier = new Y.Doc();
    const link = network.connectDoc(carrier);
    carrier.transact(() => {
      carrier.getMap(ENTRIES_MAP).set(second.id, second.bytes);
      carrier.getMap(ENTRIES_MAP).set(third.id, third.bytes);
    });
    await settle(network, open);
    for (const r of open) {
      expect(r.sync.snapshot.pending).toBe(2);
      expect(r.sync.snapshot.problem).toMatchObject({ code: 'history_incomplete', count: 2 });
      expect(r.sync.snapshot.problem?.message).toMatch(/2 entries wait for earlier ones/);
    }
    carrier.transact(() => carrier.getMap(ENTRIES_MAP).set(first.id, first.bytes));
    await settle(network, open);
    for (const r of open) {
      expect(r.sync.snapshot.pending).toBe(0);
      expect(r.sync.snapshot.problem).toBeUndefined();
    }
    link.destroy();
    carrier.destroy();
  });
});

describe('transport errors as problems', () => {
  /** A transport the test drives by hand through its context. */
  function scripted(): { factory: TransportFactory; ctx: () => TransportContext } {
    let current: TransportContext | undefined;
    return {
      factory: (ctx) => {
        current = ctx;
        return { destroy: () => undefined };
      },
      ctx: () => current!,
    };
  }

  it('keeps what the relay said through a brief connect, and clears it after a full exchange', async () => {
    const replica = await openReplica(newGroupSecrets(), 'Ann');
    open = [replica];
    const t = scripted();
    replica.sync.connect(t.factory);
    await replica.sync.whenIdle();
    const retryAt = Date.now() + 60_000;
    t.ctx().onStatus('connected');
    t.ctx().onError({
      code: 'relay_busy',
      message: 'The relay is busy; trying again in 60 seconds.',
      retryAt,
    });
    t.ctx().onStatus('disconnected');
    expect(replica.sync.snapshot.problem).toEqual({
      code: 'relay_busy',
      message: 'The relay is busy; trying again in 60 seconds.',
      retryAt,
    });
    expect(replica.sync.snapshot.lastError).toMatch(/relay is busy/);
    // The retry: the relay accepts, and the problem lasts until the exchange is done.
    t.ctx().onStatus('connected');
    expect(replica.sync.snapshot.problem?.code).toBe('relay_busy');
    t.ctx().onSynced(true);
    expect(replica.sync.snapshot.problem?.code).toBe('relay_has_no_group'); // an empty group, synced
    expect(replica.sync.snapshot.lastError).toBeUndefined();
  });

  it('an unreachable relay stops being the problem once a connection opens', async () => {
    const replica = await openReplica(newGroupSecrets(), 'Ann');
    open = [replica];
    const t = scripted();
    replica.sync.connect(t.factory);
    await replica.sync.whenIdle();
    t.ctx().onError({ code: 'unreachable', message: 'Cannot reach the relay at ws://x' });
    expect(replica.sync.snapshot.problem?.code).toBe('unreachable');
    t.ctx().onStatus('connected');
    expect(replica.sync.snapshot.problem).toBeUndefined();
  });

  it('a replaced transport cannot set a problem', async () => {
    const replica = await openReplica(newGroupSecrets(), 'Ann');
    open = [replica];
    const first = scripted();
    replica.sync.connect(first.factory);
    await replica.sync.whenIdle();
    const old = first.ctx();
    replica.sync.connect(scripted().factory);
    old.onError({ code: 'invite_key_mismatch', message: 'no' });
    expect(replica.sync.snapshot.problem).toBeUndefined();
  });
});
