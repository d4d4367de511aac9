/**
 * Turning minor units into text: for people (locale-aware, via Intl) and for files (plain
 * decimal strings). Both work on digit strings, so no float rounding can ever show up.
 */
import { err, ok, type Result, WalletError } from '../errors';
import { getCurrency, isCurrency } from './currencies';
import { numberFormat } from './intl';
import { MAX_AMOUNT, type CurrencyCode, type Minor } from './types';

export interface FormatAmountOptions {
  /** How to show the currency; default "symbol" (e.g. "CN¥" in en-US, "¥" in zh-CN). */
  readonly currencyDisplay?: 'symbol' | 'narrowSymbol' | 'code' | 'name';
  /** Default "auto" (minus sign for negatives only). */
  readonly signDisplay?: 'auto' | 'always' | 'exceptZero' | 'never';
  /** Thousands separators; default true. */
  readonly useGrouping?: boolean;
}

function assertSafeMinor(minor: Minor): void {
  if (typeof minor !== 'number' || !Number.isSafeInteger(minor)) {
    throw new WalletError('invalid_amount', 'An amount must be a whole number of minor units.', {
      value: minor,
    });
  }
}

/**
 * "182.40", "-0.05", "1234" (JPY): the exact decimal value, "." as separator, no grouping,
 * exactly `exponent` fraction digits, never "-0". For CSV files and other machine-read text.
 * Throws `invalid_amount` for a non-safe-integer amount, `unknown_currency` for an unknown code.
 */
export function toDecimalString(minor: Minor, currency: CurrencyCode): string {
  assertSafeMinor(minor);
  const { exponent } = getCurrency(currency);
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const sign = minor < 0 ? '-' : '';
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export type DecimalStringErrorCode = 'invalid' | 'out_of_range' | 'unknown_currency';

/**
 * Strict inverse of toDecimalString: accepts only `-?\d+` followed, for currencies with
 * decimals, by an optional "." and exactly `exponent` digits. Anything looser (grouping,
 * other separators, missing digits) is `invalid`; |amount| > MAX_AMOUNT is `out_of_range`.
 */
export function fromDecimalString(s: string, currency: CurrencyCode): Result<Minor, DecimalStringErrorCode> {
  if (!isCurrency(currency)) {
    return err('unknown_currency', `“${String(currency)}” is not a currency code we know.`, { currency });
  }
  const { exponent } = getCurrency(currency);
  const pattern = exponent === 0 ? /^(-?)(\d+)$/ : new RegExp(`^(-?)(\\d+)(?:\\.(\\d{${exponent}}))?$`);
  const m = typeof s === 'string' ? pattern.exec(s) : null;
  if (!m) {
    const shape = exponent === 0 ? 'a whole number like 1234' : `like 1234.${'5'.padEnd(exponent, '0')}`;
    return err('invalid', `“${String(s)}” is not a plain ${currency} amount (expected ${shape}).`, {
      input: s,
    });
  }
  const units = BigInt(m[2]! + (m[3] ?? '0'.repeat(exponent)));
  if (units > BigInt(MAX_AMOUNT)) {
    return err('out_of_range', `“${s}” is larger than any amount the wallet accepts.`, { input: s });
  }
  const value = Number(units);
  return ok(m[1] === '-' && value !== 0 ? -value : value);
}

/**
 * Formats an amount for people, e.g. 18240 CNY → "¥182.40" (zh-CN), "182,40 CN¥" (de-DE).
 * Always shows exactly the currency's ISO number of decimals. `locale` defaults to the
 * runtime's (a malformed tag falls back to it too).
 */
export function formatAmount(
  minor: Minor,
  currency: CurrencyCode,
  locale?: string,
  opts: FormatAmountOptions = {},
): string {
  assertSafeMinor(minor);
  const { code, exponent } = getCurrency(currency);
  const nf = numberFormat(locale, {
    style: 'currency',
    currency: code,
    currencyDisplay: opts.currencyDisplay ?? 'symbol',
    signDisplay: opts.signDisplay ?? 'auto',
    useGrouping: opts.useGrouping ?? true,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  // Intl formats decimal strings exactly (Intl.NumberFormat v3, in Node 20 and Chromium); a number
  // could pick up float noise. `format` is a bound getter, so calling it detached is fine; the cast
  // is only because our TypeScript lib (ES2022) predates the string overload.
  const format = nf.format as unknown as (value: string) => string;
  return format(toDecimalString(minor, code));
}
