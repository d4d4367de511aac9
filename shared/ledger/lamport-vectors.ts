/**
 * Test vectors of the lamport rule (docs/protocol.md §7), written to docs/vectors/lamport.json:
 * signed entries around the bound B = 2^20 and, for several sets of them, which entries a
 * group's log accepts, which wait, and the lamport an honest writer takes next. The expected
 * verdicts are written out by hand here, not computed by GroupLog, so the test checks GroupLog
 * against them. To regenerate after a deliberate change:
 *   npx tsx -e "import('./shared/ledger/lamport-vectors.ts').then(async m => console.log(JSON.stringify(await m.buildLamportVectors(), null, 2)))" > docs/vectors/lamport.json
 */
import { bytesToHex, hexToBytes } from '../crypto/hash';
import { importSecretKey } from '../crypto/identity';
import { createEntry, type WalletEventInput } from './envelope';
import { LAMPORT_LEAD_BOUND as B } from './lamport-rule';
import { GROUP_ID, GROUP_KEY, seeds as entrySeeds } from './test-vectors';

const seeds = {
  ...entrySeeds,
  carol: '0303030303030303030303030303030303030303030303030303030303030303',
  dan: '0404040404040404040404040404040404040404040404040404040404040404',
} as const;
type Author = keyof typeof seeds;

interface Input {
  readonly name: string;
  readonly author: Author;
  readonly seq: number;
  /** Name of the author's previous entry (null for seq 1). */
  readonly prev: string | null;
  readonly lamport: number;
  readonly event: WalletEventInput;
}

const chat = (text: string): WalletEventInput => ({ type: 'chat.message', text });

const INPUTS: readonly Input[] = [
  {
    name: 'a1',
    author: 'alice',
    seq: 1,
    prev: null,
    lamport: 1,
    event: { type: 'group.created', name: 'Clock', currency: 'EUR', memberName: 'Alice' },
  },
  { name: 'b1', author: 'bo', seq: 1, prev: null, lamport: 2, event: { type: 'member.joined', name: 'Bo' } },
  { name: 'a2', author: 'alice', seq: 2, prev: 'a1', lamport: 3, event: chat('lamport 3') },
  {
    name: 'c1',
    author: 'carol',
    seq: 1,
    prev: null,
    lamport: B,
    event: { type: 'member.joined', name: 'Carol' },
  },
  { name: 'c2', author: 'carol', seq: 2, prev: 'c1', lamport: B + 4, event: chat('B + 4') },
  { name: 'b2', author: 'bo', seq: 2, prev: 'b1', lamport: B + 6, event: chat('B + 6') },
  {
    name: 'd1',
    author: 'dan',
    seq: 1,
    prev: null,
    lamport: B + 1,
    event: { type: 'member.joined', name: 'Dan' },
  },
  { name: 'c3', author: 'carol', seq: 3, prev: 'c2', lamport: 2 ** 53 - 3, event: chat('2^53 - 3') },
  { name: 'a3', author: 'alice', seq: 3, prev: 'a2', lamport: B + 7, event: chat('B + 7, honest next') },
];

export interface LamportCase {
  readonly description: string;
  /** Names of the entries the log is given (any order, batch or one by one). */
  readonly given: readonly string[];
  readonly accepted: readonly string[];
  /** Entries that wait: in pendingEntries(), neither accepted nor refused. */
  readonly waiting: readonly string[];
  /** The lamport nextHeaderFor gives any writer: largest accepted lamport + 1. */
  readonly nextLamport: number;
}

const CASES: readonly LamportCase[] = [
  {
    description: 'every entry: each one over B has enough lower entries, except the one at 2^53 - 3',
    given: ['a1', 'b1', 'a2', 'c1', 'c2', 'b2', 'd1', 'c3', 'a3'],
    accepted: ['a1', 'b1', 'a2', 'c1', 'c2', 'b2', 'd1', 'a3'],
    waiting: ['c3'],
    nextLamport: B + 8,
  },
  {
    description: 'a lamport of exactly B passes with nothing below it',
    given: ['c1'],
    accepted: ['c1'],
    waiting: [],
    nextLamport: B + 1,
  },
  {
    description: 'B + 1 needs one lower entry',
    given: ['d1'],
    accepted: [],
    waiting: ['d1'],
    nextLamport: 1,
  },
  {
    description: 'B + 1 with one lower entry (at B)',
    given: ['d1', 'c1'],
    accepted: ['c1', 'd1'],
    waiting: [],
    nextLamport: B + 2,
  },
  {
    description: 'without d1, B + 6 has five lower entries and waits; so does B + 7',
    given: ['a1', 'b1', 'a2', 'c1', 'c2', 'b2', 'a3'],
    accepted: ['a1', 'b1', 'a2', 'c1', 'c2'],
    waiting: ['b2', 'a3'],
    nextLamport: B + 5,
  },
  {
    description: 'B + 4 with three lower entries waits, and its successor waits for it',
    given: ['a1', 'b1', 'c1', 'c2', 'c3'],
    accepted: ['a1', 'b1', 'c1'],
    waiting: ['c2', 'c3'],
    nextLamport: B + 1,
  },
];

export interface LamportVectorFile {
  readonly description: string;
  readonly bound: number;
  readonly group: { readonly groupId: string; readonly groupKey: string };
  readonly identities: readonly {
    readonly name: string;
    readonly seed: string;
    readonly publicKey: string;
  }[];
  readonly entries: readonly {
    readonly name: string;
    readonly author: string;
    readonly seq: number;
    readonly prev: string | null;
    readonly lamport: number;
    readonly id: string;
    readonly bytes: string;
  }[];
  readonly cases: readonly LamportCase[];
}

export async function buildLamportVectors(): Promise<LamportVectorFile> {
  const groupKey = hexToBytes(GROUP_KEY);
  const ids = new Map<string, string>();
  const entries: LamportVectorFile['entries'][number][] = [];
  for (const [i, v] of INPUTS.entries()) {
    const prev = v.prev === null ? null : ids.get(v.prev)!;
    const created = await createEntry({
      identity: importSecretKey(hexToBytes(seeds[v.author])),
      groupId: GROUP_ID,
      groupKey,
      seq: v.seq,
      prev,
      lamport: v.lamport,
      time: 1_735_689_600_000 + i * 60_000,
      event: v.event,
      nonce: hexToBytes(`${(0xc0 + i).toString(16)}`.repeat(24)),
    });
    ids.set(v.name, created.id);
    entries.push({
      name: v.name,
      author: v.author,
      seq: v.seq,
      prev,
      lamport: v.lamport,
      id: created.id,
      bytes: bytesToHex(created.bytes),
    });
  }
  return {
    description:
      'Tally lamport rule test vectors (docs/protocol.md §7): an entry with lamport L > bound is accepted only when at least L - bound accepted entries have a lamport < L, and waits until then. Entries re-derive byte for byte; each case lists what a log given those entries accepts and keeps waiting.',
    bound: B,
    group: { groupId: GROUP_ID, groupKey: GROUP_KEY },
    identities: (Object.keys(seeds) as Author[]).map((name) => ({
      name,
      seed: seeds[name],
      publicKey: bytesToHex(importSecretKey(hexToBytes(seeds[name])).publicKey),
    })),
    entries,
    cases: CASES,
  };
}
