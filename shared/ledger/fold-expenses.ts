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
import type { MemberId } from '../money/types';
import type { EventOf, ExpenseData } from './events';
import {
  type ConflictRecord,
  type ExpenseRecord,
  type FoldContext,
  type Problem,
  problem,
  shortId,
} from './fold-context';
import { expenseShares, namedMembers } from './fold-shares';
import type { ConflictState, EntryId, ExpenseVersion, VerifiedEntry } from './types';

/** The first member named in an expense's payers or split who is not a member, if any. */
function strangerIn(ctx: FoldContext, data: ExpenseData): MemberId | undefined {
  const named = namedMembers(data);
  for (let i = 0; i < named.length; i++) if (!ctx.members.has(named[i]!)) return named[i];
  return undefined;
}

/** Checks expense data against the state at this point of the ledger. */
export function checkExpenseData(ctx: FoldContext, data: ExpenseData): Problem | undefined {
  if (!isCurrency(data.currency)) {
    return problem('unknown_currency', `The expense uses an unknown currency “${data.currency}”.`);
  }
  const stranger = strangerIn(ctx, data);
  if (stranger !== undefined) {
    return problem(
      'unknown_member',
      `The expense names ${shortId(stranger)}…, who is not a member of the group.`,
    );
  }
  const shares = expenseShares(data);
  if (!shares.ok) {
    return problem(
      'invalid_split',
      `The expense does not add up (${shares.error.code}): ${shares.error.message}`,
    );
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
  const bad = checkExpenseData(ctx, ev.expense);
  if (bad) return bad;
  const record: ExpenseRecord = {
    id: entry.id,
    createdBy: entry.header.author,
    data: ev.expense,
    deleted: false,
    head: entry.id,
    versions: [versionOf(entry, null, ev.expense)],
  };
  ctx.expenses.push(record);
  ctx.versions.set(entry.id, record);
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
  const record = ctx.versions.get(expenseId);
  if (!record || record.id !== expenseId) {
    return problem('unknown_expense', `There is no expense ${shortId(expenseId)}… to change.`);
  }
  if (ctx.versions.get(base) !== record) {
    return problem(
      'unknown_base',
      `The change is based on ${shortId(base)}…, not a version of this expense.`,
    );
  }
  if (data) {
    const bad = checkExpenseData(ctx, data);
    if (bad) return bad;
  }
  const concurrent = base !== record.head;
  if (!concurrent && data === null && record.deleted) {
    return problem('already_deleted', 'The expense was already deleted.');
  }

  const previousHead = record.head;
  ctx.versions.set(entry.id, record);
  if (data === null) ctx.deletes.add(entry.id);
  record.versions.push(versionOf(entry, base, data));
  record.head = entry.id;
  if (data) {
    record.data = data;
    record.deleted = false;
  } else {
    // `data` keeps the last data before deletion so the UI can still show what was deleted.
    record.deleted = true;
  }

  if (concurrent) recordConflict(ctx, record, base, previousHead, entry.id);
  else resolveConflicts(ctx, record.id);
  return undefined;
}

/** An operation made on the current head saw the merged result: every open conflict is settled. */
function resolveConflicts(ctx: FoldContext, expenseId: EntryId): void {
  const open = ctx.openConflicts.get(expenseId);
  if (!open) return;
  for (const c of open) c.resolved = true;
  ctx.openConflicts.delete(expenseId);
}

function conflictKind(ctx: FoldContext, versions: readonly EntryId[]): ConflictState['kind'] {
  let updates = 0;
  let deletes = 0;
  for (const v of versions) {
    if (ctx.deletes.has(v)) deletes++;
    else updates++;
  }
  if (deletes === 0) return 'update-update';
  return updates === 0 ? 'delete-delete' : 'update-delete';
}

/**
 * Lists a concurrent operation: a third operation on the same base joins the open conflict
 * of that base instead of opening another one.
 */
function recordConflict(
  ctx: FoldContext,
  record: ExpenseRecord,
  base: EntryId,
  previousHead: EntryId,
  winner: EntryId,
): void {
  let open = ctx.openConflicts.get(record.id);
  const existing = open?.find((c) => c.base === base);
  if (existing) {
    // Another conflict may have moved the head meanwhile; keep the displaced head visible.
    if (existing.versions[existing.versions.length - 1] !== previousHead)
      existing.versions.push(previousHead);
    existing.versions.push(winner);
    existing.winner = winner;
    existing.kind = conflictKind(ctx, existing.versions);
    return;
  }
  const versions = [previousHead, winner];
  const conflict: ConflictRecord = {
    expense: record.id,
    kind: conflictKind(ctx, versions),
    base,
    versions,
    winner,
    resolved: false,
  };
  ctx.conflicts.push(conflict);
  if (!open) {
    open = [];
    ctx.openConflicts.set(record.id, open);
  }
  open.push(conflict);
}
