import { describe, expect, it } from 'vitest';
import { idleLockDue } from './idleLock';

describe('idleLockDue', () => {
  it('locks once the idle minutes have passed since the last input', () => {
    expect(idleLockDue(0, 4 * 60_000 + 59_999, 5)).toBe(false);
    expect(idleLockDue(0, 5 * 60_000, 5)).toBe(true);
    expect(idleLockDue(60_000, 5 * 60_000, 5)).toBe(false);
  });

  it('never locks with the setting at 0 (never) or nonsense', () => {
    expect(idleLockDue(0, 10 ** 12, 0)).toBe(false);
    expect(idleLockDue(0, 10 ** 12, Number.NaN)).toBe(false);
  });
});
