/** View-model helpers over shared/settle for the balances screen and the group list. */
import type { GroupState } from '../../../shared/ledger/types';
import type { CurrencyCode, MemberId, Minor } from '../../../shared/money/types';
import { type MemberTotals, memberTotals, planSettlement, type Transfer } from '../../../shared/settle';

export interface BalanceRow extends MemberTotals {
  readonly member: MemberId;
}

export interface CurrencySheet {
  readonly currency: CurrencyCode;
  /** Every member, in the state's member order. */
  readonly rows: readonly BalanceRow[];
  readonly plan: readonly Transfer[];
}

// States are immutable and a new fold makes a new object: cache per state so re-renders and
// snapshot refreshes (presence, sync status) never recompute balances of a large ledger.
const sheetCache = new WeakMap<GroupState, CurrencySheet[]>();

/** Balances and the fewest-transfers plan per currency, the group's currency first, then by code. */
export function balanceSheet(state: GroupState): CurrencySheet[] {
  let cached = sheetCache.get(state);
  if (!cached) {
    cached = computeSheet(state);
    sheetCache.set(state, cached);
  }
  return cached;
}

/**
 * Seeds the cache with sheets computed earlier for this very state (the view cache keeps them
 * with the state it restores), so a restored group shows its balances without recomputing.
 */
export function primeBalanceSheet(state: GroupState, sheets: CurrencySheet[]): void {
  if (!sheetCache.has(state)) sheetCache.set(state, sheets);
}

function computeSheet(state: GroupState): CurrencySheet[] {
  const sheets: CurrencySheet[] = [];
  const order = new Map(state.members.map((m, i) => [m.id, i]));
  for (const [currency, totals] of memberTotals(state)) {
    const rows = [...totals].map(([member, t]) => ({ member, ...t }));
    rows.sort((a, b) => (order.get(a.member) ?? Infinity) - (order.get(b.member) ?? Infinity));
    const nets = new Map(rows.map((r) => [r.member, r.net]));
    sheets.push({ currency, rows, plan: planSettlement(nets) });
  }
  // The group's own currency leads; it is always present even before anything is spent in it.
  return sheets.sort((a, b) =>
    a.currency === state.currency ? -1 : b.currency === state.currency ? 1 : a.currency < b.currency ? -1 : 1,
  );
}

/** My non-zero net balance per currency (positive: the group owes me), for the group list. */
export function myBalances(state: GroupState, me: MemberId): { currency: CurrencyCode; amount: Minor }[] {
  // Derived from the (cached) sheet, so the group list warms the cache the balances tab uses.
  return balanceSheet(state).flatMap((sheet) => {
    const amount = sheet.rows.find((r) => r.member === me)?.net ?? 0;
    return amount === 0 ? [] : [{ currency: sheet.currency, amount }];
  });
}

/**
 * Every member's non-zero net balances (positive: the group owes them), in the state's member
 * order, each member's currencies in the sheets' order (the group's currency first); for the
 * balances shown above a group's tabs. Derived from the (cached) sheet.
 */
export function memberNets(
  state: GroupState,
): { member: MemberId; nets: { currency: CurrencyCode; amount: Minor }[] }[] {
  const nets = new Map<MemberId, { currency: CurrencyCode; amount: Minor }[]>(
    state.members.map((m) => [m.id, []]),
  );
  for (const sheet of balanceSheet(state)) {
    for (const row of sheet.rows) {
      if (row.net !== 0) nets.get(row.member)?.push({ currency: sheet.currency, amount: row.net });
    }
  }
  return state.members.map((m) => ({ member: m.id, nets: nets.get(m.id) ?? [] }));
}
