/**
 * Reading the cells of foreign files: file bytes to text, decimal amounts to minor units, dates
 * to YYYY-MM-DD. Strict where a guess could change money: a value that does not fit is reported,
 * never rounded or reinterpreted.
 */
import { err, ok, type Result } from '../errors';
import { getCurrency, isCurrency } from '../money/currencies';
import { MAX_AMOUNT, type Minor } from '../money/types';

const BOM = '\uFEFF';

/**
 * Text of an imported file. UTF-8 (with or without BOM) and UTF-16 with a BOM are read; bytes
 * that are not valid UTF-8 (a file saved in a legacy code page such as GBK or Windows-1252) are
 * refused with `import.encoding` rather than shown as garbage names and descriptions.
 */
export function decodeImportFile(bytes: Uint8Array): Result<string, 'import.encoding' | 'import.empty'> {
  if (bytes.length === 0) return err('import.empty', 'The file is empty.');
  let encoding = 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) encoding = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) encoding = 'utf-16be';
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return ok(text.startsWith(BOM) ? text.slice(1) : text);
  } catch {
    return err(
      'import.encoding',
      'The file is not UTF-8 text. Save it again as “CSV UTF-8” (or UTF-8 JSON) and import that.',
      { encoding },
    );
  }
}

/** Drops one leading byte order mark (text read by other means may still carry it). */
export function stripBom(text: string): string {
  return text.startsWith(BOM) ? text.slice(1) : text;
}

export type DecimalError = 'empty' | 'invalid' | 'too_many_decimals' | 'out_of_range';

/**
 * A decimal number as files write it ("12.50", "-1234.5", "1.234,56" with `decimal: ','`) in
 * minor units of `currency`. Grouping by the other separator, spaces or apostrophes is allowed
 * between digit groups; a sign in front or accounting parentheses "(12.50)" for negatives.
 * Extra fraction digits are accepted only when they are zeros ("1000.00" yen is 1000 yen).
 */
export function readDecimal(
  input: string,
  currency: string,
  decimal: '.' | ',' = '.',
): Result<Minor, DecimalError> {
  if (!isCurrency(currency)) return err('invalid', `“${currency}” is not a currency code.`);
  let s = input.trim().replace(/[\u00a0\u202f\u2009 ']/g, '');
  if (s === '') return err('empty', 'The amount is empty.');
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1);
  }
  if (s.startsWith('-') || s.startsWith('+') || s.startsWith('\u2212')) {
    negative = negative || s[0] !== '+';
    s = s.slice(1);
  }
  const group = decimal === '.' ? ',' : '.';
  const shape =
    decimal === '.' ? /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/ : /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/;
  const m = shape.exec(s);
  if (!m) return err('invalid', `“${input.trim()}” is not a number.`);
  const whole = m[1]!.split(group).join('');
  const fraction = m[2] ?? '';
  const { exponent } = getCurrency(currency);
  if (fraction.length > exponent && /[^0]/.test(fraction.slice(exponent))) {
    return err('too_many_decimals', `“${input.trim()}” has more decimals than ${currency} has.`);
  }
  const units = BigInt(whole + fraction.slice(0, exponent).padEnd(exponent, '0'));
  if (units > BigInt(MAX_AMOUNT)) return err('out_of_range', `“${input.trim()}” is too large.`);
  const value = Number(units);
  return ok(negative && value !== 0 ? -value : value);
}

export type DateFormat = 'YYYY-MM-DD' | 'DD/MM/YYYY' | 'MM/DD/YYYY' | 'DD.MM.YYYY' | 'YYYY/MM/DD';

export const DATE_FORMATS: readonly DateFormat[] = [
  'YYYY-MM-DD',
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'DD.MM.YYYY',
  'YYYY/MM/DD',
];

const DATE_SHAPES: Readonly<Record<DateFormat, { re: RegExp; y: number; m: number; d: number }>> = {
  'YYYY-MM-DD': { re: /^(\d{4})-(\d{1,2})-(\d{1,2})/, y: 1, m: 2, d: 3 },
  'YYYY/MM/DD': { re: /^(\d{4})\/(\d{1,2})\/(\d{1,2})/, y: 1, m: 2, d: 3 },
  'DD/MM/YYYY': { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})/, y: 3, m: 2, d: 1 },
  'MM/DD/YYYY': { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})/, y: 3, m: 1, d: 2 },
  'DD.MM.YYYY': { re: /^(\d{1,2})\.(\d{1,2})\.(\d{4})/, y: 3, m: 2, d: 1 },
};

/**
 * A calendar date in `format` as YYYY-MM-DD. A time after the date ("2024-05-03 18:20",
 * "2024-05-03T00:00:00.000Z") is ignored: the date is the day the file states, not converted
 * to any time zone. Impossible dates (31 April) are refused.
 */
export function readDate(input: string, format: DateFormat = 'YYYY-MM-DD'): string | undefined {
  const shape = DATE_SHAPES[format];
  const m = shape.re.exec(input.trim());
  if (!m) return undefined;
  const y = Number(m[shape.y]);
  const mo = Number(m[shape.m]);
  const d = Number(m[shape.d]);
  // The round trip through Date refuses what the ledger's date schema would (month 13, day 32,
  // 31 April, year 0), without a schema parse per row (10k-row imports).
  if (y < 1 || mo < 1 || d < 1) return undefined;
  const iso = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    return undefined;
  }
  return iso;
}

/** Free text for a ledger field: trimmed and cut to `max` characters (by code point). */
export function clip(text: string, max: number): string {
  const chars = [...text.trim()];
  return chars.length <= max ? chars.join('') : chars.slice(0, max).join('').trimEnd();
}
