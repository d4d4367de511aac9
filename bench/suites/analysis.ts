/**
 * Spending analysis (category × month, by member) over 100k expenses of a folded group, against a
 * naive baseline that does what a first version would: re-split every expense and group by string
 * keys in plain objects.
 */
import { analyzeSpending } from '../../shared/analysis/spending';
import { fold } from '../../shared/ledger/fold';
import { equalExpense, memberId, TestLedger } from '../../shared/ledger/fold-testkit';
import type { GroupState } from '../../shared/ledger/types';
import { splitAmount, splitPayers } from '../../shared/money/split';
import { atMost, type BenchSuite, bestOf, round } from '../harness';
import { seeded } from '../fixtures';

const CATEGORIES = [
  'food',
  'transport',
  'housing',
  'utilities',
  'fun',
  'travel',
  'shopping',
  'health',
  'general',
];

/** A group of 8 with `n` expenses over two years, in three currencies and five split modes. */
function bigGroup(n: number): GroupState {
  const rand = seeded(100);
  const int = (k: number) => Math.floor(rand() * k);
  const ids = Array.from({ length: 8 }, (_, i) => memberId(`m${i}`));
  const L = new TestLedger();
  L.add(ids[0]!, { type: 'group.created', name: 'Big', currency: 'CNY', memberName: 'm0' });
  for (let i = 1; i < ids.length; i++) L.add(ids[i]!, { type: 'member.joined', name: `m${i}` });
  const currencies = ['CNY', 'CNY', 'CNY', 'EUR', 'JPY'];
  for (let e = 0; e < n; e++) {
    const members = ids.filter(() => rand() < 0.6);
    if (members.length === 0) members.push(ids[int(8)]!);
    const payer = members[int(members.length)]!;
    const amount = 1 + int(50_000);
    const date = `${2024 + int(2)}-${String(1 + int(12)).padStart(2, '0')}-${String(1 + int(28)).padStart(2, '0')}`;
    const split =
      e % 3 === 0
        ? { mode: 'shares' as const, weights: Object.fromEntries(members.map((m) => [m, 1 + int(3)])) }
        : { mode: 'equal' as const, members };
    L.add(payer, {
      type: 'expense.created',
      expense: equalExpense(payer, members, amount, {
        category: CATEGORIES[int(CATEGORIES.length)]!,
        currency: currencies[int(currencies.length)]!,
        date,
        split,
      }),
    });
  }
  return fold(L.groupId, L.entries);
}

/** The naive pass: split every expense again and sum into objects keyed by joined strings. */
function naiveAnalysis(state: GroupState): Record<string, number> {
  const out: Record<string, number> = {};
  const bump = (k: string, v: number) => {
    out[k] = (out[k] ?? 0) + v;
  };
  for (const x of state.expenses.filter((e) => !e.deleted)) {
    const d = x.data;
    bump(`${d.currency}|cat|${d.category}`, d.amount);
    bump(`${d.currency}|month|${d.date.slice(0, 7)}`, d.amount);
    bump(`${d.currency}|cell|${d.category}|${d.date.slice(0, 7)}`, d.amount);
    const paid = splitPayers(d.amount, d.payers);
    const owed = splitAmount(d.amount, d.split);
    if (!paid.ok || !owed.ok) continue;
    for (const [m, v] of Object.entries(paid.value)) bump(`${d.currency}|paid|${m}`, v);
    for (const [m, v] of Object.entries(owed.value)) bump(`${d.currency}|share|${m}`, v);
  }
  return out;
}

export const analysisSuite: BenchSuite = {
  name: 'analysis',
  async run({ quick }) {
    const n = quick ? 2_000 : 100_000;
    const state = bigGroup(n);
    let cells = 0;
    const ours = () => {
      const r = analyzeSpending(state);
      if (!r.ok) throw r.error;
      cells = 0;
      for (const c of r.value.values()) for (const row of c.byCategoryMonth.values()) cells += row.size;
    };
    const filtered = () => {
      const r = analyzeSpending(state, { from: '2024-07-01', to: '2025-06-30', currency: 'CNY' });
      if (!r.ok) throw r.error;
    };
    const ms = await bestOf(quick ? 1 : 5, ours);
    const filteredMs = await bestOf(quick ? 1 : 5, filtered);
    const naiveMs = await bestOf(quick ? 1 : 3, () => naiveAnalysis(state));
    return [
      {
        name: 'analysis.100k.ms',
        value: round(ms),
        unit: 'ms',
        baseline: {
          name: 'analysis.naive.100k.ms (re-split, string keys)',
          value: round(naiveMs),
          unit: 'ms',
        },
        ...atMost(ms, 150),
        note:
          `${state.expenses.length} expenses, 3 currencies, ${cells} category × month cells plus ` +
          `month, category and member totals; a year of one currency: ${round(filteredMs)} ms`,
      },
    ];
  },
};
