/**
 * Reminders of recurring expenses that come up soon: for each running rule, its next occurrence
 * (the fold's `next`, already past skipped dates) when it falls within the next `withinDays` days,
 * with the amount of the rule version in force on that date. Pure: "today" is given.
 */
import { addDays } from '../../../shared/ledger/calendar-date';
import type { RecurringRuleState } from '../../../shared/ledger/types';
import type { CurrencyCode, Minor } from '../../../shared/money/types';

export interface Upcoming {
  readonly rule: string;
  readonly date: string;
  readonly description: string;
  readonly amount: Minor;
  readonly currency: CurrencyCode;
  /** Whole days from today (1 = tomorrow). */
  readonly inDays: number;
}

/** Choices of the setting (0: no reminders). */
export const REMINDER_DAYS_CHOICES = [0, 1, 3, 7] as const;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function upcomingOccurrences(
  rules: readonly RecurringRuleState[] | undefined,
  today: string,
  withinDays: number,
): Upcoming[] {
  if (!rules || withinDays <= 0) return [];
  const last = addDays(today, withinDays);
  if (last === undefined) return [];
  const out: Upcoming[] = [];
  for (const rule of rules) {
    const next = rule.next;
    if (rule.stopped || next === undefined || next <= today || next > last) continue;
    // The version in force on that date: the last one that starts on or before it.
    const version = [...rule.versions].reverse().find((v) => v.effectiveFrom <= next);
    if (!version?.schedule || !version.template) continue;
    out.push({
      rule: rule.id,
      date: next,
      description: version.template.description,
      amount: version.template.amount,
      currency: version.template.currency,
      inDays: daysBetween(today, next),
    });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.rule < b.rule ? -1 : 1));
}
