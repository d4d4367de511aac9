/**
 * fold(entries) -> GroupState: the deterministic replay of a group's verified entries.
 *
 * Entries are applied one by one in the total order (lamport, author, seq, then id), so the same
 * set of entries gives the same state whatever order they arrived in. An entry that makes no sense
 * against the state at its point in that order is not applied and is listed in `ignored` with a
 * code; nothing is thrown.
 *
 * Decisions:
 * - Only the first `group.created` in total order creates the group; entries before it (other than
 *   a `group.created` or a `device.linked`, fold-devices.ts) are ignored as `no_group`, later ones
 *   as `duplicate_group_created`.
 * - An author must be a member at their entry's point in the order; the exception is their own
 *   `member.joined`. Joining twice is ignored (`already_member`).
 * - Entries of another group are ignored (`wrong_group`); the same entry id given twice counts once.
 * - Currencies must be known ISO 4217 codes (`unknown_currency`): amounts are meaningless without
 *   their minor-unit exponent.
 */
import { isCurrency } from '../money/currencies';
import type { CalendarDate } from './calendar-date';
import {
  addMember,
  type FoldContext,
  objectList,
  type Mutable,
  newFoldContext,
  type Problem,
  problem,
} from './fold-context';
import { applyExpenseChange, applyExpenseCreated } from './fold-expenses';
import {
  applyEnvelopeCreated,
  applyEnvelopeOpened,
  applyEnvelopeReclaimed,
  redEnvelopeStates,
} from './fold-envelopes';
import { applyDeviceLinked, applyDeviceUnlinked, asPerson, deviceStates } from './fold-devices';
import { handOverLiveExpenses } from './fold-handover';
import { applyKeyRotated, applyKeyShared, keyEpochsState } from './fold-keys';
import {
  applyHandedOver,
  applyHandoverSettled,
  applyMemberLeft,
  applyMemberRemoved,
  applyRemovalApproved,
  departedAuthor,
  handoverStates,
  removalStates,
} from './fold-membership';
import {
  applyOccurrenceChange,
  applyRecurringCreated,
  applyRecurringStopped,
  applyRecurringUpdated,
  deriveRecurring,
} from './fold-recurring';
import { inTotalOrder } from './fold-order';
import type { ExpenseFacts } from './fold-shares';
import {
  applyPaymentDeleted,
  applyPaymentRecorded,
  applyRequestCancelled,
  applyRequestCreated,
} from './fold-payments';
import type { ChatMessageState, GroupId, GroupState, MemberState, VerifiedEntry } from './types';

function apply(ctx: FoldContext, signed: VerifiedEntry): Problem | undefined {
  const ev = signed.event;
  if (signed.header.groupId !== ctx.groupId) {
    return problem('wrong_group', 'The entry belongs to another group.');
  }
  // Also before the group exists: a linked device's first entry, before it creates the group.
  if (ev.type === 'device.linked') return applyDeviceLinked(ctx, signed, ev);
  // From here on a linked device's entry is its person's (fold-devices.ts).
  const entry = asPerson(ctx, signed);
  if ('code' in entry) return entry;
  const h = entry.header;

  if (ev.type === 'group.created') {
    if (ctx.created) return problem('duplicate_group_created', 'The group was already created.');
    if (!isCurrency(ev.currency)) return unknownCurrency(ev.currency);
    ctx.created = true;
    ctx.name = ev.name;
    ctx.currency = ev.currency;
    ctx.createdBy = h.author;
    addMember(
      ctx,
      withX25519({ id: h.author, name: ev.memberName, joinedBy: entry.id, joinedAt: h.time }, ev),
    );
    return undefined;
  }
  if (!ctx.created) return problem('no_group', 'The group does not exist yet at this point of the ledger.');

  if (ev.type === 'member.joined') {
    const known = ctx.members.get(h.author);
    if (known?.status)
      return problem('rejoin_not_allowed', 'A member who left or was removed cannot join again.');
    // The person's own key starting its chain (seq 1) after the person joined through a linked
    // device (§16): the join only opens that chain.
    if (known && signed.header.seq === 1 && signed.header.author === known.id) return undefined;
    if (known) return problem('already_member', 'The author is already a member.');
    addMember(ctx, withX25519({ id: h.author, name: ev.name, joinedBy: entry.id, joinedAt: h.time }, ev));
    return undefined;
  }
  const member = ctx.members.get(h.author);
  if (!member) return problem('not_member', 'The author is not a member of the group at this point.');
  const departed = departedAuthor(member);
  if (departed) return departed;

  switch (ev.type) {
    case 'member.renamed':
      member.name = ev.name;
      return undefined;
    case 'group.renamed':
      ctx.name = ev.name;
      return undefined;
    case 'group.currency':
      if (!isCurrency(ev.currency)) return unknownCurrency(ev.currency);
      ctx.currency = ev.currency;
      return undefined;
    case 'expense.created':
      return applyExpenseCreated(ctx, entry, ev);
    case 'expense.updated':
      return applyExpenseChange(ctx, entry, ev.expense, ev.base, ev.data);
    case 'expense.deleted':
      return applyExpenseChange(ctx, entry, ev.expense, ev.base, null);
    case 'payment.recorded':
      return applyPaymentRecorded(ctx, entry, ev);
    case 'payment.deleted':
      return applyPaymentDeleted(ctx, ev);
    case 'request.created':
      return applyRequestCreated(ctx, entry, ev);
    case 'request.cancelled':
      return applyRequestCancelled(ctx, ev);
    case 'chat.message': {
      const msg: Mutable<ChatMessageState> = {
        id: entry.id,
        author: h.author,
        text: ev.text,
        lamport: h.lamport,
        time: h.time,
      };
      if (ev.ref !== undefined) msg.ref = ev.ref;
      ctx.chat.push(msg);
      return undefined;
    }
    case 'rate.recorded':
      if (!isCurrency(ev.from)) return unknownCurrency(ev.from);
      if (!isCurrency(ev.to)) return unknownCurrency(ev.to);
      ctx.rates.push({
        id: entry.id,
        from: ev.from,
        to: ev.to,
        rate: ev.rate,
        date: ev.date,
        lamport: h.lamport,
      });
      return undefined;
    case 'recurring.created':
      return applyRecurringCreated(ctx, entry, ev);
    case 'recurring.updated':
      return applyRecurringUpdated(ctx, entry, ev);
    case 'recurring.stopped':
      return applyRecurringStopped(ctx, entry, ev);
    case 'occurrence.edited':
      return applyOccurrenceChange(ctx, entry, ev.rule, ev.date, ev.data);
    case 'occurrence.skipped':
      return applyOccurrenceChange(ctx, entry, ev.rule, ev.date, null);
    case 'envelope.created':
      return applyEnvelopeCreated(ctx, entry, ev);
    case 'envelope.opened':
      return applyEnvelopeOpened(ctx, entry, ev);
    case 'envelope.reclaimed':
      return applyEnvelopeReclaimed(ctx, entry, ev);
    case 'member.left':
      return applyMemberLeft(ctx, entry);
    case 'member.removed':
      return applyMemberRemoved(ctx, entry, ev);
    case 'member.removal_approved':
      return applyRemovalApproved(ctx, entry, ev);
    case 'balance.handed_over':
      return applyHandedOver(ctx, entry, ev);
    case 'balance.handover_accepted':
      return applyHandoverSettled(ctx, entry, ev.handover, 'accepted');
    case 'balance.handover_cancelled':
      return applyHandoverSettled(ctx, entry, ev.handover, 'cancelled');
    case 'key.rotated':
      return applyKeyRotated(ctx, entry, ev);
    case 'key.shared':
      return applyKeyShared(ctx, entry, ev);
    case 'device.unlinked':
      return applyDeviceUnlinked(ctx, entry, ev);
    case 'link.request':
    case 'link.declined':
    case 'link.grant':
      return problem('link_message', 'Linking messages belong in a link room, never in a group.');
    default: {
      const type = (ev as { type?: unknown }).type;
      return problem('unknown_event', `Unknown event type “${String(type)}”.`);
    }
  }
}

/** The member with the X25519 key of their join, when it has one. */
function withX25519(member: Mutable<MemberState>, ev: { x25519?: string | undefined }): Mutable<MemberState> {
  if (ev.x25519 !== undefined) member.x25519 = ev.x25519;
  return member;
}

function unknownCurrency(code: string): Problem {
  return problem('unknown_currency', `“${code}” is not a currency code we know.`);
}

const byMemberId = (a: MemberState, b: MemberState): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Folds a group's verified entries (any order, duplicates allowed) into its state.
 * `asOf` (YYYY-MM-DD, the caller's "today") is the last date recurring occurrences are derived up
 * to; without it none are (the rules are still listed). The fold never reads a clock itself.
 */
export function fold(groupId: GroupId, entries: readonly VerifiedEntry[], asOf?: CalendarDate): GroupState {
  const ctx = newFoldContext(groupId);
  const progress = newFoldProgress();
  // The loops are functions of their own that end with them (why: see fold-order.ts).
  applyAll(ctx, inTotalOrder(entries), 0, progress);
  return stateOf(ctx, progress, false, asOf);
}

/** How far a fold got: distinct entries applied, the highest lamport, the id of the last one. */
export interface FoldProgress {
  entryCount: number;
  maxLamport: number;
  lastId: string | undefined;
}

export function newFoldProgress(): FoldProgress {
  return { entryCount: 0, maxLamport: 0, lastId: undefined };
}

/**
 * Applies `ordered[start…]` (total order) once each, moving `progress` on. `beforeApply`, if
 * given, sees each entry first (the incremental fold detaches what the entry will change).
 */
export function applyAll(
  ctx: FoldContext,
  ordered: readonly VerifiedEntry[],
  start: number,
  progress: FoldProgress,
  beforeApply?: (ctx: FoldContext, entry: VerifiedEntry) => void,
): void {
  let { entryCount, maxLamport, lastId } = progress;
  for (let i = start; i < ordered.length; i++) {
    const entry = ordered[i]!;
    // Ids hash the whole entry, so duplicates have equal sort keys and sit next to each other.
    if (entry.id === lastId) continue;
    lastId = entry.id;
    entryCount++;
    if (entry.header.lamport > maxLamport) maxLamport = entry.header.lamport;
    if (beforeApply) beforeApply(ctx, entry);
    const bad = apply(ctx, entry);
    if (bad)
      ctx.ignored.push({
        entryId: entry.id,
        author: entry.header.author,
        code: bad.code,
        message: bad.message,
      });
  }
  progress.entryCount = entryCount;
  progress.maxLamport = maxLamport;
  progress.lastId = lastId;
}

/**
 * The state of `ctx`. With `copyLists`, the state gets its own lists, so the context can go on
 * (the incremental fold) without the state changing under its readers.
 */
export function stateOf(
  ctx: FoldContext,
  progress: FoldProgress,
  copyLists: boolean,
  asOf: CalendarDate | undefined,
): GroupState {
  // Derived afresh for each state: rules are few, and the date may have moved on.
  const recurring = deriveRecurring(ctx, asOf);
  const state: GroupState = {
    groupId: ctx.groupId,
    name: ctx.name,
    currency: ctx.currency,
    createdBy: ctx.createdBy,
    members: [...ctx.members.values()].sort(byMemberId),
    expenses: copyLists ? ctx.expenses.slice() : ctx.expenses,
    payments: [...ctx.payments.values()],
    requests: [...ctx.requests.values()],
    chat: copyLists ? ctx.chat.slice() : ctx.chat,
    rates: copyLists ? ctx.rates.slice() : ctx.rates,
    conflicts: copyLists ? ctx.conflicts.slice() : ctx.conflicts,
    ignored: copyLists ? ctx.ignored.slice() : ctx.ignored,
    recurring: recurring.rules,
    occurrences: recurring.occurrences,
    handovers: handoverStates(ctx),
    removals: removalStates(ctx),
    keys: keyEpochsState(ctx),
    redEnvelopes: redEnvelopeStates(ctx),
    devices: deviceStates(ctx),
    entryCount: progress.entryCount,
    maxLamport: progress.maxLamport,
  };
  handOverLiveExpenses(state, liveFacts(ctx), recurring.facts);
  return state;
}

/** The facts of the live expenses, in state order (see fold-handover). */
function liveFacts(ctx: FoldContext): ExpenseFacts[] {
  const live = objectList<ExpenseFacts>();
  for (let i = 0; i < ctx.slots.length; i++) {
    const slot = ctx.slots[i]!;
    if (!slot.record.deleted) live.push(slot.facts);
  }
  return live;
}
