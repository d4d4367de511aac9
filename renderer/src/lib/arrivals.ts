/**
 * "What arrived since I last looked": entry ids received after a marker, described from folded
 * state and grouped by the member who wrote them.
 */
import type { ExpenseData } from '../../../shared/ledger/events';
import type { EntryId, GroupState } from '../../../shared/ledger/types';
import type { CurrencyCode, MemberId, Minor } from '../../../shared/money/types';

export type EntryDescription =
  | { readonly kind: 'joined'; readonly name: string }
  | { readonly kind: 'expense-created'; readonly expense: EntryId; readonly data: ExpenseData }
  | { readonly kind: 'expense-updated'; readonly expense: EntryId; readonly data: ExpenseData }
  | { readonly kind: 'expense-deleted'; readonly expense: EntryId; readonly data: ExpenseData }
  | {
      readonly kind: 'payment';
      readonly from: MemberId;
      readonly to: MemberId;
      readonly amount: Minor;
      readonly currency: CurrencyCode;
    }
  | {
      readonly kind: 'request';
      readonly from: MemberId;
      readonly to: MemberId;
      readonly amount: Minor;
      readonly currency: CurrencyCode;
    }
  | { readonly kind: 'message'; readonly text: string }
  | { readonly kind: 'other' };

/** Everything in state that is named by the entry that produced it. */
export function indexEntries(state: GroupState): Map<EntryId, EntryDescription> {
  const index = new Map<EntryId, EntryDescription>();
  for (const m of state.members) index.set(m.joinedBy, { kind: 'joined', name: m.name });
  for (const e of state.expenses) {
    let last: ExpenseData = e.data;
    for (const v of e.versions) {
      if (v.base === null)
        index.set(v.entryId, { kind: 'expense-created', expense: e.id, data: v.data ?? e.data });
      else if (v.data) index.set(v.entryId, { kind: 'expense-updated', expense: e.id, data: v.data });
      else index.set(v.entryId, { kind: 'expense-deleted', expense: e.id, data: last });
      if (v.data) last = v.data;
    }
  }
  for (const p of state.payments) {
    index.set(p.id, { kind: 'payment', from: p.from, to: p.to, amount: p.amount, currency: p.currency });
  }
  for (const r of state.requests) {
    index.set(r.id, { kind: 'request', from: r.from, to: r.to, amount: r.amount, currency: r.currency });
  }
  for (const c of state.chat) index.set(c.id, { kind: 'message', text: c.text });
  return index;
}

export interface ArrivalGroup {
  readonly member: MemberId;
  readonly items: ReadonlyArray<{ readonly entryId: EntryId; readonly description: EntryDescription }>;
}

/** Groups arrivals by author (in the order given within a member), members in first-arrival order. */
export function groupArrivals(
  arrivals: ReadonlyArray<{ readonly entryId: EntryId; readonly author: MemberId }>,
  index: ReadonlyMap<EntryId, EntryDescription>,
): ArrivalGroup[] {
  const groups = new Map<MemberId, { entryId: EntryId; description: EntryDescription }[]>();
  for (const a of arrivals) {
    let items = groups.get(a.author);
    if (!items) {
      items = [];
      groups.set(a.author, items);
    }
    items.push({ entryId: a.entryId, description: index.get(a.entryId) ?? { kind: 'other' } });
  }
  return [...groups].map(([member, items]) => ({ member, items }));
}

export type DiffField =
  | 'description'
  | 'amount'
  | 'currency'
  | 'date'
  | 'category'
  | 'note'
  | 'payers'
  | 'split';

/** Which fields two versions of an expense disagree on (to highlight them side by side). */
export function diffExpense(a: ExpenseData | null, b: ExpenseData | null): Set<DiffField> {
  const out = new Set<DiffField>();
  if (!a || !b) return out;
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  if (a.description !== b.description) out.add('description');
  if (a.amount !== b.amount) out.add('amount');
  if (a.currency !== b.currency) out.add('currency');
  if (a.date !== b.date) out.add('date');
  if (a.category !== b.category) out.add('category');
  if ((a.note ?? '') !== (b.note ?? '')) out.add('note');
  if (!same(a.payers, b.payers)) out.add('payers');
  if (!same(a.split, b.split)) out.add('split');
  return out;
}
