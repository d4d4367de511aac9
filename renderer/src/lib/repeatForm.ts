/**
 * The "Repeat" part of the expense editor: its form state, and the schedule it stands for
 * (shared/ledger/recurrence.ts checks the meaning, this only reads the fields).
 */
import { dayNumber, isCalendarDate } from '../../../shared/ledger/calendar-date';
import {
  type ExpenseInput,
  MAX_OCCURRENCES_PER_SCHEDULE,
  type Schedule,
} from '../../../shared/ledger/events';
import { checkSchedule } from '../../../shared/ledger/recurrence';

export type RepeatFrequency = 'none' | 'weekly' | 'monthly' | 'yearly';

export interface RepeatForm {
  readonly freq: RepeatFrequency;
  /** Every how many weeks, months or years (text as typed). */
  readonly interval: string;
  /** Monthly: on the day of the month of the expense's date, or on the month's last day. */
  readonly monthDay: 'date' | 'last';
  /** Monthly 'date': the day of a rule being changed (its occurrence may show a shorter month's last day). */
  readonly day?: number;
  readonly end: 'never' | 'until' | 'count';
  /** YYYY-MM-DD, the last date an occurrence may fall on. */
  readonly until: string;
  readonly count: string;
}

export const NO_REPEAT: RepeatForm = {
  freq: 'none',
  interval: '1',
  monthDay: 'date',
  end: 'never',
  until: '',
  count: '12',
};

export type RepeatErrorCode = 'interval' | 'until' | 'untilBeforeStart' | 'count';
export type RepeatErrors = Partial<Record<'interval' | 'until' | 'count', RepeatErrorCode>>;

export type RepeatResult =
  | { readonly ok: true; readonly schedule: Schedule | null }
  | { readonly ok: false; readonly errors: RepeatErrors };

function wholeNumber(text: string, max: number): number | undefined {
  const t = text.trim();
  if (!/^\d{1,6}$/.test(t)) return undefined;
  const n = Number(t);
  return n >= 1 && n <= max ? n : undefined;
}

/**
 * The schedule of a repeat form for an expense dated `start` (the first occurrence on or after
 * it); null when it does not repeat.
 */
export function readRepeatForm(form: RepeatForm, start: string): RepeatResult {
  if (form.freq === 'none') return { ok: true, schedule: null };
  const errors: RepeatErrors = {};
  const interval = wholeNumber(form.interval, 99);
  if (interval === undefined) errors.interval = 'interval';
  let end: { until: string } | { count: number } | Record<string, never> = {};
  if (form.end === 'until') {
    if (!isCalendarDate(form.until)) errors.until = 'until';
    else if (isCalendarDate(start) && dayNumber(form.until) < dayNumber(start))
      errors.until = 'untilBeforeStart';
    else end = { until: form.until };
  } else if (form.end === 'count') {
    const count = wholeNumber(form.count, MAX_OCCURRENCES_PER_SCHEDULE);
    if (count === undefined) errors.count = 'count';
    else end = { count };
  }
  if (interval === undefined || Object.keys(errors).length > 0) return { ok: false, errors };
  let schedule: Schedule;
  if (form.freq === 'monthly') {
    const day = form.monthDay === 'last' ? ('last' as const) : (form.day ?? Number(start.slice(8, 10)));
    schedule = { freq: 'monthly', start, interval, day, ...end };
  } else {
    schedule = { freq: form.freq, start, interval, ...end };
  }
  // The expense's own date is checked by the expense form; anything left is a bug worth showing.
  const checked = checkSchedule(schedule);
  if (!checked.ok) return { ok: false, errors: { until: 'until' } };
  return { ok: true, schedule };
}

/** The template of a recurring expense: the expense without its date (each occurrence has its own). */
export function templateOf(data: ExpenseInput): Omit<ExpenseInput, 'date'> {
  const { date: _date, ...template } = data;
  return template;
}

/** The form showing an existing schedule (to change it from one of its occurrences on). */
export function repeatFormOf(schedule: Schedule | undefined): RepeatForm {
  if (!schedule) return NO_REPEAT;
  const end =
    schedule.until !== undefined
      ? { end: 'until' as const, until: schedule.until }
      : schedule.count !== undefined
        ? { end: 'count' as const, count: String(schedule.count) }
        : { end: 'never' as const };
  const form: RepeatForm = { ...NO_REPEAT, freq: schedule.freq, interval: String(schedule.interval), ...end };
  if (schedule.freq !== 'monthly') return form;
  return schedule.day === 'last'
    ? { ...form, monthDay: 'last' }
    : { ...form, monthDay: 'date', day: schedule.day };
}
