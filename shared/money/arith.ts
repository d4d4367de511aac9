/**
 * Checked integer arithmetic on minor units. Plain `+` on numbers silently loses precision past
 * 2^53; these functions refuse instead, so a corrupt or hostile ledger cannot skew a balance.
 */
import { WalletError } from '../errors';
import { MAX_AMOUNT, type Minor } from './types';

/** True for an amount a ledger entry may carry: a safe integer with |n| ≤ MAX_AMOUNT. */
export function isMinor(n: unknown): n is Minor {
  return typeof n === 'number' && Number.isSafeInteger(n) && Math.abs(n) <= MAX_AMOUNT;
}

/** Throws WalletError `invalid_amount` unless `n` is a safe integer with |n| ≤ MAX_AMOUNT. */
export function assertMinor(n: unknown, what = 'amount'): asserts n is Minor {
  if (!isMinor(n)) {
    throw new WalletError(
      'invalid_amount',
      `The ${what} must be a whole number of minor units no larger than ${MAX_AMOUNT} in size.`,
      { value: n },
    );
  }
}

function assertSafe(n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new WalletError('invalid_amount', 'An amount must be a whole number of minor units.', { value: n });
  }
}

function checked(result: number, op: string): Minor {
  if (!Number.isSafeInteger(result)) {
    throw new WalletError('overflow', `The ${op} is too large to compute exactly.`, { op });
  }
  // 0 - 0 and similar can produce -0, which would print and compare oddly later.
  return result === 0 ? 0 : result;
}

/** a + b; throws `overflow` if the result is not a safe integer, `invalid_amount` for bad inputs. */
export function addMinor(a: Minor, b: Minor): Minor {
  assertSafe(a);
  assertSafe(b);
  return checked(a + b, 'sum');
}

/** a − b, checked like addMinor. */
export function subMinor(a: Minor, b: Minor): Minor {
  assertSafe(a);
  assertSafe(b);
  return checked(a - b, 'difference');
}

/** Sum of a list (0 for an empty list), checked after every step. */
export function sumMinor(list: Iterable<Minor>): Minor {
  let total = 0;
  for (const n of list) total = addMinor(total, n);
  return total;
}

/** −a (never −0). */
export function negate(a: Minor): Minor {
  assertSafe(a);
  return a === 0 ? 0 : -a;
}
