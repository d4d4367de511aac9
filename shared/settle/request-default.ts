/**
 * What a payment request should ask for by default: what the payer owes the requester in the
 * group's settlement plan (balances.ts + plan.ts), less what open requests already ask the payer
 * for in the same direction and currency. The plan is the reference because it is what the
 * balances screen tells people to pay; a payer whose debt the plan routes to someone else owes
 * this requester nothing here, and the form says so.
 */
import type { EventOf } from '../ledger/events';
import type { GroupState, RequestState } from '../ledger/types';
import type { CurrencyCode, MemberId, Minor } from '../money/types';
import { computeBalances } from './balances';
import { planSettlement } from './plan';

export type RequestDefaultStatus =
  /** The plan has the payer pay the requester: `amount` is what is still unasked. */
  | 'owed'
  /** The plan has no transfer from the payer to the requester in this currency. */
  | 'nothing_owed'
  /** Open requests already ask for all of it. */
  | 'already_requested';

export interface RequestDefault {
  readonly status: RequestDefaultStatus;
  /** Suggested amount (minor units), 0 unless `owed`. */
  readonly amount: Minor;
  /** The plan's transfer from the payer to the requester (0 when there is none). */
  readonly owed: Minor;
  /** Sum of open requests from the same requester to the same payer in this currency. */
  readonly requested: Minor;
}

/** The planned transfer payer → payee in `currency` (0 when the plan has none). */
export function plannedTransfer(
  state: GroupState,
  payer: MemberId,
  payee: MemberId,
  currency: CurrencyCode,
): Minor {
  const balances = computeBalances(state).get(currency);
  if (!balances) return 0;
  const transfer = planSettlement(balances).find((t) => t.from === payer && t.to === payee);
  return transfer?.amount ?? 0;
}

/** The default of a request that asks `payer` to pay `requester` in `currency`. */
export function requestDefault(
  state: GroupState,
  payer: MemberId,
  requester: MemberId,
  currency: CurrencyCode,
): RequestDefault {
  const owed = payer === requester ? 0 : plannedTransfer(state, payer, requester, currency);
  let requested = 0;
  for (const r of state.requests) {
    if (r.status === 'open' && r.from === payer && r.to === requester && r.currency === currency) {
      requested += r.amount;
    }
  }
  if (owed === 0) return { status: 'nothing_owed', amount: 0, owed, requested };
  const left = owed - requested;
  if (left <= 0) return { status: 'already_requested', amount: 0, owed, requested };
  return { status: 'owed', amount: left, owed, requested };
}

/** What paying a request records: the request's parties, amount and currency, its note, and its id. */
export function paymentForRequest(
  request: RequestState,
  date: string,
): Omit<EventOf<'payment.recorded'>, 'type'> {
  return {
    from: request.from,
    to: request.to,
    amount: request.amount,
    currency: request.currency,
    date,
    request: request.id,
    ...(request.note !== undefined ? { note: request.note } : {}),
  };
}
