/**
 * Attacks through the real binding: a malicious peer writes straight into the shared Y.Map
 * (it holds the relay token; most attacks also hold the group key, as a rogue member would).
 * Each refusal must carry its typed code, store nothing and leave the honest state unchanged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encryptBody } from '../crypto/aead';
import { generateGroupId, generateGroupKey } from '../crypto/group-key';
import { generateIdentity, type Identity, memberIdOf } from '../crypto/identity';
import { sign } from '../crypto/sign';
import { createEntry, entryIdOf, HEADER_LENGTH, MAX_ENTRY_SIZE, signingMessage } from '../ledger/envelope';
import type { WalletEventInput } from '../ledger/envelope';
import { stateHash } from '../ledger/state-hash';
import { ENTRIES_MAP, type SyncRejectCode } from './group-sync';
import { MemoryNetwork } from './memory-network';
import { type GroupSecrets, closeAll, createGroup, openReplica, type Replica, settle } from './sync-testkit';
import type { Transport } from './transport';

let network: MemoryNetwork;
let secrets: GroupSecrets;
let honest: Replica[];
let ann: Replica;
let mallory: Identity;
let evil: Y.Doc;
let evilLink: Transport;
let evilMap: Y.Map<unknown>;

beforeEach(async () => {
  network = new MemoryNetwork();
  const group = await createGroup(network, ['Ann', 'Bo', 'Mallory']);
  secrets = group.secrets;
  const [a, b, m] = group.replicas as [Replica, Replica, Replica];
  // Mallory joined honestly; from now on she writes raw bytes into the document.
  await m.sync.close();
  mallory = m.identity;
  ann = a;
  honest = [a, b];
  await a.sync.append({ type: 'chat.message', text: 'hello' });
  await settle(network, honest);
  evil = new Y.Doc();
  evilLink = network.connectDoc(evil);
  evilMap = evil.getMap(ENTRIES_MAP);
  await settle(network, honest);
});

afterEach(async () => {
  evilLink.destroy();
  evil.destroy();
  await closeAll(honest);
});

/** Mallory's (or anyone's) next honest-looking header, read from an honest replica's log. */
function nextHeader(identity: Identity) {
  const author = memberIdOf(identity.publicKey);
  const own = ann.sync.entries().filter((e) => e.header.author === author);
  const head = own.at(-1);
  const lamport = Math.max(...ann.sync.entries().map((e) => e.header.lamport)) + 1;
  return { seq: (head?.header.seq ?? 0) + 1, prev: head?.id ?? null, lamport };
}

async function craft(
  event: WalletEventInput,
  overrides: Partial<{
    identity: Identity;
    seq: number;
    prev: string | null;
    lamport: number;
    groupId: string;
    groupKey: Uint8Array;
  }> = {},
) {
  const identity = overrides.identity ?? mallory;
  return createEntry({
    identity,
    groupId: secrets.groupId,
    groupKey: secrets.groupKey,
    time: 1_700_000_000_000,
    event,
    ...nextHeader(identity),
    ...overrides,
  });
}

const chat = (text: string): WalletEventInput => ({ type: 'chat.message', text });

interface Before {
  hashes: string[];
  stored: string[][];
  rejected: number[];
}

async function snapshot(): Promise<Before> {
  return {
    hashes: honest.map((r) => stateHash(r.sync.state)),
    stored: await Promise.all(
      honest.map(async (r) => (await r.store.listEntries(r.sync.groupId)).map((e) => e.id)),
    ),
    rejected: honest.map((r) => r.sync.snapshot.rejected),
  };
}

/** Writes `value` under `key` as the attacker, lets it arrive, and checks the refusal everywhere. */
async function expectRefused(key: string, value: unknown, code: SyncRejectCode): Promise<void> {
  const before = await snapshot();
  evil.transact(() => evilMap.set(key, value));
  await settle(network, honest);
  const after = await snapshot();
  for (const [i, r] of honest.entries()) {
    const refusals = await r.store.listRejected(r.sync.groupId);
    expect(refusals.map((x) => x.code)).toContain(code);
    expect(r.sync.snapshot.rejected).toBe(before.rejected[i]! + 1);
    expect(r.sync.snapshot.pending).toBe(0);
    expect(await r.store.listPending(r.sync.groupId)).toEqual([]);
  }
  expect(after.stored).toEqual(before.stored);
  expect(after.hashes).toEqual(before.hashes);
}

describe('attacks through the shared map', () => {
  it('forged signature: an entry in Ann’s name signed with another key', async () => {
    const forged = await craft(chat('pay Mallory'), {
      identity: { publicKey: ann.identity.publicKey, secretKey: mallory.secretKey },
    });
    await expectRefused(forged.id, forged.bytes, 'bad_signature');
  });

  it('tampered header: a signed entry with its timestamp changed', async () => {
    const entry = await craft(chat('on time'));
    const bytes = entry.bytes.slice();
    bytes[100] = (bytes[100]! + 1) % 256; // inside the time field
    await expectRefused(entryIdOf(bytes), bytes, 'bad_signature');
  });

  it('tampered body: a signed entry with one ciphertext byte flipped', async () => {
    const entry = await craft(chat('exact words'));
    const bytes = entry.bytes.slice();
    bytes[HEADER_LENGTH + 3] = bytes[HEADER_LENGTH + 3]! ^ 0x01;
    await expectRefused(entryIdOf(bytes), bytes, 'bad_signature');
  });

  it('wrong group key: a properly signed entry encrypted with another key is held unreadable, never applied', async () => {
    // Not refused: it may be written under an epoch key whose key.rotated has not arrived yet.
    const entry = await craft(chat('secret'), { groupKey: generateGroupKey() });
    const before = await snapshot();
    evil.transact(() => evilMap.set(entry.id, entry.bytes));
    await settle(network, honest);
    expect(await snapshot()).toEqual(before);
    for (const r of honest) expect(r.sync.unreadableCount).toBe(1);
  });

  it('non-member author: a stranger’s first entry is not a join', async () => {
    const entry = await craft(chat('let me in'), { identity: generateIdentity() });
    await expectRefused(entry.id, entry.bytes, 'not_member');
  });

  it('entry of another group', async () => {
    const entry = await craft(chat('wrong room'), { groupId: generateGroupId() });
    await expectRefused(entry.id, entry.bytes, 'wrong_group');
  });

  it('broken chain: prev names someone else’s entry', async () => {
    const annEntry = ann.sync.entries().find((e) => e.header.author !== memberIdOf(mallory.publicKey));
    const entry = await craft(chat('rewired'), { prev: annEntry!.id });
    await expectRefused(entry.id, entry.bytes, 'chain_broken');
  });

  it('lamport going backwards along an author’s chain', async () => {
    const entry = await craft(chat('from the past'), { lamport: 1 });
    await expectRefused(entry.id, entry.bytes, 'lamport_not_increasing');
  });

  it('a descendant of a refused entry is refused too', async () => {
    const bad = await craft(chat('from the past'), { lamport: 1 });
    await expectRefused(bad.id, bad.bytes, 'lamport_not_increasing');
    const child = await craft(chat('child'), { seq: bad.entry.header.seq + 1, prev: bad.id, lamport: 99 });
    await expectRefused(child.id, child.bytes, 'chain_broken');
  });

  it('oversize entry', async () => {
    const bytes = new Uint8Array(MAX_ENTRY_SIZE + 1).fill(7);
    await expectRefused(entryIdOf(bytes), bytes, 'too_large');
  });

  it('garbage bytes as a map value', async () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 31) % 256);
    await expectRefused(entryIdOf(bytes), bytes, 'malformed');
  });

  it('an envelope of an unknown version', async () => {
    const entry = await craft(chat('v2'));
    const bytes = entry.bytes.slice();
    bytes[3] = 2;
    await expectRefused(entryIdOf(bytes), bytes, 'unsupported_version');
  });

  it('a signed, decryptable body that is not a valid event', async () => {
    const entry = await craft(chat('abcde'));
    const bytes = entry.bytes.slice();
    const plaintext = new TextEncoder().encode('{"type":"chat.messagX","text":"abcde"}');
    expect(plaintext.length + 16).toBe(bytes.length - HEADER_LENGTH - 64);
    const aad = bytes.subarray(0, HEADER_LENGTH);
    bytes.set(encryptBody(secrets.groupKey, bytes.slice(104, 128), plaintext, aad), HEADER_LENGTH);
    const signedEnd = bytes.length - 64;
    bytes.set(await sign(mallory.secretKey, signingMessage(bytes.subarray(0, signedEnd))), signedEnd);
    await expectRefused(entryIdOf(bytes), bytes, 'schema_invalid');
  });

  it('a value that is not bytes at all', async () => {
    await expectRefused('f'.repeat(64), { type: 'chat.message', text: 'json, not an entry' }, 'not_bytes');
  });

  it('a valid entry under a key that is not its id', async () => {
    const entry = await craft(chat('misfiled'));
    await expectRefused('0'.repeat(64), entry.bytes, 'key_mismatch');
  });
});

describe('attacks that must have no effect or a visible one', () => {
  it('replayed entry: the same bytes again are a duplicate and change nothing', async () => {
    const before = await snapshot();
    const known = ann.sync.entries()[1]!;
    evil.transact(() => evilMap.set(known.id, known.bytes.slice()));
    await settle(network, honest);
    expect(await snapshot()).toEqual(before);
  });

  it('overwriting or deleting a known entry: honest peers put it back, latecomers still get it', async () => {
    const known = ann.sync.entries()[1]!;
    const before = await snapshot();
    evil.transact(() => evilMap.set(known.id, new Uint8Array([1, 2, 3])));
    await settle(network, honest);
    expect(evilMap.get(known.id)).toEqual(known.bytes);
    evil.transact(() => evilMap.delete(known.id));
    await settle(network, honest);
    expect(evilMap.get(known.id)).toEqual(known.bytes);
    expect(await snapshot()).toEqual(before);

    const late = await openReplica(secrets, 'Late');
    honest.push(late);
    late.sync.connect(network.transport);
    await settle(network, honest);
    expect(late.sync.entries().map((e) => e.id)).toContain(known.id);
  });

  it('fork: two entries with the same author and seq are kept as evidence and leave the log', async () => {
    const mId = memberIdOf(mallory.publicKey);
    const a = await craft(chat('version A'));
    const b = await craft(chat('version B'));
    evil.transact(() => evilMap.set(a.id, a.bytes));
    await settle(network, honest);
    expect(ann.sync.state.chat.map((c) => c.text)).toContain('version A');
    evil.transact(() => evilMap.set(b.id, b.bytes));
    await settle(network, honest);
    for (const r of honest) {
      expect(r.sync.snapshot.forks).toBe(1);
      const evidence = await r.store.listEntries(r.sync.groupId, { status: 'fork-evidence' });
      expect(evidence.map((e) => e.id).sort()).toEqual([a.id, b.id].sort());
      const heads = await r.store.heads(r.sync.groupId);
      expect(heads.find((h) => h.author === mId)?.seq).toBe(a.entry.header.seq - 1);
      expect(r.sync.state.chat.map((c) => c.text)).not.toContain('version A');
    }
    expect(stateHash(honest[0]!.sync.state)).toBe(stateHash(honest[1]!.sync.state));
  });

  it('an entry whose predecessor never comes waits as pending and changes nothing', async () => {
    const first = await craft(chat('one'));
    const second = await craft(chat('two'), { seq: first.entry.header.seq + 1, prev: first.id, lamport: 50 });
    const before = await snapshot();
    evil.transact(() => evilMap.set(second.id, second.bytes));
    await settle(network, honest);
    for (const r of honest) {
      expect(r.sync.snapshot.pending).toBe(1);
      expect((await r.store.listPending(r.sync.groupId)).map((p) => p.id)).toEqual([second.id]);
    }
    expect(await snapshot()).toEqual(before);

    evil.transact(() => evilMap.set(first.id, first.bytes));
    await settle(network, honest);
    for (const r of honest) {
      expect(r.sync.snapshot.pending).toBe(0);
      expect(await r.store.listPending(r.sync.groupId)).toEqual([]);
      expect(r.sync.state.chat.map((c) => c.text).slice(-2)).toEqual(['one', 'two']);
    }
  });
});
