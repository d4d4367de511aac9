/**
 * Spending of one group: by category, by month, by category × month, and by member (what each
 * paid against their share), per currency. Exact: every amount is an integer in minor units and
 * every breakdown sums to its currency's total (the split module guarantees that shares and payers
 * each sum to the expense's amount).
 */
import { err, isWalletError, ok, type Result, unwrap, WalletError } from '../errors';
import type { GroupState } from '../ledger/types';
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

/** What one pass collects per currency; the other breakdowns are sums of these (see finish). */
interface Acc {
  count: number;
  total: Minor;
  byCategoryMonth: Map<string, Map<string, Minor>>;
  byMember: Map<MemberId, { paid: Minor; share: Minor }>;
}

const newAcc = (): Acc => ({ count: 0, total: 0, byCategoryMonth: new Map(), byMember: new Map() });

/**
 * a + b for amounts already known to be safe integers (validated data, or sums of them): only the
 * result can leave the safe range. The hot loop's version of addMinor.
 */
const plus = (a: Minor, b: Minor): Minor => {
  const r = a + b;
  if (!Number.isSafeInteger(r)) throw new WalletError('overflow', 'A total is too large to compute exactly.');
  return r;
};

const add = <K>(m: Map<K, Minor>, k: K, v: Minor): void => {
  m.set(k, plus(m.get(k) ?? 0, v));
};

function rowOf(a: Acc, category: string): Map<string, Minor> {
  let row = a.byCategoryMonth.get(category);
  if (!row) {
    row = new Map();
    a.byCategoryMonth.set(category, row);
  }
  return row;
}

function memberOf(a: Acc, id: MemberId): { paid: Minor; share: Minor } {
  let m = a.byMember.get(id);
  if (!m) {
    m = { paid: 0, share: 0 };
    a.byMember.set(id, m);
  }
  return m;
}

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Largest amount first, then key order: what a chart or a table of categories shows. */
export function largestFirst<V extends Minor>(m: ReadonlyMap<string, V>): Map<string, V> {
  return new Map([...m].sort((a, b) => b[1] - a[1] || byKey(a[0], b[0])));
}

const ascending = <V>(m: ReadonlyMap<string, V>): Map<string, V> =>
  new Map([...m].sort((a, b) => byKey(a[0], b[0])));

/** Freezes an accumulator into a report entry: sorted, with the category and month sums. */
function finish(currency: CurrencyCode, a: Acc): CurrencySpending {
  const categoryTotals = new Map<string, Minor>();
  const monthTotals = new Map<string, Minor>();
  for (const [cat, months] of a.byCategoryMonth) {
    for (const [month, v] of months) {
      add(categoryTotals, cat, v);
      add(monthTotals, month, v);
    }
  }
  const byCategory = largestFirst(categoryTotals);
  const byCategoryMonth = new Map<string, ReadonlyMap<string, Minor>>();
  for (const cat of byCategory.keys()) byCategoryMonth.set(cat, ascending(a.byCategoryMonth.get(cat)!));
  const byMember = new Map<MemberId, MemberSpending>();
  for (const id of [...a.byMember.keys()].sort(byKey)) {
    const m = a.byMember.get(id)!;
    byMember.set(id, { paid: m.paid, share: m.share });
  }
  return {
    currency,
    count: a.count,
    total: a.total,
    byCategory,
    byMonth: ascending(monthTotals),
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
      a.count++;
      a.total = plus(a.total, data.amount);
      add(rowOf(a, data.category), data.date.slice(0, 7), data.amount);
      const { members, paid, owed } = facts;
      for (let i = 0; i < members.length; i++) {
        const m = memberOf(a, members[i]!);
        m.paid = plus(m.paid, paid[i]!);
        m.share = plus(m.share, owed[i]!);
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
 * every group, so a person's figures add up across groups. Throws WalletError `overflow` when a
 * sum leaves the safe integer range.
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
      a.total = plus(a.total, c.total);
      for (const [cat, months] of c.byCategoryMonth) {
        const row = rowOf(a, cat);
        for (const [k, v] of months) add(row, k, v);
      }
      for (const [id, m] of c.byMember) {
        const to = memberOf(a, id);
        to.paid = plus(to.paid, m.paid);
        to.share = plus(to.share, m.share);
      }
    }
  }
  const out = new Map<CurrencyCode, CurrencySpending>();
  for (const code of [...accs.keys()].sort(byKey)) out.set(code, finish(code, accs.get(code)!));
  return out;
}
