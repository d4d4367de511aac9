/**
 * Would recording this payment create a debt the other way? Paying from A to B settles up to
 * the smaller of what A owes the group and what the group owes B (their balances in that
 * currency). Beyond that, A ends up being owed or B ends up owing: the reverse debt that
 * appears when someone pays a request nobody owed. The UI asks before recording such a payment.
 */
import type { GroupState } from '../ledger/types';
import type { CurrencyCode, MemberId, Minor } from '../money/types';
import { computeBalances } from './balances';

export interface PaymentDraft {
  readonly from: MemberId;
  readonly to: MemberId;
  readonly amount: Minor;
  readonly currency: CurrencyCode;
}

export interface Overpayment {
  /** The most this payment can be without creating a reverse debt (minor units, ≥ 0). */
  readonly limit: Minor;
  /** amount − limit (> 0). */
  readonly excess: Minor;
}

/** The most `from` can pay `to` in `currency` without either balance changing sign. */
export function settlingLimit(
  state: GroupState,
  from: MemberId,
  to: MemberId,
  currency: CurrencyCode,
): Minor {
  const balances = computeBalances(state).get(currency);
  if (!balances || from === to) return 0;
  const owes = Math.max(0, -(balances.get(from) ?? 0));
  const owed = Math.max(0, balances.get(to) ?? 0);
  return Math.min(owes, owed);
}

/** Null when the payment only settles existing debt; otherwise by how much it goes beyond. */
export function overpayment(state: GroupState, p: PaymentDraft): Overpayment | null {
  const limit = settlingLimit(state, p.from, p.to, p.currency);
  return p.amount > limit ? { limit, excess: p.amount - limit } : null;
}
