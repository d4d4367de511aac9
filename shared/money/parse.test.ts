import { describe, expect, it } from 'vitest';
import { parseAmount } from './parse';
import { MAX_AMOUNT } from './types';

function parsed(input: string, currency: string, locale?: string): number | string {
  const r = parseAmount(input, currency, locale);
  return r.ok ? r.value : r.error.code;
}

describe('parseAmount: what people type', () => {
  it.each([
    ['182.40', 'CNY', 'en-US', 18240],
    ['182,40', 'EUR', 'de-DE', 18240],
    ['182,40', 'EUR', 'fr-FR', 18240],
    ['1,234.5', 'USD', 'en-US', 123450],
    ['1 234,50', 'EUR', 'fr-FR', 123450],
    ['1\u202f234,50', 'EUR', 'fr-FR', 123450],
    ['1.234,50', 'EUR', 'de-DE', 123450],
    ['1.234,50', 'EUR', 'en-US', 123450],
    ['1,234.50', 'EUR', 'de-DE', 123450],
    ['¥182.4', 'CNY', 'zh-CN', 18240],
    ['￥182.4', 'CNY', 'zh-CN', 18240],
    ['182.40元', 'CNY', 'zh-CN', 18240],
    ['RMB 182.40', 'CNY', 'zh-CN', 18240],
    ['$ 12', 'USD', 'en-US', 1200],
    ['usd 12', 'USD', 'en-US', 1200],
    ['12 USD', 'USD', 'en-US', 1200],
    ['-3', 'USD', 'en-US', -300],
    ['−3', 'USD', 'en-US', -300],
    ['+3', 'USD', 'en-US', 300],
    ['-$3', 'USD', 'en-US', -300],
    ['$-3', 'USD', 'en-US', -300],
    ['-1.234,50 €', 'EUR', 'de-DE', -123450],
    ['１８２．４０', 'CNY', 'zh-CN', 18240],
    ['１８２。４０', 'CNY', 'zh-CN', 18240],
    ['－５', 'CNY', 'zh-CN', -500],
    ['1,234', 'JPY', 'ja-JP', 1234],
    ['1.234', 'JPY', 'de-DE', 1234],
    ['1,234円', 'JPY', 'ja-JP', 1234],
    ['₩5,000', 'KRW', 'ko-KR', 5000],
    ['1.234', 'BHD', 'en-US', 1234],
    ['1,234', 'BHD', 'de-DE', 1234],
    ['1,234', 'BHD', 'en-US', 1234000],
    ["1'234.50", 'CHF', 'de-CH', 123450],
    ['1’234.50', 'CHF', 'de-CH', 123450],
    ['12,34,567.50', 'INR', 'en-IN', 123456750],
    ['1.234.567', 'EUR', 'de-DE', 123456700],
    ['1,234,567.89', 'USD', 'en-US', 123456789],
    ['1,23', 'USD', 'en-US', 123],
    ['12345,6', 'USD', 'en-US', 1234560],
    ['0,500', 'BHD', 'en-US', 500],
    ['.5', 'USD', 'en-US', 50],
    ['5.', 'USD', 'en-US', 500],
    ['  7  ', 'USD', 'en-US', 700],
    ['0', 'USD', 'en-US', 0],
    ['-0.00', 'USD', 'en-US', 0],
    ['007.10', 'USD', 'en-US', 710],
    ['1,5', 'EUR', 'not a locale!', 150],
  ])('%j %s (%s) → %i', (input, currency, locale, expected) => {
    const r = parseAmount(input, currency, locale);
    expect(r.ok && r.value).toBe(expected);
    expect(r.ok && Object.is(r.value, -0)).toBe(false);
  });
});

describe('parseAmount: refusals', () => {
  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['$', 'empty'],
    ['-', 'empty'],
    ['abc', 'invalid'],
    ['12abc', 'invalid'],
    ['(3.00)', 'invalid'],
    ['--3', 'invalid'],
    ['3-', 'invalid'],
    ['€3', 'invalid'],
    ['$3 USD', 'invalid'],
    ['1e5', 'invalid'],
    ['0x10', 'invalid'],
    ['.', 'invalid'],
    ['1,234,5', 'invalid'],
    ['1,2345', 'too_many_decimals'],
    ['1.234,5.6', 'invalid'],
    ['1 234.567,8', 'invalid'],
    ['12 34', 'invalid'],
    ['1  234', 'invalid'],
    ['0,123,456', 'invalid'],
    ['1,234.5.6', 'invalid'],
    ['١٢٣', 'invalid'],
    ['²', 'invalid'],
    ['12.345', 'too_many_decimals'],
    ['9'.repeat(200), 'invalid'],
    ['99999999999999999', 'out_of_range'],
  ])('%j in USD (en-US) → %s', (input, code) => {
    expect(parsed(input, 'USD', 'en-US')).toBe(code);
  });

  it('refuses more decimals than the currency has, with a clear message', () => {
    const cny = parseAmount('12.345', 'CNY', 'zh-CN');
    expect(!cny.ok && cny.error.code).toBe('too_many_decimals');
    expect(!cny.ok && cny.error.message).toBe('CNY amounts have at most 2 decimal places.');
    const jpy = parseAmount('1.5', 'JPY', 'ja-JP');
    expect(!jpy.ok && jpy.error.message).toBe('JPY amounts have no decimal places.');
    expect(parsed('1,234', 'EUR', 'de-DE')).toBe('too_many_decimals');
    expect(parsed('1.2345', 'BHD', 'en-US')).toBe('too_many_decimals');
  });

  it('calls "1.234" ambiguous where the locale uses "." for neither decimals nor grouping', () => {
    const r = parseAmount('1.234', 'EUR', 'fr-FR');
    expect(!r.ok && r.error.code).toBe('ambiguous');
    expect(!r.ok && r.error.message).toMatch(/decimals or thousands/);
    // Not ambiguous when the digits rule one reading out, or the locale knows the separator.
    expect(parsed('1.23', 'EUR', 'fr-FR')).toBe(123);
    expect(parsed('1.234', 'EUR', 'de-DE')).toBe(123400);
    expect(parsed('1.234', 'USD', 'en-US')).toBe('too_many_decimals');
  });

  it('limits amounts to MAX_AMOUNT', () => {
    expect(parsed('10000000000000.00', 'USD', 'en-US')).toBe(MAX_AMOUNT);
    expect(parsed('-10000000000000.00', 'USD', 'en-US')).toBe(-MAX_AMOUNT);
    const r = parseAmount('10000000000000.01', 'USD', 'en-US');
    expect(!r.ok && r.error.code).toBe('out_of_range');
    expect(!r.ok && r.error.message).toMatch(/limited to 10000000000000\.00 USD/);
    expect(parsed('1000000000000001', 'JPY', 'ja-JP')).toBe('out_of_range');
  });

  it('reports an unknown currency as a result, not a crash', () => {
    expect(parsed('12', 'ABC', 'en-US')).toBe('unknown_currency');
    expect(parsed('12', 'usd', 'en-US')).toBe('unknown_currency');
  });
});
