import { describe, expect, it } from 'vitest';
import {
  delayAfterFailures,
  MAX_DELAY_MS,
  NO_ATTEMPTS,
  nextTryAt,
  parseAttempts,
  recordFailure,
  wipeStage,
} from './lockAttempts';

describe('delayAfterFailures', () => {
  it('lets the first three tries through, then doubles from one second', () => {
    expect([0, 1, 2].map(delayAfterFailures)).toEqual([0, 0, 0]);
    expect([3, 4, 5, 6].map(delayAfterFailures)).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never waits more than five minutes, however many failures', () => {
    expect(delayAfterFailures(11)).toBe(256_000);
    expect(delayAfterFailures(12)).toBe(MAX_DELAY_MS);
    expect(delayAfterFailures(5000)).toBe(MAX_DELAY_MS);
  });

  it('treats nonsense counts as no wait', () => {
    expect(delayAfterFailures(Number.NaN)).toBe(0);
    expect(delayAfterFailures(-4)).toBe(0);
  });
});

describe('nextTryAt / recordFailure', () => {
  it('counts failures and schedules the next try from the last one', () => {
    let a = NO_ATTEMPTS;
    for (let i = 0; i < 3; i++) a = recordFailure(a, 1_000 + i);
    expect(a).toEqual({ failures: 3, lastFailureAt: 1_002 });
    expect(nextTryAt(a)).toBe(2_002);
    a = recordFailure(a, 5_000);
    expect(nextTryAt(a)).toBe(7_000);
  });

  it('has no wait before any failure', () => {
    expect(nextTryAt(NO_ATTEMPTS)).toBe(0);
  });
});

describe('wipeStage', () => {
  it('is off by default (0)', () => {
    expect(wipeStage(100, 0)).toBe('none');
  });

  it('warns one try before the wipe and wipes at the limit', () => {
    expect(wipeStage(8, 10)).toBe('none');
    expect(wipeStage(9, 10)).toBe('warn');
    expect(wipeStage(10, 10)).toBe('wipe');
    expect(wipeStage(11, 10)).toBe('wipe');
  });
});

describe('parseAttempts', () => {
  it('reads a stored counter back', () => {
    const a = recordFailure(recordFailure(NO_ATTEMPTS, 10), 20);
    expect(parseAttempts(JSON.stringify(a), 100)).toEqual(a);
  });

  it('starts clean when nothing is stored', () => {
    expect(parseAttempts(null, 100)).toEqual(NO_ATTEMPTS);
  });

  it('does not hand out free tries for a damaged entry', () => {
    for (const raw of ['{', '[]', '{"failures":-1,"lastFailureAt":0}', '{"failures":"9"}', 'null']) {
      expect(parseAttempts(raw, 500)).toEqual({ failures: 3, lastFailureAt: 500 });
    }
  });

  it('caps a last failure in the future at now', () => {
    expect(parseAttempts('{"failures":5,"lastFailureAt":9999999}', 1000)).toEqual({
      failures: 5,
      lastFailureAt: 1000,
    });
  });
});
