/**
 * A seeded, generated expense history for measuring the suggestions: each category has its own
 * vocabulary (English and Chinese, a few words shared with another category) and a usual payer; descriptions mix in shared filler words,
 * and a few labels and payers are simply wrong, as in real groups.
 */
import { fold } from '../ledger/fold';
import { memberId, TestLedger } from '../ledger/fold-testkit';
import type { GroupState } from '../ledger/types';
import type { MemberId } from '../money/types';
import { seededRandom } from '../sync/seeded-random';

const VOCABULARY: Readonly<Record<string, readonly string[]>> = {
  groceries: ['supermarket', 'milk', 'eggs', 'bread', 'vegetables', 'aldi', 'coffee', '超市', '买菜', '水果'],
  dining: ['dinner', 'lunch', 'pizza', 'sushi', 'coffee', 'brunch', 'burger', '火锅', '外卖', '午饭'],
  rent: ['rent', 'landlord', 'lease', 'flat', '房租', '押金'],
  utilities: ['electricity', 'water', 'internet', 'wifi', 'heating', '电费', '网费', '水费'],
  transport: ['taxi', 'uber', 'metro', 'train', 'petrol', 'parking', '打车', '地铁', '加油'],
  household: ['detergent', 'towels', 'lamp', 'cleaning', 'mop', 'ikea', '纸巾', '洗衣液'],
  entertainment: ['cinema', 'concert', 'tickets', 'karaoke', 'bowling', '电影', '门票', '唱歌'],
  travel: ['flight', 'tickets', 'train', 'hotel', 'hostel', 'airbnb', 'luggage', '机票', '酒店', '民宿'],
};
/** Words that say nothing about the category. */
const FILLER = [
  'weekly',
  'shared',
  'extra',
  'friday',
  'big',
  'again',
  'june',
  'misc',
  '周末',
  '一起',
  '大家',
];
/** Skewed on purpose, so the majority-class baseline is a real competitor. */
const CATEGORY_WEIGHTS: Readonly<Record<string, number>> = {
  groceries: 30,
  dining: 20,
  transport: 12,
  utilities: 10,
  rent: 8,
  household: 8,
  entertainment: 7,
  travel: 5,
};

export interface GeneratedExpense {
  readonly description: string;
  readonly category: string;
  readonly payer: MemberId;
  readonly members: readonly MemberId[];
}

export interface GeneratedHistory {
  readonly members: readonly MemberId[];
  readonly expenses: readonly GeneratedExpense[];
  /** The payer each category was generated around. */
  readonly usualPayer: Readonly<Record<string, MemberId>>;
}

export interface HistoryOptions {
  readonly seed: number;
  readonly count: number;
  /** Share of expenses given a random category instead of their own (default 0.05). */
  readonly labelNoise?: number;
  /** Share of expenses paid by someone other than the category's usual payer (default 0.2). */
  readonly payerNoise?: number;
}

export function generateHistory(opts: HistoryOptions): GeneratedHistory {
  const rnd = seededRandom(opts.seed);
  const members = ['ann', 'bo', 'cy', 'dee'].map(memberId);
  const categories = Object.keys(CATEGORY_WEIGHTS);
  const total = categories.reduce((s, c) => s + (CATEGORY_WEIGHTS[c] as number), 0);
  const drawCategory = () => {
    let r = rnd.next() * total;
    for (const c of categories) {
      r -= CATEGORY_WEIGHTS[c] as number;
      if (r < 0) return c;
    }
    return categories[categories.length - 1] as string;
  };
  const usualPayer = Object.fromEntries(categories.map((c) => [c, rnd.pick(members)]));
  const expenses: GeneratedExpense[] = [];
  for (let i = 0; i < opts.count; i++) {
    const truth = drawCategory();
    const words = Array.from({ length: rnd.int(1, 2) }, () =>
      rnd.pick(VOCABULARY[truth] as readonly string[]),
    );
    if (rnd.chance(0.6)) words.splice(rnd.int(0, words.length), 0, rnd.pick(FILLER));
    const category = rnd.chance(opts.labelNoise ?? 0.05) ? rnd.pick(categories) : truth;
    const payer = rnd.chance(opts.payerNoise ?? 0.2) ? rnd.pick(members) : (usualPayer[truth] as MemberId);
    // Rent and utilities are shared by all; the rest by everyone or by a random pair.
    const everyone = truth === 'rent' || truth === 'utilities' || rnd.chance(0.5);
    const pair = [payer, rnd.pick(members.filter((m) => m !== payer))].sort();
    expenses.push({ description: words.join(' '), category, payer, members: everyone ? members : pair });
  }
  return { members, expenses, usualPayer };
}

/** A folded group state holding the given expenses, created in order by their payers. */
export function stateWith(members: readonly MemberId[], expenses: readonly GeneratedExpense[]): GroupState {
  const ledger = new TestLedger();
  members.forEach((m, i) => {
    ledger.add(
      m,
      i === 0
        ? { type: 'group.created', name: 'Generated', currency: 'EUR', memberName: `m${i}` }
        : { type: 'member.joined', name: `m${i}` },
    );
  });
  for (const e of expenses) {
    ledger.add(e.payer, {
      type: 'expense.created',
      expense: {
        description: e.description,
        category: e.category,
        currency: 'EUR',
        amount: 1000,
        date: '2026-01-01',
        payers: [{ member: e.payer, amount: 1000 }],
        split: { mode: 'equal', members: [...e.members] },
      },
    });
  }
  return fold(ledger.groupId, ledger.entries);
}
