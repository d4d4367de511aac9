/**
 * Who owes whom, per currency, from a folded group state.
 *
 * A member's balance = what they paid for expenses − their shares of expenses
 *                      + payments they sent − payments they received
 *                      (accepted balance hand-overs count as payments: docs/protocol.md §13)
 *                      + red-envelope shares they opened − shares others opened of theirs.
 * Positive: the group owes them; negative: they owe the group. Deleted expenses and payments do
 * not count; requests are only asks and never move money. Per currency the balances sum to zero.
 *
 * Red envelopes (docs/red-envelopes.md): Tally moves no money, so a claimed share is a gift the
 * sender still has to hand over: the sender owes it to the opener (opener +share, sender −share),
 * and settling up moves it from sender to opener. Unopened or taken-back parts count nowhere.
 */
import { unwrap } from '../errors';
import { liveExpenseFacts } from '../ledger/fold-handover';
import type { GroupState } from '../ledger/types';
import { addMinor, subMinor } from '../money/arith';
import type { CurrencyCode, MemberId, Minor } from '../money/types';

/** Per currency (ascending code), per member (ascending id): positive = is owed money. */
export type Balances = ReadonlyMap<CurrencyCode, ReadonlyMap<MemberId, Minor>>;

export interface MemberTotals {
  /** Paid for expenses. */
  readonly paid: Minor;
  /** Share of expenses. */
  readonly share: Minor;
  /** Sent in payments (settle-ups). */
  readonly sent: Minor;
  /** Received in payments. */
  readonly received: Minor;
  /** Red-envelope shares this member opened, minus the shares others opened of their envelopes. */
  readonly lucky: Minor;
  /** paid − share + sent − received + lucky: the balance. */
  readonly net: Minor;
}

type Totals = { paid: Minor; share: Minor; sent: Minor; received: Minor; lucky: Minor };

const byKey = <V>(a: [string, V], b: [string, V]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

class Ledger {
  private readonly perCurrency = new Map<CurrencyCode, Map<MemberId, Totals>>();

  constructor(private readonly members: readonly MemberId[]) {}

  currency(code: CurrencyCode): Map<MemberId, Totals> {
    let m = this.perCurrency.get(code);
    if (!m) {
      // Every member appears in every currency, even with nothing to their name.
      m = new Map();
      for (const id of this.members) m.set(id, { paid: 0, share: 0, sent: 0, received: 0, lucky: 0 });
      this.perCurrency.set(code, m);
    }
    return m;
  }

  /** Totals of one member in one currency's table. */
  static of(m: Map<MemberId, Totals>, member: MemberId): Totals {
    let t = m.get(member);
    if (!t) {
      // Not in the member list (a hand-built state): still counted, or the sums would not be zero.
      t = { paid: 0, share: 0, sent: 0, received: 0, lucky: 0 };
      m.set(member, t);
    }
    return t;
  }

  /** Sorted by currency code, then member id. */
  result<V>(map: (t: Totals) => V): ReadonlyMap<CurrencyCode, ReadonlyMap<MemberId, V>> {
    const out = new Map<CurrencyCode, ReadonlyMap<MemberId, V>>();
    for (const [code, members] of [...this.perCurrency].sort(byKey)) {
      out.set(code, new Map([...members].sort(byKey).map(([id, t]) => [id, map(t)])));
    }
    return out;
  }
}

function accumulate(state: GroupState): Ledger {
  const ledger = new Ledger(state.members.map((m) => m.id));
  if (state.currency) ledger.currency(state.currency);
  for (const x of liveExpenseFacts(state)) {
    // Only a hand-built state can hold an expense that does not add up: unwrap throws its error.
    if (!x.ok) unwrap(x.shares);
    const m = ledger.currency(x.currency);
    for (let i = 0; i < x.members.length; i++) {
      const t = Ledger.of(m, x.members[i]!);
      t.paid = addMinor(t.paid, x.paid[i]!);
      t.share = addMinor(t.share, x.owed[i]!);
    }
  }
  for (const p of state.payments) {
    if (p.deleted) continue;
    const m = ledger.currency(p.currency);
    const from = Ledger.of(m, p.from);
    from.sent = addMinor(from.sent, p.amount);
    const to = Ledger.of(m, p.to);
    to.received = addMinor(to.received, p.amount);
  }
  // An accepted hand-over moves `amount` of the giver's balance to the receiver: a credit handed
  // over (amount > 0) counts as a payment from the receiver to the giver, a debt as the reverse.
  for (const h of state.handovers ?? []) {
    if (h.status !== 'accepted') continue;
    const m = ledger.currency(h.currency);
    const payer = Ledger.of(m, h.amount > 0 ? h.to : h.from);
    const payee = Ledger.of(m, h.amount > 0 ? h.from : h.to);
    const amount = Math.abs(h.amount);
    payer.sent = addMinor(payer.sent, amount);
    payee.received = addMinor(payee.received, amount);
  }
  addRedEnvelopes(ledger, state);
  return ledger;
}

/** Each claimed share: the sender owes it to the opener. */
function addRedEnvelopes(ledger: Ledger, state: GroupState): void {
  for (const env of state.redEnvelopes ?? []) {
    if (env.claims.length === 0) continue;
    const m = ledger.currency(env.currency);
    const sender = Ledger.of(m, env.author);
    for (const claim of env.claims) {
      const opener = Ledger.of(m, claim.member);
      opener.lucky = addMinor(opener.lucky, claim.amount);
      sender.lucky = subMinor(sender.lucky, claim.amount);
    }
  }
}

const netOf = (t: Totals): Minor =>
  addMinor(subMinor(addMinor(subMinor(t.paid, t.share), t.sent), t.received), t.lucky);

/**
 * Balances per currency: the group's default currency and every currency of a live expense or
 * payment; every member in each. Throws WalletError `overflow` if a sum leaves the safe range, or
 * the money module's error for an expense that does not add up (impossible in a folded state).
 */
export function computeBalances(state: GroupState): Balances {
  return accumulate(state).result(netOf);
}

/** Per currency and member: what they paid, their share, what they sent and received, and the net. */
export function memberTotals(
  state: GroupState,
): ReadonlyMap<CurrencyCode, ReadonlyMap<MemberId, MemberTotals>> {
  return accumulate(state).result((t) => ({ ...t, net: netOf(t) }));
}
