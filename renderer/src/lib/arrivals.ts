/**
 * "What arrived since I last looked": entry ids received after a marker, described from folded
 * state and grouped by the member who wrote them.
 */
import type { ExpenseData } from '../../../shared/ledger/events';
import type { EntryId, GroupState } from '../../../shared/ledger/types';
import type { CurrencyCode, MemberId, Minor } from '../../../shared/money/types';

export type EntryDescription =
  | { readonly kind: 'joined'; readonly name: string }
  /** The entry that made a member leave, or removed them (member.removed or the deciding approval). */
  | { readonly kind: 'left' | 'removed'; readonly name: string }
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
  | {
      readonly kind: 'envelope-sent' | 'envelope-reclaimed';
      readonly amount: Minor;
      readonly currency: CurrencyCode;
    }
  | {
      readonly kind: 'envelope-opened';
      readonly sender: MemberId;
      readonly amount: Minor;
      readonly currency: CurrencyCode;
    }
  | { readonly kind: 'other' };

/** Everything in state that is named by the entry that produced it. */
export function indexEntries(state: GroupState): Map<EntryId, EntryDescription> {
  const index = new Map<EntryId, EntryDescription>();
  for (const m of state.members) {
    index.set(m.joinedBy, { kind: 'joined', name: m.name });
    if (m.status && m.departedBy) index.set(m.departedBy, { kind: m.status, name: m.name });
  }
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
  for (const e of state.redEnvelopes ?? []) {
    index.set(e.id, { kind: 'envelope-sent', amount: e.amount, currency: e.currency });
    for (const c of e.claims) {
      index.set(c.entryId, {
        kind: 'envelope-opened',
        sender: e.author,
        amount: c.amount,
        currency: e.currency,
      });
    }
    if (e.reclaimedBy !== null) {
      index.set(e.reclaimedBy, { kind: 'envelope-reclaimed', amount: e.unclaimed, currency: e.currency });
    }
  }
  return index;
}

export interface ArrivalGroup {
  readonly member: MemberId;
  readonly items: ReadonlyArray<{ readonly entryId: EntryId; readonly description: EntryDescription }>;
}

/** Entries that are versions of a still-open conflict: the conflict card shows them. */
export function openConflictEntries(state: GroupState): Set<EntryId> {
  const out = new Set<EntryId>();
  for (const c of state.conflicts) if (!c.resolved) for (const v of c.versions) out.add(v);
  return out;
}

type ExpenseKind = 'expense-created' | 'expense-updated' | 'expense-deleted';
const isExpense = (d: EntryDescription): d is Extract<EntryDescription, { kind: ExpenseKind }> =>
  d.kind === 'expense-created' || d.kind === 'expense-updated' || d.kind === 'expense-deleted';

/**
 * Groups arrivals by author (in the order given within a member), members in first-arrival order.
 * One change is listed once: an entry id given twice counts once; an entry the conflict list
 * shows (`inConflict`) is left to it; and one member's several entries on one expense become one
 * line with the latest data, where it stands: "added" when they created it in this batch, else
 * what their last entry did (e.g. "Keep the deleted version" writes a restore and a delete: it
 * reads as one deletion).
 */
export function groupArrivals(
  arrivals: ReadonlyArray<{ readonly entryId: EntryId; readonly author: MemberId }>,
  index: ReadonlyMap<EntryId, EntryDescription>,
  inConflict: ReadonlySet<EntryId> = new Set(),
): ArrivalGroup[] {
  const groups = new Map<MemberId, { entryId: EntryId; description: EntryDescription }[]>();
  const seen = new Set<EntryId>();
  /** Per author and expense: the position of its line. */
  const lines = new Map<string, number>();
  for (const a of arrivals) {
    if (seen.has(a.entryId) || inConflict.has(a.entryId)) continue;
    seen.add(a.entryId);
    let items = groups.get(a.author);
    if (!items) {
      items = [];
      groups.set(a.author, items);
    }
    const description = index.get(a.entryId) ?? { kind: 'other' };
    if (!isExpense(description)) {
      items.push({ entryId: a.entryId, description });
      continue;
    }
    const key = `${a.author}:${description.expense}`;
    const at = lines.get(key);
    if (at === undefined) {
      lines.set(key, items.length);
      items.push({ entryId: a.entryId, description });
      continue;
    }
    const before = items[at]!.description as Extract<EntryDescription, { kind: ExpenseKind }>;
    const kind =
      before.kind === 'expense-created' && description.kind === 'expense-updated'
        ? before.kind
        : description.kind;
    items[at] = { entryId: a.entryId, description: { ...description, kind } };
  }
  return [...groups].map(([member, items]) => ({ member, items }));
}

/** How many lines the feed shows for these arrivals (what the Review badge counts). */
export function feedLineCount(
  arrivals: ReadonlyArray<{ readonly entryId: EntryId; readonly author: MemberId }>,
  state: GroupState,
): number {
  let lines = 0;
  for (const g of groupArrivals(arrivals, indexEntries(state), openConflictEntries(state)))
    lines += g.items.length;
  return lines;
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
