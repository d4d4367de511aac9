/**
 * Leaving, removal and balance hand-over in the fold (docs/protocol.md §13).
 *
 * Rules (all decided in total order, so every device reaches the same membership):
 * - `member.left`: the author leaves. Nobody can stop it.
 * - `member.removed`: only the group's creator may write it, for anyone but themself; it takes
 *   effect at once. Anyone else writes `member.removal_approved` for the member instead: the
 *   member is removed at the first point in the order where the approvals of active members reach
 *   a strict majority of the active members other than the target. An approval by a member who
 *   has since left no longer counts; a departure can complete another removal (the count shrank).
 * - From their departure on, a member's own entries are ignored (`author_departed`), a join by
 *   the same key is ignored (`rejoin_not_allowed`), and new expenses, rules and requests naming
 *   them are ignored (`departed_member`). What happened before stays: expenses naming them keep
 *   counting, edits may keep naming them where the edited version did, and payments may still
 *   name them (a departed member's balance must stay settleable).
 * - `balance.handed_over` moves part of the author's balance to another active member; it counts
 *   only once that member writes `balance.handover_accepted` (they take on a debt or a credit, so
 *   they must agree). Either side may cancel it while it waits. It can be accepted after the giver
 *   departed: the giver signed it while a member.
 *
 * Member records are replaced, never changed in place, so states already handed out by the
 * incremental fold keep theirs; removal and hand-over records are copied into each state.
 */
import { isCurrency } from '../money/currencies';
import type { MemberId } from '../money/types';
import type { EventOf } from './events';
import { type FoldContext, type Mutable, type Problem, problem, shortId } from './fold-context';
import { memberSetWithout } from './fold-member-sets';
import type { EntryId, HandoverState, MemberState, RemovalState, VerifiedEntry } from './types';

export type RemovalRecord = Mutable<RemovalState> & { approvals: MemberId[] };
export type HandoverRecord = Mutable<HandoverState>;

export const isActive = (m: MemberState): boolean => m.status === undefined;

/** Why an entry by `author` cannot count, if they have departed. */
export function departedAuthor(author: MemberState): Problem | undefined {
  if (isActive(author)) return undefined;
  return problem(
    'author_departed',
    `The author ${author.status === 'left' ? 'left' : 'was removed from'} the group before this entry.`,
  );
}

/** The member `id` must be an active member here (a target of removal, a hand-over's receiver). */
function activeTarget(ctx: FoldContext, id: MemberId): MemberState | Problem {
  const m = ctx.members.get(id);
  if (!m) return problem('unknown_member', `${shortId(id)}… is not a member of the group.`);
  if (!isActive(m)) return problem('departed_member', `${shortId(id)}… has already left the group.`);
  return m;
}
const isProblem = (x: MemberState | Problem): x is Problem => 'code' in x;

export function applyMemberLeft(ctx: FoldContext, entry: VerifiedEntry): Problem | undefined {
  depart(ctx, entry.header.author, 'left', entry.id);
  return undefined;
}

export function applyMemberRemoved(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'member.removed'>,
): Problem | undefined {
  const author = entry.header.author;
  if (ev.member === author)
    return problem('cannot_remove_self', 'A member leaves rather than removes themself.');
  if (author !== ctx.createdBy) {
    return problem(
      'removal_not_allowed',
      'Only the group’s creator removes directly; others approve a removal.',
    );
  }
  const target = activeTarget(ctx, ev.member);
  if (isProblem(target)) return target;
  depart(ctx, ev.member, 'removed', entry.id);
  return undefined;
}

export function applyRemovalApproved(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'member.removal_approved'>,
): Problem | undefined {
  const author = entry.header.author;
  if (ev.member === author)
    return problem('cannot_remove_self', 'A member leaves rather than removes themself.');
  const target = activeTarget(ctx, ev.member);
  if (isProblem(target)) return target;
  let record = ctx.removals.get(ev.member);
  if (record?.approvals.includes(author)) {
    return problem('already_approved', 'The author already approved this removal.');
  }
  if (!record) {
    record = { member: ev.member, approvals: [], status: 'open' };
    ctx.removals.set(ev.member, record);
  }
  record.approvals.push(author);
  if (hasMajority(ctx, record)) depart(ctx, ev.member, 'removed', entry.id);
  return undefined;
}

/** Approvals of active members other than the target outnumber half of those members. */
function hasMajority(ctx: FoldContext, record: RemovalRecord): boolean {
  let voters = 0;
  for (const m of ctx.members.values()) if (isActive(m) && m.id !== record.member) voters++;
  let approvals = 0;
  for (const id of record.approvals) {
    const m = ctx.members.get(id);
    if (m && isActive(m)) approvals++;
  }
  return approvals * 2 > voters;
}

/**
 * Marks `id` departed at `entryId`, then completes any open removal that now has a majority
 * (fewer voters), in the order the removals were first approved, until none does.
 */
function depart(ctx: FoldContext, id: MemberId, status: 'left' | 'removed', entryId: EntryId): void {
  let next: { id: MemberId; status: 'left' | 'removed' } | undefined = { id, status };
  while (next) {
    const m = ctx.members.get(next.id)!;
    ctx.members.set(next.id, { ...m, status: next.status, departedBy: entryId });
    ctx.memberSet = memberSetWithout(ctx.memberSet, next.id);
    const own = ctx.removals.get(next.id);
    if (own) own.status = next.status;
    next = undefined;
    for (const r of ctx.removals.values()) {
      if (r.status === 'open' && hasMajority(ctx, r)) {
        next = { id: r.member, status: 'removed' };
        break;
      }
    }
  }
}

export function applyHandedOver(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'balance.handed_over'>,
): Problem | undefined {
  if (ev.to === entry.header.author) return problem('handover_to_self', 'A hand-over needs two members.');
  if (!isCurrency(ev.currency)) {
    return problem('unknown_currency', `The hand-over uses an unknown currency “${ev.currency}”.`);
  }
  const to = activeTarget(ctx, ev.to);
  if (isProblem(to)) return to;
  const h = entry.header;
  ctx.handovers.set(entry.id, {
    id: entry.id,
    from: h.author,
    to: ev.to,
    currency: ev.currency,
    amount: ev.amount,
    status: 'pending',
    lamport: h.lamport,
    time: h.time,
  });
  return undefined;
}

/** `balance.handover_accepted` (accept) or `balance.handover_cancelled` (cancel). */
export function applyHandoverSettled(
  ctx: FoldContext,
  entry: VerifiedEntry,
  handoverId: EntryId,
  outcome: 'accepted' | 'cancelled',
): Problem | undefined {
  const record = ctx.handovers.get(handoverId);
  if (!record) return problem('unknown_handover', `There is no hand-over ${shortId(handoverId)}….`);
  const author = entry.header.author;
  if (outcome === 'accepted' && author !== record.to) {
    return problem('not_handover_receiver', 'Only the receiver accepts a hand-over.');
  }
  if (outcome === 'cancelled' && author !== record.to && author !== record.from) {
    return problem('not_handover_party', 'Only the giver or the receiver cancels a hand-over.');
  }
  if (record.status !== 'pending') {
    return problem('handover_not_pending', `The hand-over is already ${record.status}.`);
  }
  record.status = outcome;
  record.settledBy = entry.id;
  return undefined;
}

/** Copies for a state (the context's records go on changing). */
export function handoverStates(ctx: FoldContext): HandoverState[] {
  return [...ctx.handovers.values()].map((h) => ({ ...h }));
}

export function removalStates(ctx: FoldContext): RemovalState[] {
  return [...ctx.removals.values()].map((r) => ({ ...r, approvals: r.approvals.slice() }));
}
