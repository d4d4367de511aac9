/**
 * "Who usually pays, and who usually shares" for expenses like the one being typed: among past
 * expenses whose description shares a token with it, the most frequent payer and the most
 * frequent set of members in the split. Each past expense votes with the number of tokens it
 * shares, so closer matches count more.
 */
import type { GroupState } from '../ledger/types';
import type { MemberId, SplitSpec } from '../money/types';
import { tokenSet } from './tokenize';

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
  readonly byToken: ReadonlyMap<string, readonly PastExpense[]>;
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

export function buildUsualSplitIndex(state: GroupState): UsualSplitIndex {
  const current = new Set(state.members.map((m) => m.id));
  const byToken = new Map<string, PastExpense[]>();
  state.expenses.forEach((e, order) => {
    if (e.deleted) return;
    const past: PastExpense = {
      order,
      payers: e.data.payers.map((p) => p.member).filter((m) => current.has(m)),
      members: splitMembers(e.data.split).filter((m) => current.has(m)),
    };
    for (const token of tokenSet(e.data.description)) {
      let list = byToken.get(token);
      if (!list) {
        list = [];
        byToken.set(token, list);
      }
      list.push(past);
      // Expenses come in creation order, so dropping the head keeps the most recent ones.
      if (list.length > RECENT_PER_TOKEN * 2) list.splice(0, list.length - RECENT_PER_TOKEN);
    }
  });
  for (const [token, list] of byToken) {
    if (list.length > RECENT_PER_TOKEN) byToken.set(token, list.slice(-RECENT_PER_TOKEN));
  }
  return { byToken };
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
  const shared = new Map<PastExpense, number>();
  for (const token of tokenSet(description)) {
    for (const past of index.byToken.get(token) ?? []) shared.set(past, (shared.get(past) ?? 0) + 1);
  }
  if (shared.size === 0) return null;
  const payers = new Map<string, Tally>();
  const memberSets = new Map<string, Tally>();
  for (const [past, votes] of shared) {
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
