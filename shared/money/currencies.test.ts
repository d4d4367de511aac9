import { describe, expect, it } from 'vitest';
import { isWalletError } from '../errors';
import { getCurrency, isCurrency, listCurrencies } from './currencies';

describe('currencies', () => {
  it.each([
    ['JPY', 0],
    ['KRW', 0],
    ['CLP', 0],
    ['CNY', 2],
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['BHD', 3],
    ['KWD', 3],
    ['JOD', 3],
    ['OMR', 3],
    ['TND', 3],
    ['CLF', 4],
  ])('%s has exponent %i', (code, exponent) => {
    expect(getCurrency(code)).toEqual({ code, exponent });
    expect(isCurrency(code)).toBe(true);
  });

  it.each(['XXX', 'usd', 'US', 'USDX', '', 'XAU', 'HRK'])('rejects %j with unknown_currency', (code) => {
    expect(isCurrency(code)).toBe(false);
    let thrown: unknown;
    try {
      getCurrency(code);
    } catch (e) {
      thrown = e;
    }
    expect(isWalletError(thrown) && thrown.code).toBe('unknown_currency');
  });

  it('isCurrency is false for non-strings and inherited object keys', () => {
    expect(isCurrency(undefined)).toBe(false);
    expect(isCurrency(840)).toBe(false);
    expect(isCurrency('constructor')).toBe(false);
    expect(isCurrency('__proto__')).toBe(false);
  });

  it('lists every currency once, sorted, with a sane exponent', () => {
    const list = listCurrencies();
    const codes = list.map((c) => c.code);
    expect(list.length).toBeGreaterThan(150);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of list) {
      expect(c.code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(c.exponent);
      expect(getCurrency(c.code)).toBe(c);
    }
  });
});
