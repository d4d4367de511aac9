/**
 * "Who usually pays, and who usually shares" for expenses like the one being typed: among past
 * expenses whose description shares a token with it, the most frequent payer and the most
 * frequent set of members in the split. Each past expense votes with the number of tokens it
 * shares, so closer matches count more.
 */
import type { GroupState } from '../ledger/types';
import type { MemberId, SplitSpec } from '../money/types';
import { tokenSetOf } from './tokenize';

/** Only a token's most recent expenses vote: habits change, and a keystroke stays cheap. */
export const RECENT_PER_TOKEN = 200;

interface PastExpense {
  /** Position in creation order: later is more recent (the tie-break). */
  readonly order: number;
  readonly payers: readonly MemberId[];
  /** Sorted member ids with a share in the split. */
  readonly members: readonly MemberId[];
}

export interface UsualSplitIndex {
  /** token → positions (in state.expenses) of its most recent live expenses, oldest first. */
  readonly byToken: ReadonlyMap<string, readonly number[]>;
  /** Payers and split members of the expense at a position, worked out on first use. */
  past(order: number): PastExpense;
}

export interface UsualSplit {
  /** The most frequent payer among similar expenses (null when none was a current member). */
  readonly payer: MemberId | null;
  /** The most frequent set of members sharing similar expenses, sorted (null when none). */
  readonly members: readonly MemberId[] | null;
  /** How many past expenses were similar. */
  readonly matches: number;
}

/** Members who take a share under a split spec, sorted. */
export function splitMembers(split: SplitSpec): MemberId[] {
  switch (split.mode) {
    case 'equal':
    case 'adjustment':
      return [...new Set(split.members)].sort();
    case 'exact':
      return Object.keys(split.amounts)
        .filter((m) => (split.amounts[m] ?? 0) > 0)
        .sort();
    case 'percent':
      return Object.keys(split.basisPoints)
        .filter((m) => (split.basisPoints[m] ?? 0) > 0)
        .sort();
    case 'shares':
      return Object.keys(split.weights)
        .filter((m) => (split.weights[m] ?? 0) > 0)
        .sort();
  }
}

/**
 * Built once per state: only token → positions, so building costs little more than reading the
 * descriptions; the payers and members of an expense are worked out when a query first meets it.
 */
export function buildUsualSplitIndex(state: GroupState): UsualSplitIndex {
  const current = new Set(state.members.map((m) => m.id));
  const byToken = new Map<string, number[]>();
  const expenses = state.expenses;
  for (let order = 0; order < expenses.length; order++) {
    const e = expenses[order] as (typeof expenses)[number];
    if (e.deleted) continue;
    for (const token of tokenSetOf(e.data.description)) {
      let list = byToken.get(token);
      if (!list) {
        list = [];
        byToken.set(token, list);
      }
      list.push(order);
      // Expenses come in creation order, so dropping the head keeps the most recent ones.
      if (list.length > RECENT_PER_TOKEN * 2) list.splice(0, list.length - RECENT_PER_TOKEN);
    }
  }
  for (const [token, list] of byToken) {
    if (list.length > RECENT_PER_TOKEN) byToken.set(token, list.slice(-RECENT_PER_TOKEN));
  }
  const seen = new Map<number, PastExpense>();
  return {
    byToken,
    past(order) {
      let p = seen.get(order);
      if (!p) {
        const data = (expenses[order] as (typeof expenses)[number]).data;
        p = {
          order,
          payers: data.payers.map((x) => x.member).filter((m) => current.has(m)),
          members: splitMembers(data.split).filter((m) => current.has(m)),
        };
        seen.set(order, p);
      }
      return p;
    },
  };
}

interface Tally {
  votes: number;
  latest: number;
}

function vote(tallies: Map<string, Tally>, key: string, votes: number, order: number): void {
  const t = tallies.get(key);
  if (t) {
    t.votes += votes;
    if (order > t.latest) t.latest = order;
  } else tallies.set(key, { votes, latest: order });
}

/** Most votes, then the most recently used, then the smallest key: the same on every device. */
function winner(tallies: Map<string, Tally>): string | null {
  let best: string | null = null;
  let bestTally: Tally | null = null;
  for (const [key, t] of tallies) {
    if (
      bestTally === null ||
      t.votes > bestTally.votes ||
      (t.votes === bestTally.votes && t.latest > bestTally.latest) ||
      (t.votes === bestTally.votes && t.latest === bestTally.latest && key < (best as string))
    ) {
      best = key;
      bestTally = t;
    }
  }
  return best;
}

/** The usual payer and split members for a description, or null when nothing similar exists. */
export function usualSplit(index: UsualSplitIndex, description: string): UsualSplit | null {
  const shared = new Map<number, number>();
  for (const token of tokenSetOf(description)) {
    for (const order of index.byToken.get(token) ?? []) shared.set(order, (shared.get(order) ?? 0) + 1);
  }
  if (shared.size === 0) return null;
  const payers = new Map<string, Tally>();
  const memberSets = new Map<string, Tally>();
  for (const [order, votes] of shared) {
    const past = index.past(order);
    for (const p of past.payers) vote(payers, p, votes, past.order);
    if (past.members.length > 0) vote(memberSets, past.members.join(','), votes, past.order);
  }
  const members = winner(memberSets);
  return {
    payer: winner(payers),
    members: members === null ? null : members.split(','),
    matches: shared.size,
  };
}
