import { describe, expect, it } from 'vitest';
import { isWalletError } from '../errors';
import { addMinor, assertMinor, isMinor, negate, subMinor, sumMinor } from './arith';
import { MAX_AMOUNT } from './types';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isWalletError(e) ? e.code : 'not a WalletError';
  }
  return undefined;
}

describe('checked arithmetic', () => {
  it('adds, subtracts, sums and negates exactly', () => {
    expect(addMinor(18240, -40)).toBe(18200);
    expect(subMinor(100, 250)).toBe(-150);
    expect(sumMinor([1, 2, 3, -4])).toBe(2);
    expect(sumMinor([])).toBe(0);
    expect(negate(5)).toBe(-5);
    expect(negate(-5)).toBe(5);
  });

  it('never produces -0', () => {
    expect(Object.is(negate(0), 0)).toBe(true);
    expect(Object.is(subMinor(0, 0), 0)).toBe(true);
    expect(Object.is(addMinor(-0, 0), 0)).toBe(true);
  });

  it('throws overflow when a result leaves the safe integer range', () => {
    expect(codeOf(() => addMinor(Number.MAX_SAFE_INTEGER, 1))).toBe('overflow');
    expect(codeOf(() => subMinor(Number.MIN_SAFE_INTEGER, 1))).toBe('overflow');
    expect(codeOf(() => sumMinor([Number.MAX_SAFE_INTEGER, 1, -5]))).toBe('overflow');
    expect(addMinor(Number.MAX_SAFE_INTEGER, -1)).toBe(Number.MAX_SAFE_INTEGER - 1);
  });

  it('throws invalid_amount for inputs that are not safe integers', () => {
    expect(codeOf(() => addMinor(1.5, 1))).toBe('invalid_amount');
    expect(codeOf(() => subMinor(1, Number.NaN))).toBe('invalid_amount');
    expect(codeOf(() => negate(Number.POSITIVE_INFINITY))).toBe('invalid_amount');
    expect(codeOf(() => sumMinor([1, 2 ** 60]))).toBe('invalid_amount');
  });

  it('assertMinor accepts exactly the safe integers within ±MAX_AMOUNT', () => {
    expect(codeOf(() => assertMinor(MAX_AMOUNT))).toBeUndefined();
    expect(codeOf(() => assertMinor(-MAX_AMOUNT))).toBeUndefined();
    expect(codeOf(() => assertMinor(0))).toBeUndefined();
    expect(codeOf(() => assertMinor(MAX_AMOUNT + 1))).toBe('invalid_amount');
    expect(codeOf(() => assertMinor(0.1))).toBe('invalid_amount');
    expect(codeOf(() => assertMinor('12'))).toBe('invalid_amount');
    expect(isMinor(-MAX_AMOUNT - 1)).toBe(false);
    expect(isMinor(42)).toBe(true);
  });
});
