/**
 * The rows every statement is built from: non-deleted expenses and payments in one list, sorted
 * by date and then by the ledger's total order, with who paid and who owes what already worked
 * out. A payment from A to B is expressed the same way as an expense (A "paid" it, B's "share"),
 * so a member's effect on balance is always paid − share. A red-envelope claim is one row too:
 * the sender owes the opener the share, so the opener "paid" it and the sender's "share" is it
 * (docs/red-envelopes.md); unopened parts make no row.
 */
import { unwrap } from '../errors';
import type { ExpenseData } from '../ledger/events';
import { expenseShares } from '../ledger/fold-shares';
import type {
  EntryId,
  ExpenseState,
  GroupState,
  PaymentState,
  RedEnvelopeClaimState,
  RedEnvelopeState,
} from '../ledger/types';
import type { CurrencyCode, MemberId, Minor } from '../money/types';

interface ItemBase {
  readonly id: EntryId;
  readonly date: string;
  readonly currency: CurrencyCode;
  readonly amount: Minor;
  /** Lamport and author of the creating entry: the ledger's total order among same-date rows. */
  readonly lamport: number;
  readonly author: MemberId;
  /** What each member put in (for a payment: the sender). */
  readonly paid: Readonly<Record<MemberId, Minor>>;
  /** What each member owes of it (for a payment: the receiver). */
  readonly shares: Readonly<Record<MemberId, Minor>>;
}

export interface ExpenseItem extends ItemBase {
  readonly kind: 'expense';
  readonly data: ExpenseData;
}

export interface PaymentItem extends ItemBase {
  readonly kind: 'payment';
  readonly payment: PaymentState;
}

/** One opened share of a red envelope; `id` is the open entry's id, `date` the envelope's. */
export interface RedEnvelopeItem extends ItemBase {
  readonly kind: 'red-envelope';
  readonly envelope: RedEnvelopeState;
  readonly claim: RedEnvelopeClaimState;
}

export type StatementItem = ExpenseItem | PaymentItem | RedEnvelopeItem;

// States are immutable, so the sorted rows can be cached per state object (exporting both
// statements, or several members' statements, sorts once).
const itemsByState = new WeakMap<GroupState, readonly StatementItem[]>();

/**
 * All non-deleted expenses, recurring occurrences and payments of the group, all dates and
 * currencies, in statement order.
 */
export function statementItems(state: GroupState): readonly StatementItem[] {
  const cached = itemsByState.get(state);
  if (cached) return cached;
  const items: StatementItem[] = [];
  for (const expense of state.expenses) {
    if (!expense.deleted) items.push(expenseItem(expense));
  }
  // Recurring occurrences (derived by fold up to its date) count like expenses; id `rule|date`.
  const rules = new Map((state.recurring ?? []).map((r) => [r.id, r]));
  for (const o of state.occurrences ?? []) {
    const rule = rules.get(o.rule);
    items.push(dataItem(o.id, o.data, rule?.lamport ?? 0, rule?.createdBy ?? ''));
  }
  const requestNotes = new Map(state.requests.map((r) => [r.id, r.note]));
  for (const payment of state.payments) {
    if (!payment.deleted) items.push(paymentItem(withRequestNote(payment, requestNotes)));
  }
  for (const envelope of state.redEnvelopes ?? []) {
    for (const claim of envelope.claims) items.push(redEnvelopeItem(envelope, claim));
  }
  items.sort(compareItems);
  itemsByState.set(state, items);
  return items;
}

function expenseItem(expense: ExpenseState): ExpenseItem {
  return dataItem(expense.id, expense.data, expense.versions[0]?.lamport ?? 0, expense.createdBy);
}

function dataItem(id: string, data: ExpenseData, lamport: number, author: MemberId): ExpenseItem {
  // Fold validated this data through the same memo, so this is normally a cache hit; a failure
  // would mean a state fold never produced, hence a bug: throw.
  const { paid, owed } = unwrap(expenseShares(data));
  return {
    kind: 'expense',
    id,
    date: data.date,
    currency: data.currency,
    amount: data.amount,
    lamport,
    author,
    paid,
    shares: owed,
    data,
  };
}

/**
 * A payment that fulfils a request carries the request's note (the app copies it when paying);
 * one recorded without a note of its own, e.g. by an older version, still shows the request's.
 */
function withRequestNote(
  payment: PaymentState,
  requestNotes: ReadonlyMap<string, string | undefined>,
): PaymentState {
  if (payment.note !== undefined || payment.request === undefined) return payment;
  const note = requestNotes.get(payment.request);
  return note === undefined ? payment : { ...payment, note };
}

function paymentItem(payment: PaymentState): PaymentItem {
  return {
    kind: 'payment',
    id: payment.id,
    date: payment.date,
    currency: payment.currency,
    amount: payment.amount,
    lamport: payment.lamport,
    author: payment.author,
    paid: { [payment.from]: payment.amount },
    shares: { [payment.to]: payment.amount },
    payment,
  };
}

function redEnvelopeItem(envelope: RedEnvelopeState, claim: RedEnvelopeClaimState): RedEnvelopeItem {
  return {
    kind: 'red-envelope',
    id: claim.entryId,
    date: envelope.date,
    currency: envelope.currency,
    amount: claim.amount,
    lamport: claim.lamport,
    author: claim.member,
    paid: { [claim.member]: claim.amount },
    shares: { [envelope.author]: claim.amount },
    envelope,
    claim,
  };
}

function compareItems(a: StatementItem, b: StatementItem): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.lamport !== b.lamport) return a.lamport - b.lamport;
  if (a.author !== b.author) return a.author < b.author ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** True when the item falls in the inclusive date range and matches the currency filter. */
export function itemSelected(
  item: StatementItem,
  range: {
    readonly from: string | undefined;
    readonly to: string | undefined;
    readonly currency: string | undefined;
  },
): boolean {
  return (
    (range.from === undefined || item.date >= range.from) &&
    (range.to === undefined || item.date <= range.to) &&
    (range.currency === undefined || item.currency === range.currency)
  );
}
