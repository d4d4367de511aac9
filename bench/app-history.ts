/**
 * A long, realistic history for a group that already exists in the app: other members join the
 * group the browser created and write expenses, payments and chat for months. Signed and
 * encrypted with the real core, so the app verifies every entry like any other arrival.
 */
import { generateIdentity, type Identity, memberIdOf } from '../shared/crypto/identity';
import { createEntry, decodeEntry, type WalletEventInput } from '../shared/ledger/envelope';
import type { EntryId, GroupId } from '../shared/ledger/types';
import { seeded } from './fixtures';

export interface ExtendedHistory {
  /** The new entries' bytes, in the order they were written. */
  readonly entries: readonly Uint8Array[];
  /** Members after the history: the group's existing ones first. */
  readonly members: readonly string[];
  /** How many non-deleted expenses the group then has (the expense list's count). */
  readonly expenses: number;
}

const DESCRIPTIONS = ['Groceries', 'Electricity', 'Internet', 'Hotpot night', 'Taxi', 'Cleaning', 'Water'];
const CATEGORIES = ['groceries', 'utilities', 'utilities', 'dining', 'transport', 'household', 'utilities'];
const DAY = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function nextEvent(
  rand: () => number,
  members: readonly string[],
  author: string,
  at: number,
): WalletEventInput {
  const r = rand();
  const date = isoDate(at);
  if (r < 0.7) {
    const k = Math.floor(rand() * DESCRIPTIONS.length);
    const amount = 500 + Math.floor(rand() * 60_000);
    // Mostly everyone; sometimes the author and one other person.
    const other = members[Math.floor(rand() * members.length)] as string;
    const split = rand() < 0.8 || other === author ? [...members] : [author, other];
    return {
      type: 'expense.created',
      expense: {
        description: `${DESCRIPTIONS[k]} #${Math.floor(rand() * 1000)}`,
        category: CATEGORIES[k] as string,
        currency: 'CNY',
        amount,
        date,
        payers: [{ member: author, amount }],
        split: { mode: 'equal', members: split },
      },
    };
  }
  if (r < 0.85) {
    const others = members.filter((m) => m !== author);
    const to = others[Math.floor(rand() * others.length)] as string;
    return {
      type: 'payment.recorded',
      from: author,
      to,
      amount: 100 + Math.floor(rand() * 20_000),
      currency: 'CNY',
      date,
    };
  }
  return { type: 'chat.message', text: `Dinner at ${17 + Math.floor(rand() * 5)}:00?` };
}

/**
 * Entries that bring the group to `total` entries: `authors` new members join, then write.
 * `existing` are the group's current entries (at least its group.created).
 */
export async function extendHistory(opts: {
  readonly groupId: GroupId;
  readonly groupKey: Uint8Array;
  readonly existing: readonly Uint8Array[];
  readonly total: number;
  readonly authors: number;
  readonly seed?: number;
}): Promise<ExtendedHistory> {
  const rand = seeded(opts.seed ?? 7);
  const headers = opts.existing.map((bytes) => {
    const d = decodeEntry(bytes);
    if (!d.ok) throw new Error(`existing entry does not decode: ${d.error.message}`);
    return d.value.header;
  });
  const existingMembers = [...new Set(headers.map((h) => h.author))];
  let lamport = Math.max(...headers.map((h) => h.lamport));
  const ids: Identity[] = Array.from({ length: opts.authors }, () => generateIdentity());
  const newMembers = ids.map((i) => memberIdOf(i.publicKey));
  const members = [...existingMembers, ...newMembers];
  const heads = ids.map(() => ({ seq: 0, prev: null as EntryId | null }));
  const count = Math.max(opts.total - opts.existing.length, opts.authors);
  // Spread over the last year so the list has realistic dates.
  const start = Date.now() - 365 * DAY;
  const entries: Uint8Array[] = [];
  let expenses = 0;
  for (let i = 0; i < count; i++) {
    const a = i < opts.authors ? i : Math.floor(rand() * opts.authors);
    const head = heads[a] as { seq: number; prev: EntryId | null };
    const at = start + Math.floor((i / count) * 365 * DAY);
    const event: WalletEventInput =
      head.seq === 0
        ? { type: 'member.joined', name: ['Bo', 'Cy', 'Dee', 'Eli', 'Fay'][a % 5] as string }
        : nextEvent(rand, members, newMembers[a] as string, at);
    if (event.type === 'expense.created') expenses++;
    const created = await createEntry({
      identity: ids[a] as Identity,
      groupId: opts.groupId,
      groupKey: opts.groupKey,
      seq: head.seq + 1,
      prev: head.prev,
      lamport: ++lamport,
      time: at,
      event,
    });
    head.seq += 1;
    head.prev = created.id;
    entries.push(created.bytes);
  }
  return { entries, members, expenses };
}
