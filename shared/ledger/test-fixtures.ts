/** Test helpers: small groups of authors writing real signed entries, and ways to forge bad ones. */
import { encryptBody } from '../crypto/aead';
import { generateGroupId, generateGroupKey } from '../crypto/group-key';
import { bytesToHex } from '../crypto/hash';
import { generateIdentity, type Identity, memberIdOf } from '../crypto/identity';
import { nobleBackend } from '../crypto/sign';
import {
  type CreatedEntry,
  createEntry,
  decodeEntry,
  HEADER_LENGTH,
  type NewEntry,
  signingMessage,
  type WalletEventInput,
} from './envelope';
import type { EntryId, GroupId, GroupState } from './types';

export interface TestGroup {
  readonly groupId: GroupId;
  readonly groupKey: Uint8Array;
  /** Shared lamport counter so entries of different authors interleave like real ones. */
  clock: number;
}

export function newGroup(): TestGroup {
  return { groupId: generateGroupId(), groupKey: generateGroupKey(), clock: 0 };
}

export const chat = (text: string): WalletEventInput => ({ type: 'chat.message', text });

export class TestAuthor {
  readonly identity: Identity;
  readonly id: string;
  seq = 0;
  prev: EntryId | null = null;
  lamport = 0;

  constructor(
    readonly group: TestGroup,
    identity: Identity = generateIdentity(),
  ) {
    this.identity = identity;
    this.id = memberIdOf(identity.publicKey);
  }

  /** Writes the author's next entry; `over` replaces header fields to build bad entries. */
  async write(event: WalletEventInput, over: Partial<NewEntry> = {}): Promise<CreatedEntry> {
    const lamport = over.lamport ?? ++this.group.clock;
    const created = await createEntry({
      identity: this.identity,
      groupId: this.group.groupId,
      groupKey: this.group.groupKey,
      seq: this.seq + 1,
      prev: this.prev,
      time: 1_700_000_000_000 + lamport,
      event,
      ...over,
      lamport,
    });
    this.seq = created.entry.header.seq;
    this.prev = created.id;
    this.lamport = lamport;
    return created;
  }

  join(name = 'Member'): Promise<CreatedEntry> {
    return this.write({ type: 'member.joined', name });
  }

  /** Writes `n` chat messages. */
  async chats(n: number): Promise<CreatedEntry[]> {
    const out: CreatedEntry[] = [];
    for (let i = 0; i < n; i++) out.push(await this.write(chat(`message ${this.seq + 1}`)));
    return out;
  }
}

/**
 * A group founded by Alice and joined by Bob, then `perAuthor` chat messages from each,
 * interleaved (Alice, Bob, Alice, …).
 */
export async function twoAuthorHistory(perAuthor = 3) {
  const g = newGroup();
  const alice = new TestAuthor(g);
  const bob = new TestAuthor(g);
  const entries = [
    await alice.write({ type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'Alice' }),
    await bob.join('Bob'),
  ];
  for (let i = 0; i < perAuthor; i++) {
    entries.push(await alice.write(chat(`a${i}`)), await bob.write(chat(`b${i}`)));
  }
  return { g, alice, bob, entries, bytes: entries.map((e) => e.bytes) };
}

/** A copy with one byte xor-ed. */
export function flipByte(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at]! ^= 0x01;
  return copy;
}

/**
 * Re-encrypts `plaintext` under the entry's header and signs it properly: a genuine entry
 * whose body is whatever the test wants (e.g. JSON that is not a valid event).
 */
export async function withBody(
  entry: Uint8Array,
  plaintext: Uint8Array,
  identity: Identity,
  groupKey: Uint8Array,
): Promise<Uint8Array> {
  const decoded = decodeEntry(entry);
  if (!decoded.ok) throw decoded.error;
  const bodyLength = plaintext.length + 16;
  const out = new Uint8Array(HEADER_LENGTH + bodyLength + 64);
  out.set(entry.subarray(0, HEADER_LENGTH));
  new DataView(out.buffer).setUint32(128, bodyLength);
  const header = out.subarray(0, HEADER_LENGTH);
  out.set(encryptBody(groupKey, decoded.value.nonce.slice(), plaintext, header), HEADER_LENGTH);
  const signedEnd = HEADER_LENGTH + bodyLength;
  out.set(await nobleBackend.sign(identity.secretKey, signingMessage(out.subarray(0, signedEnd))), signedEnd);
  return out;
}

export const hex = bytesToHex;

/** A group state with nothing in it but its name and `entryCount` (tests of what stores or shows states). */
export function bareState(groupId: GroupId, entryCount: number, over: Partial<GroupState> = {}): GroupState {
  return {
    groupId,
    name: 'Flat',
    currency: 'CNY',
    createdBy: null,
    members: [],
    expenses: [],
    payments: [],
    requests: [],
    chat: [],
    rates: [],
    conflicts: [],
    ignored: [],
    entryCount,
    maxLamport: entryCount,
    ...over,
  };
}
