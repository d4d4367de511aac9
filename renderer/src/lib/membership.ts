/**
 * What the membership screens need from a folded state (docs/protocol.md §13): who is still in,
 * how far a removal is from a majority, which hand-overs wait for whom.
 */
import type { ExpenseData } from '../../../shared/ledger/events';
import type { HandoverState, GroupState, MemberState, RemovalState } from '../../../shared/ledger/types';
import type { MemberId } from '../../../shared/money/types';

export const isActiveMember = (m: MemberState): boolean => m.status === undefined;

/** Members who can still write and be named in new expenses and requests. */
export function activeMembers(state: GroupState): MemberState[] {
  return state.members.filter(isActiveMember);
}

/** Active members, plus those `keep` names (an edit of history may keep naming a departed member). */
export function selectableMemberIds(state: GroupState, keep: readonly MemberId[] = []): MemberId[] {
  return state.members.filter((m) => isActiveMember(m) || keep.includes(m.id)).map((m) => m.id);
}

/** Everyone an expense's data names (payers and split). */
export function namedInExpense(data: ExpenseData): MemberId[] {
  const split = data.split;
  const inSplit =
    split.mode === 'equal' || split.mode === 'adjustment'
      ? split.members
      : Object.keys(
          split.mode === 'exact'
            ? split.amounts
            : split.mode === 'percent'
              ? split.basisPoints
              : split.weights,
        );
  return [...new Set([...data.payers.map((p) => p.member), ...inSplit])];
}

export interface RemovalProgress {
  /** Approvals that count now (by active members other than the target). */
  readonly approvals: number;
  /** Approvals a removal needs now: a strict majority of the active members other than the target. */
  readonly needed: number;
  readonly approvedBy: readonly MemberId[];
}

/** How far the open removal of `member` is, as the fold counts it (fold-membership.ts). */
export function removalProgress(state: GroupState, member: MemberId): RemovalProgress {
  const active = new Set(activeMembers(state).map((m) => m.id));
  active.delete(member);
  const record: RemovalState | undefined = state.removals?.find(
    (r) => r.member === member && r.status === 'open',
  );
  const approvedBy = (record?.approvals ?? []).filter((id) => active.has(id));
  return { approvals: approvedBy.length, needed: Math.floor(active.size / 2) + 1, approvedBy };
}

/** Hand-overs waiting for `me` to accept, and those `me` offered that still wait. */
export function pendingHandovers(
  state: GroupState,
  me: MemberId,
): { toMe: HandoverState[]; fromMe: HandoverState[] } {
  const pending = (state.handovers ?? []).filter((h) => h.status === 'pending');
  return { toMe: pending.filter((h) => h.to === me), fromMe: pending.filter((h) => h.from === me) };
}
