/**
 * Spending of one group: by category, by month, by category × month, and by member (what each
 * paid against their share), per currency. Exact: every amount is an integer in minor units and
 * every breakdown sums to its currency's total (the split module guarantees that shares and payers
 * each sum to the expense's amount).
 */
import { err, isWalletError, ok, type Result, unwrap } from '../errors';
import type { GroupState } from '../ledger/types';
import { addMinor } from '../money/arith';
import type { CurrencyCode, MemberId, Minor } from '../money/types';
import { type AnalysisFilter, checkFilter, type FilterErrorCode, forEachCounted, passes } from './items';

export interface MemberSpending {
  /** What they paid for the counted expenses. */
  readonly paid: Minor;
  /** Their share of the counted expenses. */
  readonly share: Minor;
}

export interface CurrencySpending {
  readonly currency: CurrencyCode;
  /** Number of expenses (and occurrences) counted. */
  readonly count: number;
  readonly total: Minor;
  /** By category key, largest first (ties: key order). */
  readonly byCategory: ReadonlyMap<string, Minor>;
  /** By month `YYYY-MM`, ascending; months without spending are absent (see monthlyTrend). */
  readonly byMonth: ReadonlyMap<string, Minor>;
  /** Category → month → amount; categories as in byCategory, months ascending. */
  readonly byCategoryMonth: ReadonlyMap<string, ReadonlyMap<string, Minor>>;
  /** By member id, ascending: Σ paid = Σ share = total. */
  readonly byMember: ReadonlyMap<MemberId, MemberSpending>;
}

/** Per currency, ascending code. */
export type SpendingReport = ReadonlyMap<CurrencyCode, CurrencySpending>;

export type SpendingErrorCode = FilterErrorCode | 'overflow' | 'invalid_expense';

interface Acc {
  count: number;
  total: Minor;
  byCategory: Map<string, Minor>;
  byMonth: Map<string, Minor>;
  byCategoryMonth: Map<string, Map<string, Minor>>;
  paid: Map<MemberId, Minor>;
  share: Map<MemberId, Minor>;
}

const newAcc = (): Acc => ({
  count: 0,
  total: 0,
  byCategory: new Map(),
  byMonth: new Map(),
  byCategoryMonth: new Map(),
  paid: new Map(),
  share: new Map(),
});

const add = <K>(m: Map<K, Minor>, k: K, v: Minor): void => {
  m.set(k, addMinor(m.get(k) ?? 0, v));
};

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Largest amount first, then key order: what a chart or a table of categories shows. */
export function largestFirst<V extends Minor>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m].sort((a, b) => b[1] - a[1] || byKey(a[0], b[0])));
}

const ascending = <V>(m: ReadonlyMap<string, V>): Map<string, V> =>
  new Map([...m].sort((a, b) => byKey(a[0], b[0])));

/** Freezes an accumulator into a report entry: sorted, and every member with both figures. */
export function finish(currency: CurrencyCode, a: Acc): CurrencySpending {
  const byCategory = largestFirst(a.byCategory);
  const byCategoryMonth = new Map<string, ReadonlyMap<string, Minor>>();
  for (const cat of byCategory.keys()) byCategoryMonth.set(cat, ascending(a.byCategoryMonth.get(cat)!));
  const ids = new Set([...a.paid.keys(), ...a.share.keys()]);
  const byMember = new Map<MemberId, MemberSpending>();
  for (const id of [...ids].sort(byKey))
    byMember.set(id, { paid: a.paid.get(id) ?? 0, share: a.share.get(id) ?? 0 });
  return {
    currency,
    count: a.count,
    total: a.total,
    byCategory,
    byMonth: ascending(a.byMonth),
    byCategoryMonth,
    byMember,
  };
}

/**
 * The spending of `state` that passes `filter`. Errors: `invalid_date` / `invalid_range` for a bad
 * filter, `overflow` when a sum leaves the safe integer range, `invalid_expense` for an expense
 * whose split does not add up (only a hand-built state can hold one).
 */
export function analyzeSpending(
  state: GroupState,
  filter: AnalysisFilter = {},
): Result<SpendingReport, SpendingErrorCode> {
  const checked = checkFilter(filter);
  if (!checked.ok) return checked;
  const accs = new Map<CurrencyCode, Acc>();
  try {
    forEachCounted(state, (data, facts) => {
      if (!passes(data, filter)) return;
      if (!facts.ok) unwrap(facts.shares);
      let a = accs.get(data.currency);
      if (!a) {
        a = newAcc();
        accs.set(data.currency, a);
      }
      const month = data.date.slice(0, 7);
      a.count++;
      a.total = addMinor(a.total, data.amount);
      add(a.byCategory, data.category, data.amount);
      add(a.byMonth, month, data.amount);
      let row = a.byCategoryMonth.get(data.category);
      if (!row) {
        row = new Map();
        a.byCategoryMonth.set(data.category, row);
      }
      add(row, month, data.amount);
      const { members, paid, owed } = facts;
      for (let i = 0; i < members.length; i++) {
        if (paid[i] !== 0) add(a.paid, members[i]!, paid[i]!);
        if (owed[i] !== 0) add(a.share, members[i]!, owed[i]!);
      }
    });
  } catch (e) {
    if (!isWalletError(e)) throw e;
    const code = e.code === 'overflow' ? 'overflow' : 'invalid_expense';
    return err(code, e.message, e.details ? { ...e.details } : undefined);
  }
  const out = new Map<CurrencyCode, CurrencySpending>();
  for (const code of [...accs.keys()].sort(byKey)) out.set(code, finish(code, accs.get(code)!));
  return ok(out);
}

/**
 * Adds reports (e.g. of several groups) per currency. Member ids are identity keys, the same in
 * every group, so a person's figures add up across groups.
 */
export function combineSpending(reports: readonly SpendingReport[]): SpendingReport {
  const accs = new Map<CurrencyCode, Acc>();
  for (const report of reports) {
    for (const [code, c] of report) {
      let a = accs.get(code);
      if (!a) {
        a = newAcc();
        accs.set(code, a);
      }
      a.count += c.count;
      a.total = addMinor(a.total, c.total);
      for (const [k, v] of c.byCategory) add(a.byCategory, k, v);
      for (const [k, v] of c.byMonth) add(a.byMonth, k, v);
      for (const [cat, months] of c.byCategoryMonth) {
        let row = a.byCategoryMonth.get(cat);
        if (!row) {
          row = new Map();
          a.byCategoryMonth.set(cat, row);
        }
        for (const [k, v] of months) add(row, k, v);
      }
      for (const [id, m] of c.byMember) {
        add(a.paid, id, m.paid);
        add(a.share, id, m.share);
      }
    }
  }
  const out = new Map<CurrencyCode, CurrencySpending>();
  for (const code of [...accs.keys()].sort(byKey)) out.set(code, finish(code, accs.get(code)!));
  return out;
}
