/**
 * Builders of verified entries for tests and benchmarks of the fold (no signing, no encryption:
 * fold only reads ids, headers and events). Ids are SHA-256 hex of a label, so they look real and
 * their order is unrelated to creation order.
 */
import { bytesToHex, sha256 } from '../crypto/hash';
import type { MemberId } from '../money/types';
import type { z } from 'zod';
import { type ExpenseInput, walletEventSchema } from './events';
import type { EntryId, GroupId, VerifiedEntry } from './types';

/** Hex as the app makes it (crypto/hash.ts), so ids are the same kind of string as real ones. */
export function hexId(label: string): string {
  return bytesToHex(sha256(new TextEncoder().encode(label)));
}

/** A stable fake member id (64 hex) for a name. */
export function memberId(name: string): MemberId {
  return hexId(`member:${name}`);
}

export const TEST_GROUP: GroupId = hexId('group').slice(0, 32);

/** Input shape of an event (e.g. category may be left out); validated when added. */
export type EventInput = z.input<typeof walletEventSchema>;

/** Appends entries with consistent per-author seq/prev and lamport clocks. */
export class TestLedger {
  readonly entries: VerifiedEntry[] = [];
  private readonly chains = new Map<MemberId, { seq: number; prev: EntryId; lamport: number }>();
  private maxLamport = 0;
  private counter = 0;

  constructor(readonly groupId: GroupId = TEST_GROUP) {}

  /**
   * Adds an entry by `author`. By default its lamport is one more than every entry so far (the
   * author saw everything); pass `lamport` to model an author who had not seen recent entries.
   */
  add(author: MemberId, event: EventInput, opts: { lamport?: number; time?: number } = {}): VerifiedEntry {
    const chain = this.chains.get(author);
    const lamport = opts.lamport ?? this.maxLamport + 1;
    if (chain && lamport <= chain.lamport) throw new Error('lamport must grow along an author’s chain');
    const seq = (chain?.seq ?? 0) + 1;
    const id = hexId(`entry:${this.counter++}:${author}:${seq}`);
    const entry: VerifiedEntry = {
      id,
      header: {
        version: 1,
        groupId: this.groupId,
        author,
        seq,
        prev: chain?.prev ?? null,
        lamport,
        time: opts.time ?? 1_700_000_000_000 + lamport * 1000,
      },
      event: walletEventSchema.parse(event),
    };
    this.chains.set(author, { seq, prev: id, lamport });
    if (lamport > this.maxLamport) this.maxLamport = lamport;
    this.entries.push(entry);
    return entry;
  }

  get lamport(): number {
    return this.maxLamport;
  }
}

/** An expense input paid fully by `payer` and split equally among `members`. */
export function equalExpense(
  payer: MemberId,
  members: readonly MemberId[],
  amount: number,
  extra: Partial<ExpenseInput> = {},
): ExpenseInput {
  return {
    description: 'Groceries',
    currency: 'CNY',
    amount,
    date: '2025-03-01',
    payers: [{ member: payer, amount }],
    split: { mode: 'equal', members: [...members] },
    ...extra,
  };
}

// ------------------------------------------------------------ generated ledgers

/** mulberry32: a tiny seeded PRNG, good enough to generate test data reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  readonly seed: number;
  /** Number of entries to generate (about 2% of them are entries the fold must ignore). */
  readonly entries: number;
  readonly members?: number;
  /** How far behind (in lamport ticks) an author may be when writing: drives concurrency. */
  readonly maxLag?: number;
}

interface GenVersion {
  readonly id: EntryId;
  readonly lamport: number;
}

/**
 * A realistic, messy ledger: members joining, expenses in every split mode, edits and deletes
 * (some on stale versions, so concurrent), payments (some paying requests), requests, cancels,
 * chat, renames, rates, and a sprinkling of entries the fold must ignore.
 */
export function generateLedger(opts: GenerateOptions): TestLedger {
  const rnd = seededRandom(opts.seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const shuffled = <T>(list: readonly T[]): T[] => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  const maxLag = opts.maxLag ?? 3;
  const ledger = new TestLedger();
  const names = Array.from({ length: opts.members ?? 5 }, (_, i) => `m${i}`);
  const ids = names.map(memberId);
  const joined: MemberId[] = [];
  const lastLamport = new Map<MemberId, number>();
  const expenses: { id: EntryId; versions: GenVersion[] }[] = [];
  const payments: { id: EntryId; lamport: number }[] = [];
  const requests: { id: EntryId; lamport: number; from: MemberId; to: MemberId; amount: number }[] = [];
  const currencies = ['CNY', 'CNY', 'CNY', 'EUR', 'JPY'];

  /** An author's view lags the newest entry by up to maxLag ticks. */
  const lamportFor = (author: MemberId) => {
    const seen = Math.max(0, ledger.lamport - int(maxLag + 1));
    return Math.max(seen, lastLamport.get(author) ?? 0) + 1;
  };
  const add = (author: MemberId, event: EventInput, lamport = lamportFor(author)) => {
    const e = ledger.add(author, event, { lamport });
    lastLamport.set(author, lamport);
    return e;
  };
  const expenseData = (): ExpenseInput => {
    const amount = 1 + int(50_000);
    const currency = pick(currencies);
    const n = 1 + int(joined.length);
    const members = shuffled(joined).slice(0, n);
    const payer = pick(joined);
    const mode = int(5);
    const base = { description: `Item ${int(1000)}`, currency, amount, date: '2025-03-01' };
    const payers =
      joined.length > 1 && amount > 1 && rnd() < 0.2
        ? [
            { member: joined[0]!, amount: Math.floor(amount / 2) },
            { member: joined[1]!, amount: amount - Math.floor(amount / 2) },
          ]
        : [{ member: payer, amount }];
    if (mode === 0 || n === 1) return { ...base, payers, split: { mode: 'equal', members } };
    if (mode === 1) {
      const amounts: Record<MemberId, number> = {};
      let left = amount;
      members.forEach((m, i) => {
        const a = i === members.length - 1 ? left : int(left + 1);
        amounts[m] = a;
        left -= a;
      });
      return { ...base, payers, split: { mode: 'exact', amounts } };
    }
    if (mode === 2) {
      const basisPoints: Record<MemberId, number> = {};
      let left = 10_000;
      members.forEach((m, i) => {
        const a = i === members.length - 1 ? left : int(left + 1);
        basisPoints[m] = a;
        left -= a;
      });
      return { ...base, payers, split: { mode: 'percent', basisPoints } };
    }
    if (mode === 3) {
      const weights: Record<MemberId, number> = {};
      for (const m of members) weights[m] = 1 + int(4);
      return { ...base, payers, split: { mode: 'shares', weights } };
    }
    return {
      ...base,
      payers,
      split: { mode: 'adjustment', members, adjustments: { [members[0]!]: int(amount) } },
    };
  };

  const creator = ids[0]!;
  add(creator, { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: names[0]! });
  joined.push(creator);

  while (ledger.entries.length < opts.entries) {
    const r = rnd();
    const author = pick(joined);
    if (joined.length < ids.length && (r < 0.02 || joined.length < 2)) {
      const who = ids[joined.length]!;
      add(who, { type: 'member.joined', name: names[joined.length]! });
      joined.push(who);
    } else if (r < 0.2 || expenses.length === 0) {
      const e = add(author, { type: 'expense.created', expense: expenseData() });
      expenses.push({ id: e.id, versions: [{ id: e.id, lamport: e.header.lamport }] });
    } else if (r < 0.5) {
      // Edit or delete, usually on the newest version this author can see, sometimes on an older one.
      const x = pick(expenses.slice(-4));
      const lamport = lamportFor(author);
      const visible = x.versions.filter((v) => v.lamport < lamport);
      if (visible.length === 0) continue;
      const baseV = rnd() < 0.65 ? visible[visible.length - 1]! : pick(visible);
      const del = rnd() < 0.2;
      const e = del
        ? add(author, { type: 'expense.deleted', expense: x.id, base: baseV.id }, lamport)
        : add(
            author,
            { type: 'expense.updated', expense: x.id, base: baseV.id, data: expenseData() },
            lamport,
          );
      x.versions.push({ id: e.id, lamport });
      x.versions.sort((a, b) => a.lamport - b.lamport);
    } else if (r < 0.6) {
      const lamport = lamportFor(author);
      const open = requests
        .slice(-30)
        .filter((q) => q.lamport < lamport)
        .slice(-10);
      const req = rnd() < 0.4 && open.length > 0 ? pick(open) : undefined;
      const matching = req !== undefined && rnd() < 0.8;
      const from = matching ? req.from : author;
      const to = matching ? req.to : pick(joined);
      if (from === to) continue;
      const e = add(
        author,
        {
          type: 'payment.recorded',
          from,
          to,
          amount: matching ? req.amount : 1 + int(10_000),
          currency: 'CNY',
          date: '2025-03-02',
          ...(req ? { request: req.id } : {}),
        },
        lamport,
      );
      payments.push({ id: e.id, lamport });
    } else if (r < 0.65 && payments.length > 0) {
      const lamport = lamportFor(author);
      const seen = payments
        .slice(-30)
        .filter((p) => p.lamport < lamport)
        .slice(-10);
      if (seen.length === 0) continue;
      add(author, { type: 'payment.deleted', payment: pick(seen).id }, lamport);
    } else if (r < 0.72) {
      const from = pick(joined);
      if (from === author) continue;
      const amount = 1 + int(10_000);
      const e = add(author, { type: 'request.created', from, to: author, amount, currency: 'CNY' });
      requests.push({ id: e.id, lamport: e.header.lamport, from, to: author, amount });
    } else if (r < 0.75 && requests.length > 0) {
      const lamport = lamportFor(author);
      const seen = requests
        .slice(-30)
        .filter((q) => q.lamport < lamport)
        .slice(-10);
      if (seen.length === 0) continue;
      add(author, { type: 'request.cancelled', request: pick(seen).id }, lamport);
    } else if (r < 0.9) {
      const ref =
        expenses.length > 0 && rnd() < 0.3 ? { kind: 'expense' as const, id: pick(expenses).id } : undefined;
      add(author, { type: 'chat.message', text: `message ${int(1e6)}`, ...(ref ? { ref } : {}) });
    } else if (r < 0.93) {
      add(author, { type: 'member.renamed', name: `Name ${int(100)}` });
    } else if (r < 0.95) {
      add(author, { type: 'group.renamed', name: `Group ${int(100)}` });
    } else if (r < 0.98) {
      add(author, {
        type: 'rate.recorded',
        from: 'EUR',
        to: 'CNY',
        rate: { num: String(700 + int(100)), den: '100' },
        date: '2025-03-01',
      });
    } else {
      addBadEntry();
    }
  }
  return ledger;

  /** Entries the fold has to ignore, each for a different reason. */
  function addBadEntry(): void {
    const author = pick(joined);
    switch (int(4)) {
      case 0:
        add(hexId(`stranger:${int(3)}`), { type: 'chat.message', text: 'let me in' });
        break;
      case 1:
        add(author, { type: 'expense.deleted', expense: hexId(`nowhere:${int(1e6)}`), base: hexId('b') });
        break;
      case 2:
        add(author, {
          type: 'expense.created',
          expense: { ...expenseData(), payers: [{ member: author, amount: 1 }], amount: 2 },
        });
        break;
      default:
        add(author, { type: 'group.created', name: 'Again', currency: 'CNY', memberName: 'x' });
    }
  }
}
