import { describe, expect, it } from 'vitest';
import { exceedsLimit, parseLimits, withLimit } from './spendLimit';

describe('exceedsLimit', () => {
  const limits = { EUR: 100_00, JPY: 5_000 };

  it('is above the limit only strictly above it, per currency', () => {
    expect(exceedsLimit(limits, 'EUR', 100_00)).toBe(false);
    expect(exceedsLimit(limits, 'EUR', 100_01)).toBe(true);
    expect(exceedsLimit(limits, 'JPY', 5_001)).toBe(true);
    expect(exceedsLimit(limits, 'JPY', 4_999)).toBe(false);
  });

  it('never triggers for a currency without a limit', () => {
    expect(exceedsLimit(limits, 'USD', 1_000_000_00)).toBe(false);
    expect(exceedsLimit(limits, 'constructor', 1)).toBe(false);
  });

  it('looks at the size of negative amounts (refunds) too', () => {
    expect(exceedsLimit(limits, 'EUR', -200_00)).toBe(true);
  });

  it('with a limit of zero, every non-zero amount needs the passcode', () => {
    expect(exceedsLimit({ EUR: 0 }, 'EUR', 1)).toBe(true);
    expect(exceedsLimit({ EUR: 0 }, 'EUR', 0)).toBe(false);
  });
});

describe('withLimit', () => {
  it('adds, replaces and removes one currency', () => {
    const a = withLimit({}, 'EUR', 50_00);
    expect(a).toEqual({ EUR: 50_00 });
    expect(withLimit(a, 'EUR', 70_00)).toEqual({ EUR: 70_00 });
    expect(withLimit(a, 'EUR', null)).toEqual({});
  });

  it('changes nothing for a bad currency or amount', () => {
    const a = { EUR: 1 };
    expect(withLimit(a, 'XYZ', 5)).toBe(a);
    expect(withLimit(a, 'EUR', 1.5)).toBe(a);
    expect(withLimit(a, 'EUR', -1)).toBe(a);
  });
});

describe('parseLimits', () => {
  it('keeps only known currencies with whole non-negative amounts', () => {
    expect(parseLimits({ EUR: 100, USD: -1, JPY: 2.5, XYZ: 4, CNY: '9', GBP: 0 })).toEqual({
      EUR: 100,
      GBP: 0,
    });
  });

  it('reads anything else as no limits', () => {
    for (const raw of [null, undefined, 5, 'EUR', [1, 2]]) expect(parseLimits(raw)).toEqual({});
  });
});
