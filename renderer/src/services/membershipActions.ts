/**
 * Writing leaves, removals and balance hand-overs (docs/protocol.md §13). Each checks what the fold
 * would ignore first, so the person gets a clear error instead of an entry that silently does not
 * count.
 */
import { WalletError } from '../../../shared/errors';
import type { EntryId, GroupState, MemberState } from '../../../shared/ledger/types';
import type { CurrencyCode, MemberId, Minor } from '../../../shared/money/types';
import type { GroupSession } from './groupSession';

type Writer = Pick<GroupSession, 'append' | 'getSnapshot'>;

/** This device's member, who must still be in the group. */
function requireActive(session: Writer, me: MemberId): { state: GroupState; self: MemberState } {
  const snap = session.getSnapshot();
  const state = snap.state;
  const self = state?.members.find((m) => m.id === me);
  if (!snap.joined || !state || !self) {
    throw new WalletError('not_member', 'You can write to this group once its history has arrived.');
  }
  if (self.status !== undefined)
    throw new WalletError('departed', 'You are no longer a member of this group.');
  return { state, self };
}

function requireActiveOther(state: GroupState, me: MemberId, member: MemberId): void {
  if (member === me) throw new WalletError('invalid_member', 'Choose another member.');
  const m = state.members.find((x) => x.id === member);
  if (!m || m.status !== undefined) {
    throw new WalletError('invalid_member', 'That person is no longer a member of this group.');
  }
}

export async function leaveGroup(session: Writer, me: MemberId): Promise<EntryId> {
  requireActive(session, me);
  return session.append({ type: 'member.left' });
}

/** The creator removes at once; anyone else approves (a majority removes). */
export async function removeOrApprove(session: Writer, me: MemberId, member: MemberId): Promise<EntryId> {
  const { state } = requireActive(session, me);
  requireActiveOther(state, me, member);
  if (state.createdBy === me) return session.append({ type: 'member.removed', member });
  const open = state.removals?.find((r) => r.member === member && r.status === 'open');
  if (open?.approvals.includes(me))
    throw new WalletError('already_approved', 'You already approved this removal.');
  return session.append({ type: 'member.removal_approved', member });
}

/** Offers `amount` of my balance in `currency` (positive: a credit, negative: a debt) to `to`. */
export async function handOverBalance(
  session: Writer,
  me: MemberId,
  to: MemberId,
  currency: CurrencyCode,
  amount: Minor,
): Promise<EntryId> {
  const { state } = requireActive(session, me);
  requireActiveOther(state, me, to);
  if (!Number.isSafeInteger(amount) || amount === 0) {
    throw new WalletError('invalid_amount', 'There is no balance to hand over.');
  }
  return session.append({ type: 'balance.handed_over', to, currency, amount });
}

export async function answerHandover(
  session: Writer,
  me: MemberId,
  handover: EntryId,
  answer: 'accept' | 'cancel',
): Promise<EntryId> {
  requireActive(session, me);
  return session.append(
    answer === 'accept'
      ? { type: 'balance.handover_accepted', handover }
      : { type: 'balance.handover_cancelled', handover },
  );
}
