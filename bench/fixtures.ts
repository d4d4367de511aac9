/** Realistic signed group histories for the benchmarks (seeded, so runs are comparable). */
import { generateGroupId, generateGroupKey } from '../shared/crypto/group-key';
import { generateIdentity, type Identity, memberIdOf } from '../shared/crypto/identity';
import { type CreatedEntry, createEntry, type WalletEventInput } from '../shared/ledger/envelope';
import type { EntryId, GroupId } from '../shared/ledger/types';

export interface SignedHistory {
  readonly groupId: GroupId;
  readonly groupKey: Uint8Array;
  readonly members: readonly string[];
  readonly entries: readonly CreatedEntry[];
}

export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomEvent(rand: () => number, members: readonly string[], author: string): WalletEventInput {
  const r = rand();
  const amount = 100 + Math.floor(rand() * 50_000);
  if (r < 0.6) {
    return {
      type: 'expense.created',
      expense: {
        description: `Groceries #${Math.floor(rand() * 1000)}`,
        category: 'food',
        currency: 'CNY',
        amount,
        date: '2026-11-01',
        payers: [{ member: author, amount }],
        split: { mode: 'equal', members: [...members] },
      },
    };
  }
  if (r < 0.8) {
    const to = members.find((m) => m !== author) as string;
    return { type: 'payment.recorded', from: author, to, amount, currency: 'CNY', date: '2026-11-02' };
  }
  return { type: 'chat.message', text: `see you at ${Math.floor(rand() * 24)}:00 for dinner?` };
}

/** `count` entries by `authors` members (each starts with its join), interleaved by a shared lamport clock. */
export async function makeSignedHistory(count: number, authors: number, seed = 1): Promise<SignedHistory> {
  const rand = seeded(seed);
  const groupId = generateGroupId();
  const groupKey = generateGroupKey();
  const ids: Identity[] = Array.from({ length: authors }, () => generateIdentity());
  const members = ids.map((i) => memberIdOf(i.publicKey));
  const heads = ids.map(() => ({ seq: 0, prev: null as EntryId | null }));
  const entries: CreatedEntry[] = [];
  let lamport = 0;
  for (let i = 0; i < count; i++) {
    const a = i < authors ? i : Math.floor(rand() * authors);
    const head = heads[a] as { seq: number; prev: EntryId | null };
    const author = members[a] as string;
    const event: WalletEventInput =
      head.seq === 0
        ? a === 0
          ? { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: `M${a}` }
          : { type: 'member.joined', name: `M${a}` }
        : randomEvent(rand, members, author);
    const created = await createEntry({
      identity: ids[a] as Identity,
      groupId,
      groupKey,
      seq: head.seq + 1,
      prev: head.prev,
      lamport: ++lamport,
      time: 1_763_000_000_000 + i,
      event,
    });
    head.seq += 1;
    head.prev = created.id;
    entries.push(created);
  }
  return { groupId, groupKey, members, entries };
}

/** Fisher–Yates with a seeded generator: arrival order differs from write order, like a real sync. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rand = seeded(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
