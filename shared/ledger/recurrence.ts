/**
 * Expansion of a recurring schedule into calendar dates: pure and exact, the same on every device.
 *
 * A schedule's sequence is its candidates k = 0, 1, 2… in order:
 * - weekly:  start + 7·interval·k days;
 * - monthly: the month `interval·k` months after start's month, on `day` (a day past that month's
 *            end, or 'last', gives its last day: day 31 is 30 April, 28 or 29 February);
 * - yearly:  start's month and day, `interval·k` years later (29 February gives the 28th in
 *            years without one).
 * Candidates before `start` are not occurrences (a monthly rule started on the 20th for day 5
 * begins next month). The sequence ends after `count` occurrences, after `until`, after
 * MAX_OCCURRENCES_PER_SCHEDULE occurrences, or after year 9999, whichever comes first.
 */
import { err, ok, type Result } from '../errors';
import {
  type CalendarDate,
  daysInMonth,
  dayNumberOf,
  formatCalendarDate,
  civilOfDayNumber,
  parseCalendarDate,
  type CivilDate,
} from './calendar-date';
import { MAX_OCCURRENCES_PER_SCHEDULE, type Schedule } from './events';

export type ScheduleErrorCode = 'rule_bad_date' | 'rule_until_before_start' | 'rule_until_and_count';

/** The meaning checks the event schema leaves out; the fold ignores a rule that fails them. */
export function checkSchedule(schedule: Schedule): Result<Schedule, ScheduleErrorCode> {
  const start = parseCalendarDate(schedule.start);
  if (!start) return err('rule_bad_date', `The start date ${schedule.start} is not a calendar date.`);
  if (schedule.until !== undefined) {
    const until = parseCalendarDate(schedule.until);
    if (!until) return err('rule_bad_date', `The end date ${schedule.until} is not a calendar date.`);
    if (schedule.count !== undefined) {
      return err('rule_until_and_count', 'A schedule ends on a date or after a number of times, not both.');
    }
    if (dayNumberOf(until) < dayNumberOf(start)) {
      return err(
        'rule_until_before_start',
        `The end date ${schedule.until} is before the start ${schedule.start}.`,
      );
    }
  }
  return ok(schedule);
}

/** Candidate k of the sequence (may fall before start); undefined past year 9999. */
function candidate(schedule: Schedule, start: CivilDate, startDay: number, k: number): CivilDate | undefined {
  let date: CivilDate;
  if (schedule.freq === 'weekly') {
    date = civilOfDayNumber(startDay + 7 * schedule.interval * k);
  } else if (schedule.freq === 'monthly') {
    const index = start.year * 12 + (start.month - 1) + schedule.interval * k;
    const year = Math.floor(index / 12);
    const month = (index % 12) + 1;
    const last = daysInMonth(year, month);
    date = { year, month, day: schedule.day === 'last' ? last : Math.min(schedule.day, last) };
  } else {
    const year = start.year + schedule.interval * k;
    date = { year, month: start.month, day: Math.min(start.day, daysInMonth(year, start.month)) };
  }
  return date.year > 9999 ? undefined : date;
}

/**
 * Calls `visit` with each occurrence (date and day number) in order, until it returns false or the
 * sequence ends. Nothing is visited for a schedule that fails `checkSchedule`.
 */
export function forEachOccurrence(
  schedule: Schedule,
  visit: (date: CalendarDate, day: number) => boolean,
): void {
  if (!checkSchedule(schedule).ok) return;
  const start = parseCalendarDate(schedule.start)!;
  const startDay = dayNumberOf(start);
  const untilDay =
    schedule.until === undefined ? Number.POSITIVE_INFINITY : dayNumberOf(parseCalendarDate(schedule.until)!);
  const limit = Math.min(schedule.count ?? MAX_OCCURRENCES_PER_SCHEDULE, MAX_OCCURRENCES_PER_SCHEDULE);
  let emitted = 0;
  for (let k = 0; emitted < limit; k++) {
    const date = candidate(schedule, start, startDay, k);
    if (date === undefined) return;
    const day = dayNumberOf(date);
    if (day < startDay) continue;
    if (day > untilDay) return;
    emitted++;
    if (!visit(formatCalendarDate(date)!, day)) return;
  }
}

/** The occurrences of `schedule` from `from` through `through` (both inclusive day numbers), in order. */
export function occurrencesBetween(schedule: Schedule, from: number, through: number): CalendarDate[] {
  const out: CalendarDate[] = [];
  forEachOccurrence(schedule, (date, day) => {
    if (day > through) return false;
    if (day >= from) out.push(date);
    return true;
  });
  return out;
}

/** Whether `day` (a day number) is an occurrence of `schedule`. */
export function isOccurrenceDay(schedule: Schedule, day: number): boolean {
  let found = false;
  forEachOccurrence(schedule, (_, d) => {
    if (d >= day) {
      found = d === day;
      return false;
    }
    return true;
  });
  return found;
}

/** The first occurrence of `schedule` on or after `day` (a day number), if any. */
export function firstOccurrenceFrom(schedule: Schedule, day: number): CalendarDate | undefined {
  let first: CalendarDate | undefined;
  forEachOccurrence(schedule, (date, d) => {
    if (d < day) return true;
    first = date;
    return false;
  });
  return first;
}
