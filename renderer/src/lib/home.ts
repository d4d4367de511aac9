/**
 * The home screen's figures across all groups: what I owe and am owed per currency (and in one
 * currency with each group's recorded rates), recent activity, and the groups that need me.
 */
import type { GroupState } from '../../../shared/ledger/types';
import { addMinor } from '../../../shared/money/arith';
import type { CurrencyCode, MemberId, Minor } from '../../../shared/money/types';
import { computeBalances } from '../../../shared/settle/balances';
import { convertBalances } from '../../../shared/settle/convert';
import type { GroupSummary } from '../services/types';

export interface HomeGroup {
  readonly summary: GroupSummary;
  readonly state: GroupState | null;
}

export interface CurrencyPosition {
  readonly currency: CurrencyCode;
  /** What groups owe me, summed over the groups where I am owed (≥ 0). */
  readonly owed: Minor;
  /** What I owe, summed over the groups where I owe (≥ 0). */
  readonly owe: Minor;
}

/** Per currency (ascending): owed and owe are kept apart, so being owed in one group does not hide a debt in another. */
export function positions(groups: readonly HomeGroup[]): CurrencyPosition[] {
  const acc = new Map<CurrencyCode, { owed: Minor; owe: Minor }>();
  for (const g of groups) {
    for (const b of g.summary.myBalances) {
      const p = acc.get(b.currency) ?? { owed: 0, owe: 0 };
      if (b.amount > 0) p.owed = addMinor(p.owed, b.amount);
      else p.owe = addMinor(p.owe, -b.amount);
      acc.set(b.currency, p);
    }
  }
  return [...acc]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([currency, p]) => ({ currency, ...p }))
    .filter((p) => p.owed !== 0 || p.owe !== 0);
}

export type NetInResult =
  | { readonly ok: true; readonly owed: Minor; readonly owe: Minor }
  | { readonly ok: false; readonly group: string; readonly from: string; readonly to: string };

/**
 * My position in `target`: each group's balances converted with that group's recorded rates
 * (shared/settle/convert.ts, exact, largest-remainder rounding), then added over groups.
 */
export function positionIn(groups: readonly HomeGroup[], me: MemberId, target: CurrencyCode): NetInResult {
  let owed = 0;
  let owe = 0;
  for (const g of groups) {
    if (!g.state || g.summary.myBalances.length === 0) continue;
    const r = convertBalances(computeBalances(g.state), target, g.state.rates);
    if (!r.ok) {
      return {
        ok: false,
        group: g.summary.name,
        from: String(r.error.details?.from ?? ''),
        to: String(r.error.details?.to ?? target),
      };
    }
    const mine = r.value.get(me) ?? 0;
    if (mine > 0) owed = addMinor(owed, mine);
    else owe = addMinor(owe, -mine);
  }
  return { ok: true, owed, owe };
}

export interface ActivityItem {
  readonly groupId: string;
  readonly groupName: string;
  readonly kind: 'expense' | 'payment';
  readonly id: string;
  /** When it was written (the author's clock), for ordering only. */
  readonly time: number;
  readonly description: string;
  readonly amount: Minor;
  readonly currency: CurrencyCode;
  /** YYYY-MM-DD as entered. */
  readonly date: string;
  readonly author: MemberId;
}

/** The latest `limit` live expenses (by their last change) and payments across groups, newest first. */
export function recentActivity(groups: readonly HomeGroup[], limit = 8): ActivityItem[] {
  const items: ActivityItem[] = [];
  for (const g of groups) {
    const s = g.state;
    if (!s) continue;
    for (const x of s.expenses) {
      if (x.deleted) continue;
      const last = x.versions[x.versions.length - 1]!;
      items.push({
        groupId: s.groupId,
        groupName: s.name,
        kind: 'expense',
        id: x.id,
        time: last.time,
        description: x.data.description,
        amount: x.data.amount,
        currency: x.data.currency,
        date: x.data.date,
        author: last.author,
      });
    }
    for (const p of s.payments) {
      if (p.deleted) continue;
      items.push({
        groupId: s.groupId,
        groupName: s.name,
        kind: 'payment',
        id: p.id,
        time: p.time,
        description: p.note ?? '',
        amount: p.amount,
        currency: p.currency,
        date: p.date,
        author: p.author,
      });
    }
  }
  return items.sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : 1)).slice(0, limit);
}

export interface GroupNeed {
  readonly groupId: string;
  readonly name: string;
  /** Open conflicts and unseen arrivals (the Review badge). */
  readonly review: number;
  /** Open requests asking me to pay. */
  readonly requests: number;
  /** My changes not yet sent to the relay. */
  readonly unsent: number;
}

/** Groups with something for me to do, in the group list's order. */
export function groupsThatNeedMe(groups: readonly HomeGroup[], me: MemberId | undefined): GroupNeed[] {
  const out: GroupNeed[] = [];
  for (const g of groups) {
    const requests = me
      ? (g.state?.requests.filter((r) => r.status === 'open' && r.from === me).length ?? 0)
      : 0;
    const need = {
      groupId: g.summary.id,
      name: g.summary.name,
      review: g.summary.review,
      requests,
      unsent: g.summary.sync.unsent ?? 0,
    };
    if (need.review > 0 || need.requests > 0 || need.unsent > 0) out.push(need);
  }
  return out;
}
