/**
 * What the analysis screens show, worked out from folded states with shared/analysis: the
 * spending sections (one per currency, or one converted), and the rows behind each chart and its
 * table. Pure, so the tables can be tested without a DOM.
 */
import type { AnalysisFilter } from '../../../shared/analysis/items';
import { convertAcrossGroups } from '../../../shared/analysis/convert';
import {
  analyzeSpending,
  type CurrencySpending,
  combineSpending,
  type SpendingReport,
} from '../../../shared/analysis/spending';
import { monthlyTrend } from '../../../shared/analysis/trends';
import type { GroupState } from '../../../shared/ledger/types';
import type { CurrencyCode, MemberId, Minor } from '../../../shared/money/types';

export interface SpendingSource {
  readonly groupId: string;
  readonly name: string;
  readonly state: GroupState;
}

export type AnalysisOutcome =
  | { readonly ok: true; readonly sections: readonly CurrencySpending[] }
  | {
      readonly ok: false;
      readonly code: string;
      readonly message: string;
      readonly details?: Readonly<Record<string, unknown>>;
    };

/**
 * The spending of `sources` that passes `filter`, per currency, or all in `convertTo` with each
 * group's recorded rates.
 */
export function runAnalysis(
  sources: readonly SpendingSource[],
  filter: AnalysisFilter,
  convertTo?: CurrencyCode,
): AnalysisOutcome {
  const reports: { groupId: string; report: SpendingReport; state: GroupState }[] = [];
  for (const s of sources) {
    const r = analyzeSpending(s.state, filter);
    if (!r.ok) return { ok: false, code: r.error.code, message: r.error.message, details: r.error.details };
    reports.push({ groupId: s.groupId, report: r.value, state: s.state });
  }
  if (convertTo) {
    const c = convertAcrossGroups(
      reports.map((r) => ({ groupId: r.groupId, report: r.report, rates: r.state.rates })),
      convertTo,
    );
    if (!c.ok) return { ok: false, code: c.error.code, message: c.error.message, details: c.error.details };
    return { ok: true, sections: c.value ? [c.value] : [] };
  }
  return { ok: true, sections: [...combineSpending(reports.map((r) => r.report)).values()] };
}

/** Every currency any source spent in, ascending (the choices of the currency filter). */
export function spentCurrencies(sources: readonly SpendingSource[]): CurrencyCode[] {
  const codes = new Set<CurrencyCode>();
  for (const s of sources) {
    for (const x of s.state.expenses) if (!x.deleted) codes.add(x.data.currency);
    for (const o of s.state.occurrences ?? []) codes.add(o.data.currency);
    codes.add(s.state.currency);
  }
  return [...codes].sort();
}

/** Member names over all sources (a person in several groups keeps the first name found). */
export function memberNames(sources: readonly SpendingSource[]): Map<MemberId, string> {
  const names = new Map<MemberId, string>();
  for (const s of sources) for (const m of s.state.members) if (!names.has(m.id)) names.set(m.id, m.name);
  return names;
}

export interface AmountRow {
  readonly key: string;
  readonly amount: Minor;
}

export const categoryRows = (c: CurrencySpending): AmountRow[] =>
  [...c.byCategory].map(([key, amount]) => ({ key, amount }));

/** Every month from the first to the last (empty ones as 0), with the change from the one before. */
export const monthRows = (c: CurrencySpending) => monthlyTrend(c.byMonth);

export interface MemberRow {
  readonly member: MemberId;
  readonly paid: Minor;
  readonly share: Minor;
}

export const memberRows = (c: CurrencySpending): MemberRow[] =>
  [...c.byMember].map(([member, m]) => ({ member, paid: m.paid, share: m.share }));

export interface CategoryMonthTable {
  /** Categories, largest first. */
  readonly categories: readonly string[];
  /** One row per month (ascending, gaps filled): the month and each category's amount. */
  readonly rows: readonly { readonly month: string; readonly amounts: readonly Minor[] }[];
}

export function categoryMonthTable(c: CurrencySpending): CategoryMonthTable {
  const categories = [...c.byCategoryMonth.keys()];
  const rows = monthlyTrend(c.byMonth).map(({ month }) => ({
    month,
    amounts: categories.map((cat) => c.byCategoryMonth.get(cat)?.get(month) ?? 0),
  }));
  return { categories, rows };
}
