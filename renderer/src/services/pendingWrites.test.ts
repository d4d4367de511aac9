import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportPendingWrites } from './pendingWrites';

afterEach(() => {
  vi.useRealTimers();
});

describe('reportPendingWrites', () => {
  it('reports the count at once and then only when it changes, until stopped', () => {
    vi.useFakeTimers();
    let pending = 2;
    const reported: number[] = [];
    const stop = reportPendingWrites(
      () => pending,
      (n) => reported.push(n),
      100,
    );
    expect(reported).toEqual([2]);
    vi.advanceTimersByTime(300);
    expect(reported).toEqual([2]);
    pending = 0;
    vi.advanceTimersByTime(100);
    expect(reported).toEqual([2, 0]);
    stop();
    pending = 5;
    vi.advanceTimersByTime(1000);
    expect(reported).toEqual([2, 0]);
  });
});
