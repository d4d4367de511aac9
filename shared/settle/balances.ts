/**
 * Who owes whom, per currency, from a folded group state.
 *
 * A member's balance = what they paid for expenses − their shares of expenses
 *                      + payments they sent − payments they received.
 * Positive: the group owes them; negative: they owe the group. Deleted expenses and payments do
 * not count; requests are only asks and never move money. Per currency the balances sum to zero.
 */
import { unwrap } from '../errors';
import { expenseShares } from '../ledger/fold-shares';
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
  /** paid − share + sent − received: the balance. */
  readonly net: Minor;
}

type Totals = { paid: Minor; share: Minor; sent: Minor; received: Minor };
type Field = keyof Totals;

const byKey = <V>(a: [string, V], b: [string, V]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

class Ledger {
  private readonly perCurrency = new Map<CurrencyCode, Map<MemberId, Totals>>();

  constructor(private readonly members: readonly MemberId[]) {}

  private currency(code: CurrencyCode): Map<MemberId, Totals> {
    let m = this.perCurrency.get(code);
    if (!m) {
      // Every member appears in every currency, even with nothing to their name.
      m = new Map(this.members.map((id) => [id, { paid: 0, share: 0, sent: 0, received: 0 }]));
      this.perCurrency.set(code, m);
    }
    return m;
  }

  add(code: CurrencyCode, member: MemberId, field: Field, amount: Minor): void {
    const m = this.currency(code);
    let t = m.get(member);
    if (!t) {
      // Not in the member list (a hand-built state): still counted, or the sums would not be zero.
      t = { paid: 0, share: 0, sent: 0, received: 0 };
      m.set(member, t);
    }
    t[field] = addMinor(t[field], amount);
  }

  touch(code: CurrencyCode): void {
    this.currency(code);
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
  if (state.currency) ledger.touch(state.currency);
  for (const x of state.expenses) {
    if (x.deleted) continue;
    const { paid, owed } = unwrap(expenseShares(x.data));
    const code = x.data.currency;
    for (const id in paid) ledger.add(code, id, 'paid', paid[id]!);
    for (const id in owed) ledger.add(code, id, 'share', owed[id]!);
  }
  for (const p of state.payments) {
    if (p.deleted) continue;
    ledger.add(p.currency, p.from, 'sent', p.amount);
    ledger.add(p.currency, p.to, 'received', p.amount);
  }
  return ledger;
}

const netOf = (t: Totals): Minor => subMinor(addMinor(subMinor(t.paid, t.share), t.sent), t.received);

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
