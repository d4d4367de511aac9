/** Searching and filtering the expense list (pure, so the list screen stays a thin view). */
import type { ExpenseData } from '../../../shared/ledger/events';
import type { ExpenseState } from '../../../shared/ledger/types';
import type { MemberId, SplitSpec } from '../../../shared/money/types';

export interface ExpenseFilter {
  /** Free text, matched case-insensitively against description, note and category. */
  readonly text: string;
  /** Only expenses this member paid for or takes part in; '' for everyone. */
  readonly member: MemberId | '';
  readonly category: string;
  /** Inclusive YYYY-MM-DD bounds; '' for open. */
  readonly from: string;
  readonly to: string;
  readonly showDeleted: boolean;
}

export const EMPTY_FILTER: ExpenseFilter = {
  text: '',
  member: '',
  category: '',
  from: '',
  to: '',
  showDeleted: false,
};

/** Members named by a split (with a non-zero weight where the mode has weights). */
export function splitMembers(spec: SplitSpec): MemberId[] {
  switch (spec.mode) {
    case 'equal':
    case 'adjustment':
      return [...spec.members];
    case 'exact':
      return Object.keys(spec.amounts).filter((m) => spec.amounts[m] !== 0);
    case 'percent':
      return Object.keys(spec.basisPoints).filter((m) => spec.basisPoints[m] !== 0);
    case 'shares':
      return Object.keys(spec.weights).filter((m) => spec.weights[m] !== 0);
  }
}

export function involves(data: ExpenseData, member: MemberId): boolean {
  return data.payers.some((p) => p.member === member) || splitMembers(data.split).includes(member);
}

export function isFilterActive(f: ExpenseFilter): boolean {
  return f.text.trim() !== '' || f.member !== '' || f.category !== '' || f.from !== '' || f.to !== '';
}

/** Whether expense data passes the filter's text, member, category and date conditions. */
export function dataFilter(f: ExpenseFilter): (d: ExpenseData) => boolean {
  const needle = f.text.trim().toLocaleLowerCase();
  return (d) => {
    if (f.category && d.category !== f.category) return false;
    if (f.from && d.date < f.from) return false;
    if (f.to && d.date > f.to) return false;
    if (f.member && !involves(d, f.member)) return false;
    if (needle) {
      const hay = `${d.description}\n${d.note ?? ''}\n${d.category}`.toLocaleLowerCase();
      if (!hay.includes(needle)) return false;
    }
    return true;
  };
}

/** Newest first: by expense date, then by creation order (later created first). */
export function filterExpenses(expenses: readonly ExpenseState[], f: ExpenseFilter): ExpenseState[] {
  const matches = dataFilter(f);
  const out: { e: ExpenseState; i: number }[] = [];
  expenses.forEach((e, i) => {
    if (e.deleted && !f.showDeleted) return;
    if (matches(e.data)) out.push({ e, i });
  });
  out.sort((a, b) => (a.e.data.date === b.e.data.date ? b.i - a.i : a.e.data.date < b.e.data.date ? 1 : -1));
  return out.map((x) => x.e);
}

/** Categories in use, sorted, for the filter and the form's suggestions. */
export function categoriesOf(expenses: readonly ExpenseState[]): string[] {
  return [...new Set(expenses.map((e) => e.data.category))].sort();
}
