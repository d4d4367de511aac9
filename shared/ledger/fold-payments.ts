/**
 * Payments (settle-ups) and payment requests in the fold.
 *
 * Decisions:
 * - Any member may record, delete or cancel (the group trusts its members, as with expenses).
 * - A payment naming a request pays it only while the request is open and the payment matches it
 *   exactly (from, to, amount, currency). Otherwise the payment still counts — money did move —
 *   and the request keeps its status; nothing is listed as ignored, because nothing was. The UI
 *   can tell by `request.paidBy !== payment.id`.
 * - Deleting the payment that paid a request hands the request to the next live matching payment
 *   naming it (two people paying the same request offline), or reopens it when there is none.
 */
import { isCurrency } from '../money/currencies';
import type { CurrencyCode, MemberId, Minor } from '../money/types';
import type { EventOf } from './events';
import { type FoldContext, type Mutable, type Problem, problem, shortId } from './fold-context';
import type { PaymentState, RequestState, VerifiedEntry } from './types';

interface Transfer {
  readonly from: MemberId;
  readonly to: MemberId;
  readonly amount: Minor;
  readonly currency: CurrencyCode;
}

/**
 * A payment may name a member who has left (their balance must stay settleable: docs/protocol.md
 * §13); a request may not, as they can no longer answer it.
 */
function checkTransfer(ctx: FoldContext, t: Transfer, what: 'payment' | 'request'): Problem | undefined {
  if (!isCurrency(t.currency)) {
    return problem('unknown_currency', `The ${what} uses an unknown currency “${t.currency}”.`);
  }
  for (const id of [t.from, t.to]) {
    const m = ctx.members.get(id);
    if (!m) {
      return problem(
        'unknown_member',
        `The ${what} names ${shortId(id)}…, who is not a member of the group.`,
      );
    }
    if (what === 'request' && m.status !== undefined) {
      return problem('departed_member', `The request names ${shortId(id)}…, who has left the group.`);
    }
  }
  return undefined;
}

function matches(p: PaymentState, r: RequestState): boolean {
  return (
    !p.deleted && p.from === r.from && p.to === r.to && p.amount === r.amount && p.currency === r.currency
  );
}

export function applyPaymentRecorded(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'payment.recorded'>,
): Problem | undefined {
  const bad = checkTransfer(ctx, ev, 'payment');
  if (bad) return bad;
  const h = entry.header;
  const payment: Mutable<PaymentState> = {
    id: entry.id,
    author: h.author,
    from: ev.from,
    to: ev.to,
    amount: ev.amount,
    currency: ev.currency,
    date: ev.date,
    deleted: false,
    lamport: h.lamport,
    time: h.time,
  };
  if (ev.note !== undefined) payment.note = ev.note;
  if (ev.request !== undefined) payment.request = ev.request;
  ctx.payments.set(entry.id, payment);

  const request = ev.request === undefined ? undefined : ctx.requests.get(ev.request);
  if (request) {
    const naming = ctx.requestPayments.get(request.id);
    if (naming) naming.push(entry.id);
    else ctx.requestPayments.set(request.id, [entry.id]);
    if (request.status === 'open' && matches(payment, request)) {
      request.status = 'paid';
      request.paidBy = entry.id;
    }
  }
  return undefined;
}

export function applyPaymentDeleted(ctx: FoldContext, ev: EventOf<'payment.deleted'>): Problem | undefined {
  const payment = ctx.payments.get(ev.payment);
  if (!payment) return problem('unknown_payment', `There is no payment ${shortId(ev.payment)}… to delete.`);
  if (payment.deleted) return problem('already_deleted', 'The payment was already deleted.');
  payment.deleted = true;

  const request = payment.request === undefined ? undefined : ctx.requests.get(payment.request);
  if (request && request.paidBy === payment.id) {
    // It paid the request, so it named it: the list exists.
    const next = ctx.requestPayments.get(request.id)!.find((id) => matches(ctx.payments.get(id)!, request));
    if (next) {
      request.paidBy = next;
    } else {
      request.status = 'open';
      delete request.paidBy;
    }
  }
  return undefined;
}

export function applyRequestCreated(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'request.created'>,
): Problem | undefined {
  const bad = checkTransfer(ctx, ev, 'request');
  if (bad) return bad;
  const h = entry.header;
  const request: Mutable<RequestState> = {
    id: entry.id,
    author: h.author,
    from: ev.from,
    to: ev.to,
    amount: ev.amount,
    currency: ev.currency,
    status: 'open',
    lamport: h.lamport,
    time: h.time,
  };
  if (ev.note !== undefined) request.note = ev.note;
  ctx.requests.set(entry.id, request);
  return undefined;
}

export function applyRequestCancelled(
  ctx: FoldContext,
  ev: EventOf<'request.cancelled'>,
): Problem | undefined {
  const request = ctx.requests.get(ev.request);
  if (!request) return problem('unknown_request', `There is no request ${shortId(ev.request)}… to cancel.`);
  if (request.status !== 'open') {
    return problem(
      'request_not_open',
      `The request is already ${request.status}; only open requests can be cancelled.`,
    );
  }
  request.status = 'cancelled';
  return undefined;
}
