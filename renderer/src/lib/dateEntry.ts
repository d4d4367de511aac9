/**
 * Dates typed in the app's language, not the browser's: a native date input shows mm/dd/yyyy to
 * someone who chose 简体中文 in an English browser. The numeric pattern comes from Intl for the
 * app's locale ("2026/12/05" in zh-CN, "12/05/2026" in en-US, "05/12/2026" in en-GB); typing
 * accepts that pattern with any separator, and ISO "YYYY-MM-DD" always. Values stay ISO dates.
 */

type Part = 'year' | 'month' | 'day';

export interface DatePattern {
  /** Field order, e.g. ['year', 'month', 'day']. */
  readonly order: readonly Part[];
  readonly separator: string;
  /** What an empty field shows, e.g. "yyyy/mm/dd" (letters from the locale's own order). */
  readonly placeholder: string;
}

const patterns = new Map<string, DatePattern>();

export function datePattern(locale: string): DatePattern {
  const known = patterns.get(locale);
  if (known) return known;
  const parts = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'UTC',
  }).formatToParts(new Date(Date.UTC(2001, 1, 3)));
  const order = parts
    .filter((p) => p.type === 'year' || p.type === 'month' || p.type === 'day')
    .map((p) => p.type as Part);
  const separator = parts.find((p) => p.type === 'literal')?.value.trim() || '/';
  const letters: Record<Part, string> = { year: 'yyyy', month: 'mm', day: 'dd' };
  const fields: readonly Part[] = order.length === 3 ? order : ['year', 'month', 'day'];
  const pattern: DatePattern = {
    order: fields,
    separator,
    placeholder: fields.map((p) => letters[p]).join(separator),
  };
  patterns.set(locale, pattern);
  return pattern;
}

/** An ISO date as the locale types it ("2026-12-05" → "2026/12/05" in zh-CN); "" stays "". */
export function isoToTyped(iso: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const { order, separator } = datePattern(locale);
  const value: Record<Part, string> = { year: m[1]!, month: m[2]!, day: m[3]! };
  return order.map((p) => value[p]).join(separator);
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/**
 * What was typed, as an ISO date: the locale's order with any of / . - or spaces between the
 * numbers, or ISO itself. Null when it is not a real calendar date (31/02, month 13, letters).
 */
export function typedToIso(text: string, locale: string): string | null {
  const trimmed = text.trim();
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
  let y: number;
  let m: number;
  let d: number;
  if (iso) {
    [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  } else {
    const numbers = trimmed.split(/[\s/.\-年月日]+/u).filter(Boolean);
    if (numbers.length !== 3 || !numbers.every((n) => /^\d{1,4}$/.test(n))) return null;
    const { order } = datePattern(locale);
    const value: Partial<Record<Part, number>> = {};
    order.forEach((p, i) => {
      value[p] = Number(numbers[i]);
    });
    const yearText = numbers[order.indexOf('year')]!;
    if (yearText.length !== 4) return null;
    [y, m, d] = [value.year!, value.month!, value.day!];
  }
  if (!isRealDate(y, m, d)) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
