/**
 * How an on-device suggestion meets the expense form: which parts of it would change anything,
 * and the form patch that accepting it makes. Pure, so it is tested without a DOM.
 */
import type { MemberId } from '../../../shared/money/types';
import type { ExpenseForm } from './expenseForm';

/** What would change in the form if the suggestion were accepted (only what differs). */
export interface ExpenseSuggestion {
  readonly category?: string;
  readonly payer?: MemberId;
  /** Members of an equal split (offered only while the form splits equally). */
  readonly members?: readonly MemberId[];
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** The parts of a suggestion that differ from the form; null when nothing would change. */
export function pendingSuggestion(
  form: ExpenseForm,
  found: { category: string | null; payer: MemberId | null; members: readonly MemberId[] | null },
): ExpenseSuggestion | null {
  const out: { category?: string; payer?: MemberId; members?: readonly MemberId[] } = {};
  if (found.category && found.category !== form.category) out.category = found.category;
  if (found.payer && form.payers.length === 1 && form.payers[0]?.member !== found.payer)
    out.payer = found.payer;
  if (found.members && form.mode === 'equal' && !sameSet(found.members, form.participants)) {
    out.members = found.members;
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** The form patch that accepting a suggestion makes. */
export function acceptSuggestion(form: ExpenseForm, s: ExpenseSuggestion): Partial<ExpenseForm> {
  return {
    ...(s.category !== undefined ? { category: s.category } : {}),
    ...(s.payer !== undefined ? { payers: [{ member: s.payer, amount: form.payers[0]?.amount ?? '' }] } : {}),
    ...(s.members !== undefined ? { participants: [...s.members] } : {}),
  };
}
