import { describe, expect, it } from 'vitest';
import { isWalletError } from '../errors';
import { formatAmount, fromDecimalString, toDecimalString } from './format';
import { MAX_AMOUNT } from './types';

function thrownCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isWalletError(e) ? e.code : 'not a WalletError';
  }
  return undefined;
}

describe('toDecimalString', () => {
  it.each([
    [18240, 'CNY', '182.40'],
    [-5, 'USD', '-0.05'],
    [0, 'USD', '0.00'],
    [-0, 'USD', '0.00'],
    [1234, 'JPY', '1234'],
    [-1234, 'JPY', '-1234'],
    [5, 'BHD', '0.005'],
    [1234567, 'KWD', '1234.567'],
    [12345, 'CLF', '1.2345'],
    [Number.MAX_SAFE_INTEGER, 'USD', '90071992547409.91'],
  ])('%i %s → %s', (minor, currency, expected) => {
    expect(toDecimalString(minor, currency)).toBe(expected);
  });

  it('throws typed errors for bad amounts and currencies', () => {
    expect(thrownCode(() => toDecimalString(1.5, 'USD'))).toBe('invalid_amount');
    expect(thrownCode(() => toDecimalString(2 ** 60, 'USD'))).toBe('invalid_amount');
    expect(thrownCode(() => toDecimalString(1, 'XYZ'))).toBe('unknown_currency');
  });
});

describe('fromDecimalString', () => {
  it.each([
    ['182.40', 'CNY', 18240],
    ['182', 'CNY', 18200],
    ['-0.05', 'USD', -5],
    ['-0.00', 'USD', 0],
    ['1234', 'JPY', 1234],
    ['0.005', 'BHD', 5],
    ['10000000000000.00', 'USD', MAX_AMOUNT],
  ])('%s %s → %i', (s, currency, expected) => {
    const r = fromDecimalString(s, currency);
    expect(r.ok && r.value).toBe(expected);
    expect(r.ok && Object.is(r.value, -0)).toBe(false);
  });

  it.each([
    ['182.4', 'CNY'],
    ['182.400', 'CNY'],
    ['182,40', 'CNY'],
    ['1,234.00', 'USD'],
    ['+1.00', 'USD'],
    [' 1.00', 'USD'],
    ['.50', 'USD'],
    ['1.', 'USD'],
    ['1.0', 'JPY'],
    ['1.', 'JPY'],
    ['', 'USD'],
    ['１.00', 'USD'],
    ['1e3', 'USD'],
  ])('%j %s is invalid', (s, currency) => {
    const r = fromDecimalString(s, currency);
    expect(!r.ok && r.error.code).toBe('invalid');
  });

  it('reports out_of_range and unknown_currency', () => {
    expect(fromDecimalString('10000000000000.01', 'USD')).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(fromDecimalString('1.00', 'ABC')).toMatchObject({
      ok: false,
      error: { code: 'unknown_currency' },
    });
  });
});

describe('formatAmount', () => {
  it('formats per locale with the currency’s ISO decimals', () => {
    expect(formatAmount(18240, 'CNY', 'zh-CN')).toBe('¥182.40');
    expect(formatAmount(18240, 'CNY', 'en-US')).toBe('CN¥182.40');
    expect(formatAmount(-123450, 'USD', 'en-US')).toBe('-$1,234.50');
    expect(formatAmount(123450, 'EUR', 'de-DE')).toBe('1.234,50\u00a0€');
    expect(formatAmount(1234, 'JPY', 'en-US')).toBe('¥1,234');
    expect(formatAmount(5, 'BHD', 'en-US')).toBe('BHD\u00a00.005');
  });

  it('is exact where a float would round (3 decimals near 2^53)', () => {
    expect(formatAmount(Number.MAX_SAFE_INTEGER, 'BHD', 'en-US')).toBe('BHD\u00a09,007,199,254,740.991');
  });

  it('honours display options', () => {
    expect(formatAmount(18240, 'CNY', 'en-US', { currencyDisplay: 'code' })).toBe('CNY\u00a0182.40');
    expect(formatAmount(18240, 'CNY', 'en-US', { currencyDisplay: 'narrowSymbol' })).toBe('¥182.40');
    expect(formatAmount(123450, 'USD', 'en-US', { useGrouping: false })).toBe('$1234.50');
    expect(formatAmount(100, 'USD', 'en-US', { signDisplay: 'always' })).toBe('+$1.00');
  });

  it('never shows -0 and survives a malformed locale tag', () => {
    expect(formatAmount(-0, 'USD', 'en-US')).toBe('$0.00');
    expect(formatAmount(100, 'USD', 'not a locale!')).toMatch(/1/);
  });

  it('throws typed errors for bad amounts and currencies', () => {
    expect(thrownCode(() => formatAmount(0.5, 'USD', 'en-US'))).toBe('invalid_amount');
    expect(thrownCode(() => formatAmount(1, 'usd', 'en-US'))).toBe('unknown_currency');
  });
});
