/**
 * Writing recurring expenses: a rule, and skips or a stop. Occurrences themselves are never
 * written; every device derives them from the rule (docs/protocol.md §12).
 */
import { WalletError } from '../../../shared/errors';
import { addDays } from '../../../shared/ledger/calendar-date';
import type { ExpenseInput, Schedule } from '../../../shared/ledger/events';
import type { EntryId, OccurrenceState } from '../../../shared/ledger/types';
import type { OccurrenceScope } from '../components/OccurrenceScope';
import { templateOf } from '../lib/repeatForm';
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

/** Replaces the data of the occurrence of `rule` on `date` (its date in the rule). */
export async function editOccurrence(
  session: Writer,
  rule: EntryId,
  date: string,
  data: ExpenseInput,
): Promise<EntryId> {
  requireJoined(session);
  return session.append({ type: 'occurrence.edited', rule, date, data });
}

/**
 * From `date` on, `rule` keeps `schedule` and repeats `template`: occurrences before `date` stay
 * as they were (edited occurrences keep their edit).
 */
export async function updateRecurringFrom(
  session: Writer,
  rule: EntryId,
  date: string,
  schedule: Schedule,
  template: Omit<ExpenseInput, 'date'>,
): Promise<EntryId> {
  requireJoined(session);
  return session.append({ type: 'recurring.updated', rule, effectiveFrom: date, schedule, template });
}

/**
 * Saves the editor's data for an occurrence: as an edit of that one, or, from its date on, as the
 * rule's template with `schedule` (null: the rule stops there).
 */
export async function saveOccurrence(
  session: Writer,
  occurrence: OccurrenceState,
  scope: OccurrenceScope,
  data: ExpenseInput,
  schedule: Schedule | null,
): Promise<EntryId> {
  if (scope === 'one') return editOccurrence(session, occurrence.rule, occurrence.date, data);
  if (schedule === null) {
    requireJoined(session);
    return session.append({
      type: 'recurring.stopped',
      rule: occurrence.rule,
      effectiveFrom: occurrence.date,
    });
  }
  return updateRecurringFrom(session, occurrence.rule, occurrence.date, schedule, templateOf(data));
}

/** Stops `rule` after `today`: today's occurrence, if any, stays. */
export async function stopRecurringAfter(session: Writer, rule: EntryId, today: string): Promise<EntryId> {
  requireJoined(session);
  const effectiveFrom = addDays(today, 1);
  if (effectiveFrom === undefined) throw new WalletError('bad_date', `No day follows ${today}.`);
  return session.append({ type: 'recurring.stopped', rule, effectiveFrom });
}
