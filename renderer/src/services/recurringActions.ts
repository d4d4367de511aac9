/**
 * Writing recurring expenses: a rule, and skips or a stop. Occurrences themselves are never
 * written; every device derives them from the rule (docs/protocol.md §12).
 */
import { WalletError } from '../../../shared/errors';
import { addDays } from '../../../shared/ledger/calendar-date';
import type { ExpenseInput, Schedule } from '../../../shared/ledger/events';
import type { EntryId } from '../../../shared/ledger/types';
import type { GroupSession } from './groupSession';

type Writer = Pick<GroupSession, 'append' | 'getSnapshot'>;

function requireJoined(session: Writer): void {
  if (!session.getSnapshot().joined) {
    throw new WalletError('not_member', 'You can write to this group once its history has arrived.');
  }
}

export async function createRecurring(
  session: Writer,
  schedule: Schedule,
  template: Omit<ExpenseInput, 'date'>,
): Promise<EntryId> {
  requireJoined(session);
  return session.append({ type: 'recurring.created', schedule, template });
}

/** Skips the occurrence of `rule` on `date` (its date in the rule). */
export async function skipOccurrence(session: Writer, rule: EntryId, date: string): Promise<EntryId> {
  requireJoined(session);
  return session.append({ type: 'occurrence.skipped', rule, date });
}

/** Stops `rule` after `today`: today's occurrence, if any, stays. */
export async function stopRecurringAfter(session: Writer, rule: EntryId, today: string): Promise<EntryId> {
  requireJoined(session);
  const effectiveFrom = addDays(today, 1);
  if (effectiveFrom === undefined) throw new WalletError('bad_date', `No day follows ${today}.`);
  return session.append({ type: 'recurring.stopped', rule, effectiveFrom });
}
