/**
 * Expenses in the fold: creation, edits, deletion, and detection of concurrent operations.
 *
 * Every edit or delete names the version it was made on (`base`). Operations are applied in
 * total order and the later one wins (last writer wins by lamport, then author). An operation whose
 * base is not the expense's head at that moment was made without seeing the head: both are kept
 * as versions and the pair is listed as a conflict for the users to review.
 *
 * Deleted expenses (decision):
 * - an update whose base is the delete itself (the author saw the deletion) restores the expense;
 * - an update concurrent with a delete is an `update-delete` conflict; the later one in total
 *   order wins, so the expense ends up deleted or restored with the update's data;
 * - a delete whose base is the delete (deleting what is already deleted) is ignored.
 *
 * A conflict is resolved as soon as any operation on that expense is made on the current head:
 * its author saw the merged result (e.g. "keep this version" writes an update on top of it).
 */
import { isCurrency } from '../money/currencies';
import type { EventOf, ExpenseData } from './events';
import {
  type ConflictRecord,
  type ExpenseRecord,
  type ExpenseSlot,
  type FoldContext,
  type Problem,
  problem,
  shortId,
} from './fold-context';
import { type ExpenseFacts, expenseFacts } from './fold-shares';
import type { ConflictState, EntryId, ExpenseVersion, VerifiedEntry } from './types';

/**
 * Checks expense data against the state at this point of the ledger. `facts` may be passed when
 * the caller already holds them (they are the facts of `data`). Data may name departed members
 * only if `kept` (the facts of the version it replaces) already named them: an edit of history.
 */
export function checkExpenseData(
  ctx: FoldContext,
  data: ExpenseData,
  facts: ExpenseFacts = expenseFacts(data),
  kept?: ExpenseFacts | null,
): Problem | undefined {
  if (!isCurrency(data.currency)) {
    return problem('unknown_currency', `The expense uses an unknown currency “${data.currency}”.`);
  }
  // The number is that of the set of active members, so a cached pass means none is departed.
  if (facts.namedAreMembersOf !== ctx.memberSet) {
    let allActive = true;
    for (const id of facts.named) {
      const m = ctx.members.get(id);
      if (!m) {
        return problem(
          'unknown_member',
          `The expense names ${shortId(id)}…, who is not a member of the group.`,
        );
      }
      if (m.status === undefined) continue;
      allActive = false;
      if (!kept?.named.includes(id)) {
        return problem('departed_member', `The expense names ${shortId(id)}…, who has left the group.`);
      }
    }
    if (allActive) facts.namedAreMembersOf = ctx.memberSet;
  }
  // `facts.ok` first: reading `facts.shares` of valid data would build records nobody needs here.
  if (!facts.ok) {
    const shares = facts.shares;
    if (!shares.ok) {
      return problem(
        'invalid_split',
        `The expense does not add up (${shares.error.code}): ${shares.error.message}`,
      );
    }
  }
  return undefined;
}

function versionOf(entry: VerifiedEntry, base: EntryId | null, data: ExpenseData | null): ExpenseVersion {
  const h = entry.header;
  return { entryId: entry.id, author: h.author, lamport: h.lamport, time: h.time, base, data };
}

export function applyExpenseCreated(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'expense.created'>,
): Problem | undefined {
  const facts = expenseFacts(ev.expense);
  const bad = checkExpenseData(ctx, ev.expense, facts);
  if (bad) return bad;
  const record: ExpenseRecord = {
    id: entry.id,
    createdBy: entry.header.author,
    data: ev.expense,
    deleted: false,
    head: entry.id,
    versions: [versionOf(entry, null, ev.expense)],
  };
  const slot: ExpenseSlot = {
    index: ctx.expenses.length,
    record,
    facts,
    open: undefined,
    versionIds: undefined,
  };
  ctx.expenses.push(record);
  ctx.slots.push(slot);
  ctx.expensesById.set(entry.id, slot);
  return undefined;
}

/** Applies `expense.updated` (data set) or `expense.deleted` (data null). */
export function applyExpenseChange(
  ctx: FoldContext,
  entry: VerifiedEntry,
  expenseId: EntryId,
  base: EntryId,
  data: ExpenseData | null,
): Problem | undefined {
  const slot = ctx.expensesById.get(expenseId);
  if (!slot) {
    return problem('unknown_expense', `There is no expense ${shortId(expenseId)}… to change.`);
  }
  const record = slot.record;
  // Most changes build on the head or on the creation; only older bases need a search.
  if (base !== record.head && base !== expenseId && !isVersionOf(slot, base)) {
    return problem(
      'unknown_base',
      `The change is based on ${shortId(base)}…, not a version of this expense.`,
    );
  }
  const facts = data ? expenseFacts(data) : undefined;
  if (data) {
    const bad = checkExpenseData(ctx, data, facts, slot.facts);
    if (bad) return bad;
  }
  const concurrent = base !== record.head;
  if (!concurrent && data === null && record.deleted) {
    return problem('already_deleted', 'The expense was already deleted.');
  }

  const previousHead = record.head;
  const headWasDelete = record.deleted;
  addVersion(slot, versionOf(entry, base, data));
  record.head = entry.id;
  if (data) {
    record.data = data;
    record.deleted = false;
    slot.facts = facts!;
  } else {
    // `data` keeps the last data before deletion so the UI can still show what was deleted.
    record.deleted = true;
  }

  if (concurrent) recordConflict(ctx, slot, base, previousHead, headWasDelete, entry.id, data === null);
  else resolveConflicts(slot);
  return undefined;
}

/**
 * Up to this many versions, finding one scans the list (most expenses have one to three, and a
 * Set each would cost more than it saves); past it the slot keeps a Set, so an expense edited
 * thousands of times does not make each edit scan them all.
 */
const SCAN_VERSIONS_MAX = 8;

function isVersionOf(slot: ExpenseSlot, id: EntryId): boolean {
  if (slot.versionIds) return slot.versionIds.has(id);
  const versions = slot.record.versions;
  for (let i = 0; i < versions.length; i++) if (versions[i]!.entryId === id) return true;
  return false;
}

function addVersion(slot: ExpenseSlot, version: ExpenseVersion): void {
  const versions = slot.record.versions;
  versions.push(version);
  if (slot.versionIds) slot.versionIds.add(version.entryId);
  else if (versions.length > SCAN_VERSIONS_MAX) slot.versionIds = new Set(versions.map((v) => v.entryId));
}

/** An operation made on the current head saw the merged result: every open conflict is settled. */
function resolveConflicts(slot: ExpenseSlot): void {
  if (!slot.open) return;
  for (const c of slot.open) c.resolved = true;
  slot.open = undefined;
}

/** The kind of a conflict whose versions include updates and/or deletes. */
function conflictKind(updates: boolean, deletes: boolean): ConflictState['kind'] {
  if (!deletes) return 'update-update';
  return updates ? 'update-delete' : 'delete-delete';
}

/**
 * Lists a concurrent operation: a third operation on the same base joins the open conflict
 * of that base instead of opening another one. Whether each version is a delete is known when it
 * joins (the head is a delete exactly when the expense is deleted), so the kind is kept up to date
 * from the previous kind without looking the versions up again.
 */
function recordConflict(
  ctx: FoldContext,
  slot: ExpenseSlot,
  base: EntryId,
  previousHead: EntryId,
  headWasDelete: boolean,
  winner: EntryId,
  winnerIsDelete: boolean,
): void {
  const existing = slot.open?.find((c) => c.base === base);
  if (existing) {
    let updates = existing.kind !== 'delete-delete';
    let deletes = existing.kind !== 'update-update';
    // Another conflict may have moved the head meanwhile; keep the displaced head visible.
    if (existing.versions[existing.versions.length - 1] !== previousHead) {
      existing.versions.push(previousHead);
      if (headWasDelete) deletes = true;
      else updates = true;
    }
    existing.versions.push(winner);
    if (winnerIsDelete) deletes = true;
    else updates = true;
    existing.winner = winner;
    existing.kind = conflictKind(updates, deletes);
    return;
  }
  const conflict: ConflictRecord = {
    expense: slot.record.id,
    kind: conflictKind(!headWasDelete || !winnerIsDelete, headWasDelete || winnerIsDelete),
    base,
    versions: [previousHead, winner],
    winner,
    resolved: false,
  };
  ctx.conflicts.push(conflict);
  if (slot.open) slot.open.push(conflict);
  else slot.open = [conflict];
}
