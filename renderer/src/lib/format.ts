/** Locale-aware display of dates and times (money goes through shared/money formatAmount). */

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** Dates already written, per locale: a long list repeats the same few hundred days. */
const writtenDates = new Map<string, Map<string, string>>();
const MAX_WRITTEN_DATES = 5_000;

/** A calendar date "YYYY-MM-DD" as the user's locale writes it; it is a date, not an instant, so UTC. */
export function formatDate(isoDate: string, locale: string): string {
  let written = writtenDates.get(locale);
  const known = written?.get(isoDate);
  if (known !== undefined) return known;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) return isoDate;
  let f = dateFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    dateFormats.set(locale, f);
  }
  const text = f.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
  if (!written) {
    written = new Map();
    writtenDates.set(locale, written);
  }
  if (written.size >= MAX_WRITTEN_DATES) written.clear();
  written.set(isoDate, text);
  return text;
}

/** A moment (ms since epoch) in local time. */
export function formatDateTime(ms: number, locale: string): string {
  let f = timeFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    timeFormats.set(locale, f);
  }
  return f.format(new Date(ms));
}

/** Today as YYYY-MM-DD in the device's time zone (the date people mean when they say "today"). */
export function todayIso(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** First 8 hex chars of an id: enough to tell members or entries apart on screen. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** A moment (ms since epoch) as a wall-clock time, HH:MM in the locale's style ("next try at 14:05"). */
export function formatClock(ms: number, locale: string): string {
  let f = clockFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
    clockFormats.set(locale, f);
  }
  return f.format(new Date(ms));
}
