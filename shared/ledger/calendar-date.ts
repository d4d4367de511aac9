/**
 * Calendar dates as `YYYY-MM-DD` strings and integer day numbers (days since 1970-01-01), with
 * exact, pure arithmetic: no Date objects, no time zones, no clock. Recurring expenses are derived
 * from these on every device, so the same rule must give the same dates everywhere.
 *
 * Day numbers use the proleptic Gregorian calendar (H. Hinnant's days_from_civil / civil_from_days).
 */

/** A calendar date `YYYY-MM-DD` (years 0001–9999). */
export type CalendarDate = string;

export interface CivilDate {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  /** 1–31 */
  readonly day: number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in `month` (1–12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : MONTH_DAYS[month - 1]!;
}

/** The parts of a date string, or undefined when it is not a real calendar date (e.g. 2025-02-29). */
export function parseCalendarDate(text: string): CivilDate | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

export function isCalendarDate(text: string): boolean {
  return parseCalendarDate(text) !== undefined;
}

/** `YYYY-MM-DD` of the parts; years outside 1–9999 have no such form and give undefined. */
export function formatCalendarDate(d: CivilDate): CalendarDate | undefined {
  if (d.year < 1 || d.year > 9999) return undefined;
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 of a civil date. */
export function dayNumberOf(d: CivilDate): number {
  const y = d.month <= 2 ? d.year - 1 : d.year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (d.month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d.day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The civil date of a day number. */
export function civilOfDayNumber(n: number): CivilDate {
  const z = n + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Day number of a date string; throws on a string that is not a calendar date (a bug at the caller). */
export function dayNumber(text: CalendarDate): number {
  const d = parseCalendarDate(text);
  if (!d) throw new RangeError(`not a calendar date: ${text}`);
  return dayNumberOf(d);
}

/** `text` moved by `days` (may be negative); undefined past year 9999 or before year 1. */
export function addDays(text: CalendarDate, days: number): CalendarDate | undefined {
  return formatCalendarDate(civilOfDayNumber(dayNumber(text) + days));
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(text: CalendarDate): number {
  return (((dayNumber(text) + 3) % 7) + 7) % 7;
}
