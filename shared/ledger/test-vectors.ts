/**
 * Inputs of the protocol test vectors in docs/vectors/entries.json, and the function that
 * derives the file from them. The test checks the file both ways: the bytes re-derive
 * exactly, and the checked-in bytes verify. To regenerate after a deliberate protocol change:
 *   npx tsx -e "import('./shared/ledger/test-vectors.ts').then(async m => console.log(JSON.stringify(await m.buildVectors(), null, 2)))" > docs/vectors/entries.json
 */
import { deriveRelayToken } from '../crypto/group-key';
import { bytesToHex, hexToBytes } from '../crypto/hash';
import { importSecretKey } from '../crypto/identity';
import { createEntry, SIGNATURE_LABEL, type WalletEventInput } from './envelope';
import type { EntryErrorCode } from './entry-errors';
import type { WalletEvent } from './events';

export const seeds = {
  alice: '0101010101010101010101010101010101010101010101010101010101010101',
  bo: '0202020202020202020202020202020202020202020202020202020202020202',
} as const;
type Name = keyof typeof seeds;

export const GROUP_ID = '00112233445566778899aabbccddeeff';
export const GROUP_KEY = '4242424242424242424242424242424242424242424242424242424242424242';

interface VectorInput {
  readonly author: Name;
  readonly seq: number;
  /** Index of the author's previous vector entry (null for seq 1). */
  readonly prevIndex: number | null;
  readonly lamport: number;
  readonly time: number;
  readonly nonce: string;
  readonly event: WalletEventInput;
}

const publicKeyOf = (name: Name) => bytesToHex(importSecretKey(hexToBytes(seeds[name])).publicKey);

function inputs(): VectorInput[] {
  const alice = publicKeyOf('alice');
  const bo = publicKeyOf('bo');
  return [
    {
      author: 'alice',
      seq: 1,
      prevIndex: null,
      lamport: 1,
      time: 1_735_689_600_000,
      nonce: 'a0'.repeat(24),
      event: { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Alice' },
    },
    {
      author: 'bo',
      seq: 1,
      prevIndex: null,
      lamport: 2,
      time: 1_735_689_660_000,
      nonce: 'b0'.repeat(24),
      event: { type: 'member.joined', name: 'Bo 波' },
    },
    {
      author: 'alice',
      seq: 2,
      prevIndex: 0,
      lamport: 3,
      time: 1_735_776_000_000,
      nonce: 'a1'.repeat(24),
      event: {
        type: 'expense.created',
        expense: {
          description: '买菜 Groceries',
          currency: 'CNY',
          amount: 18240,
          date: '2025-01-02',
          payers: [{ member: alice, amount: 18240 }],
          split: { mode: 'equal', members: [alice, bo] },
        },
      },
    },
    {
      author: 'bo',
      seq: 2,
      prevIndex: 1,
      lamport: 4,
      time: 1_735_862_400_000,
      nonce: 'b1'.repeat(24),
      event: {
        type: 'payment.recorded',
        from: bo,
        to: alice,
        amount: 9120,
        currency: 'CNY',
        date: '2025-01-03',
      },
    },
  ];
}

export interface VectorFile {
  readonly description: string;
  readonly signatureLabel: string;
  readonly group: { readonly groupId: string; readonly groupKey: string; readonly relayToken: string };
  readonly identities: readonly {
    readonly name: string;
    readonly seed: string;
    readonly publicKey: string;
  }[];
  readonly entries: readonly {
    readonly author: string;
    readonly seq: number;
    readonly prev: string | null;
    readonly lamport: number;
    readonly time: number;
    readonly nonce: string;
    readonly event: WalletEvent;
    readonly id: string;
    readonly bytes: string;
  }[];
  readonly invalid: readonly {
    readonly description: string;
    readonly code: EntryErrorCode;
    readonly bytes: string;
  }[];
}

export async function buildVectors(): Promise<VectorFile> {
  const groupKey = hexToBytes(GROUP_KEY);
  const entries: VectorFile['entries'][number][] = [];
  for (const v of inputs()) {
    const prev = v.prevIndex === null ? null : entries[v.prevIndex]!.id;
    const created = await createEntry({
      identity: importSecretKey(hexToBytes(seeds[v.author])),
      groupId: GROUP_ID,
      groupKey,
      seq: v.seq,
      prev,
      lamport: v.lamport,
      time: v.time,
      event: v.event,
      nonce: hexToBytes(v.nonce),
    });
    entries.push({
      author: v.author,
      seq: v.seq,
      prev,
      lamport: v.lamport,
      time: v.time,
      nonce: v.nonce,
      event: created.entry.event,
      id: created.id,
      bytes: bytesToHex(created.bytes),
    });
  }
  const first = entries[0]!.bytes;
  const flip = (hex: string, byte: number) => {
    const b = hexToBytes(hex);
    b[byte]! ^= 1;
    return bytesToHex(b);
  };
  return {
    description:
      'Tally entry envelope v1 test vectors (docs/protocol.md). Each entry re-derives byte for byte from the fixed seeds, group key and nonces.',
    signatureLabel: bytesToHex(SIGNATURE_LABEL),
    group: { groupId: GROUP_ID, groupKey: GROUP_KEY, relayToken: deriveRelayToken(groupKey) },
    identities: (Object.keys(seeds) as Name[]).map((name) => ({
      name,
      seed: seeds[name],
      publicKey: publicKeyOf(name),
    })),
    entries,
    invalid: [
      {
        description: 'entry 0 with its time field (byte 100) altered',
        code: 'bad_signature',
        bytes: flip(first, 100),
      },
      {
        description: 'entry 0 with a body byte (133) altered',
        code: 'bad_signature',
        bytes: flip(first, 133),
      },
      { description: 'entry 0 with version 0 (byte 3)', code: 'unsupported_version', bytes: flip(first, 3) },
      { description: 'entry 0 with one trailing byte', code: 'malformed', bytes: `${first}00` },
    ],
  };
}
