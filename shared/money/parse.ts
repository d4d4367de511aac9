/**
 * Reading an amount a person typed ("182.40", "1.234,50 €", "¥182.4", "－３") into minor units.
 * Works on digit strings only (BigInt for the value), never floats.
 *
 * How "." and "," are read:
 * - both present: the last one is the decimal separator, the other groups thousands;
 * - one of them, several times: it groups thousands ("1.234.567");
 * - one of them, once: decimal, unless it is followed by exactly three digits after one to three
 *   digits ("1,234"), which could be either; then the locale decides (its decimal or its group
 *   separator), and if it is neither, the input is `ambiguous`.
 * Spaces and apostrophes only ever group ("1 234,50", "1'234.50"). Groups must be well formed.
 * More fraction digits than the currency has is an error, never a rounding: "1.000" yen in en-US
 * is refused rather than read as 1 yen or 1000 yen.
 */
import { err, ok, type Result, type WalletError } from '../errors';
import { getCurrency, isCurrency } from './currencies';
import { toDecimalString } from './format';
import { localeSeparators, numberFormat } from './intl';
import { type CurrencyCode, MAX_AMOUNT, type Minor } from './types';

export type ParseAmountErrorCode =
  | 'empty'
  | 'invalid'
  | 'ambiguous'
  | 'too_many_decimals'
  | 'out_of_range'
  | 'unknown_currency';

const MAX_INPUT_LENGTH = 100;

/** Characters that IMEs and formatters produce, mapped to the plain ones the parser reads. */
const CHAR_MAP: Readonly<Record<string, string>> = {
  '，': ',', // full-width comma
  '．': '.', // full-width full stop
  '。': '.', // ideographic full stop (Chinese IME in Chinese punctuation mode)
  '＋': '+',
  '－': '-',
  '−': '-', // U+2212 minus sign
  '‐': '-', // U+2010 hyphen
  '‒': '-', // U+2012 figure dash
  '–': '-', // U+2013 en dash (autocorrect)
  '﹣': '-', // U+FE63 small hyphen-minus
  '￥': '¥',
  '＄': '$',
  '\u00a0': ' ', // no-break space
  '\u202f': ' ', // narrow no-break space (French grouping)
  '\u2009': ' ', // thin space
  '\u2007': ' ', // figure space
  '\u3000': ' ', // ideographic space
  '’': "'", // Swiss grouping
  '＇': "'",
};

/** Invisible bidi and zero-width marks that Intl output and copy-paste carry along. */
const INVISIBLE = /[\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]/g;

function normalize(s: string): string {
  let out = '';
  for (const ch of s.replace(INVISIBLE, '')) {
    const cp = ch.codePointAt(0)!;
    // Full-width digits ０-９ (Chinese and Japanese IMEs).
    if (cp >= 0xff10 && cp <= 0xff19) out += String.fromCharCode(cp - 0xff10 + 0x30);
    else out += CHAR_MAP[ch] ?? ch;
  }
  return out;
}

/** Extra ways people write a currency that Intl's symbols miss. */
const EXTRA_MARKERS: Readonly<Record<CurrencyCode, readonly string[]>> = {
  CNY: ['元', '块', 'RMB', '¥'],
  JPY: ['円', '¥'],
  KRW: ['원'],
  TWD: ['元', 'NT$'],
  HKD: ['HK$'],
};

const markerCache = new Map<string, readonly string[]>();

/** Currency markers accepted for `code` in `locale`, normalized, upper-cased, longest first. */
function currencyMarkers(code: CurrencyCode, locale: string | undefined): readonly string[] {
  const key = `${code}|${locale ?? ''}`;
  let markers = markerCache.get(key);
  if (!markers) {
    const found = new Set<string>([code, ...(EXTRA_MARKERS[code] ?? [])]);
    for (const loc of [locale, 'en']) {
      for (const currencyDisplay of ['symbol', 'narrowSymbol'] as const) {
        const parts = numberFormat(loc, { style: 'currency', currency: code, currencyDisplay }).formatToParts(
          1,
        );
        const symbol = parts.find((p) => p.type === 'currency')?.value;
        if (symbol) found.add(symbol);
      }
    }
    markers = [...found]
      .map((m) => normalize(m).trim().toUpperCase())
      .filter((m) => m !== '')
      .sort((a, b) => b.length - a.length);
    if (markerCache.size >= 512) markerCache.clear();
    markerCache.set(key, markers);
  }
  return markers;
}

const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';

type Body = Result<{ negative: boolean; body: string }, ParseAmountErrorCode>;

/** Peels an optional sign and currency marker off either side: "-¥182.4", "$-12", "-1.234,50 €". */
function peel(s: string, markers: readonly string[]): { negative: boolean; body: string } {
  let rest = s;
  let negative = false;
  let signs = 0;
  const takeSign = (): void => {
    if (rest.startsWith('-') || rest.startsWith('+')) {
      negative = rest.startsWith('-');
      signs++;
      rest = rest.slice(1).trimStart();
    }
  };
  const upper = (): string => rest.toUpperCase();
  takeSign();
  const front = markers.find((m) => upper().startsWith(m));
  if (front) {
    rest = rest.slice(front.length).trimStart();
    if (signs === 0) takeSign();
  } else {
    const back = markers.find((m) => upper().endsWith(m));
    if (back) rest = rest.slice(0, rest.length - back.length).trimEnd();
  }
  return { negative, body: rest };
}

function splitSign(input: string, code: CurrencyCode, locale: string | undefined): Body {
  const s = normalize(input).trim();
  if (s === '') return err('empty', 'Enter an amount.');
  if (s.length > MAX_INPUT_LENGTH) return err('invalid', 'That is too long to be an amount.', { input });
  const { negative, body } = peel(s, currencyMarkers(code, locale));
  if (body === '') return err('empty', 'Enter an amount.');
  return ok({ negative, body });
}

function invalid(input: string): { ok: false; error: WalletError<'invalid'> } {
  return err('invalid', `“${input.trim()}” is not an amount. Type digits, like 182.40.`, { input });
}

/** Checks thousands grouping of an integer part: "1,234,567", "12,34,567" (India), not "12,34". */
function groupsWellFormed(groups: readonly string[], secondary: number): boolean {
  if (groups.length < 2 || groups.some((g) => g === '')) return false;
  const first = groups[0]!;
  const last = groups[groups.length - 1]!;
  const middle = groups.slice(1, -1);
  if (last.length !== 3 || first.startsWith('0')) return false;
  if (middle.length === 0) return first.length <= 3;
  const size = middle[0]!.length;
  if (size !== 3 && size !== secondary) return false;
  return middle.every((g) => g.length === size) && first.length <= size;
}

/**
 * Parses what a person typed into minor units of `currency`, reading separators per `locale`
 * (default: the runtime's). Accepts a sign (also U+2212 and full-width), a currency symbol or
 * code before or after the number, ASCII or full-width digits. Accounting parentheses are refused.
 */
export function parseAmount(
  input: string,
  currency: CurrencyCode,
  locale?: string,
): Result<Minor, ParseAmountErrorCode> {
  if (!isCurrency(currency)) {
    return err('unknown_currency', `“${String(currency)}” is not a currency code we know.`, { currency });
  }
  if (typeof input !== 'string') return err('empty', 'Enter an amount.');
  const { code, exponent } = getCurrency(currency);
  const split = splitSign(input, code, locale);
  if (!split.ok) return split;
  const { negative, body } = split.value;

  const loc = localeSeparators(locale);
  const locDecimal = normalize(loc.decimal);
  const locGroup = normalize(loc.group);
  const ambiguousChars = new Set(['.', ',']);
  const groupOnly = new Set([' ', "'"]);
  if (locGroup !== '' && !ambiguousChars.has(locGroup)) groupOnly.add(locGroup);
  const decimalOnly = !ambiguousChars.has(locDecimal) && !groupOnly.has(locDecimal) ? locDecimal : undefined;

  const seps: { i: number; ch: string }[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (isDigit(ch)) continue;
    if (!ambiguousChars.has(ch) && !groupOnly.has(ch) && ch !== decimalOnly) return invalid(input);
    seps.push({ i, ch });
  }

  // Where is the decimal separator, if any? (-1: none)
  let dec = -1;
  const last = seps[seps.length - 1];
  if (decimalOnly !== undefined && seps.some((s) => s.ch === decimalOnly)) {
    if (last?.ch !== decimalOnly || seps.filter((s) => s.ch === decimalOnly).length > 1)
      return invalid(input);
    dec = last.i;
  } else if (last && ambiguousChars.has(last.ch)) {
    const count = seps.filter((s) => s.ch === last.ch).length;
    const before = body.slice(0, last.i);
    const digitsAfter = body.length - last.i - 1;
    if (count > 1) dec = -1;
    else if (seps.length > 1) dec = last.i;
    else if (digitsAfter !== 3 || before.length === 0 || before.length > 3 || before.startsWith('0'))
      dec = last.i;
    else if (last.ch === locDecimal) dec = last.i;
    else if (last.ch === locGroup) dec = -1;
    else {
      return err(
        'ambiguous',
        `Cannot tell whether the “${last.ch}” in “${body}” separates decimals or thousands. ` +
          'Type the amount without thousands separators, e.g. 1234.',
        { input, separator: last.ch },
      );
    }
  }

  const intPart = dec >= 0 ? body.slice(0, dec) : body;
  const fraction = dec >= 0 ? body.slice(dec + 1) : '';
  if (![...fraction].every(isDigit)) return invalid(input);
  if (intPart === '' && fraction === '') return invalid(input);

  let intDigits = intPart;
  const groupChars = new Set([...intPart].filter((ch) => !isDigit(ch)));
  if (groupChars.size > 1) return invalid(input);
  if (groupChars.size === 1) {
    const [g] = groupChars;
    if (g === decimalOnly || !groupsWellFormed(intPart.split(g!), loc.secondaryGroupSize))
      return invalid(input);
    intDigits = intPart.split(g!).join('');
  }

  if (fraction.length > exponent) {
    return err(
      'too_many_decimals',
      exponent === 0
        ? `${code} amounts have no decimal places.`
        : `${code} amounts have at most ${exponent} decimal place${exponent === 1 ? '' : 's'}.`,
      { input, exponent },
    );
  }
  const units = BigInt((intDigits || '0') + fraction.padEnd(exponent, '0'));
  if (units > BigInt(MAX_AMOUNT)) {
    return err('out_of_range', `Amounts are limited to ${toDecimalString(MAX_AMOUNT, code)} ${code}.`, {
      input,
      max: MAX_AMOUNT,
    });
  }
  const value = Number(units);
  return ok(negative && value !== 0 ? -value : value);
}
