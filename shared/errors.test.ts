import { describe, expect, it } from 'vitest';
import { err, isWalletError, ok, unwrap, WalletError } from './errors';

describe('errors', () => {
  it('err makes a WalletError value with its code, message and details', () => {
    const r = err('bad_amount', 'not an amount', { input: '1,2,3' });
    expect(r.ok).toBe(false);
    expect(r.error).toBeInstanceOf(WalletError);
    expect(r.error).toBeInstanceOf(Error);
    expect(isWalletError(r.error)).toBe(true);
    expect(r.error).toMatchObject({
      code: 'bad_amount',
      message: 'not an amount',
      details: { input: '1,2,3' },
    });
    expect(() => unwrap(r)).toThrow('not an amount');
    expect(unwrap(ok(7))).toBe(7);
  });

  it('err leaves the stack trace limit as it found it, and thrown errors keep their stacks', () => {
    const before = Error.stackTraceLimit;
    err('x', 'y');
    expect(Error.stackTraceLimit).toBe(before);
    Error.stackTraceLimit = 3;
    try {
      err('x', 'y');
      expect(Error.stackTraceLimit).toBe(3);
    } finally {
      Error.stackTraceLimit = before;
    }
    expect(new WalletError('thrown', 'here').stack).toContain('errors.test');
  });
});
