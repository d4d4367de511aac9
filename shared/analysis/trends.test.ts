import { describe, expect, it } from 'vitest';
import { monthlyTrend, nextMonth } from './trends';

describe('monthlyTrend', () => {
  it('fills empty months and gives each month its change', () => {
    const trend = monthlyTrend(
      new Map([
        ['2024-11', 1800],
        ['2025-01', 1950],
        ['2025-02', 3300],
      ]),
    );
    expect(trend).toEqual([
      { month: '2024-11', total: 1800, change: null, changeBasisPoints: null },
      { month: '2024-12', total: 0, change: -1800, changeBasisPoints: -10_000 },
      // After a month of nothing there is no finite ratio.
      { month: '2025-01', total: 1950, change: 1950, changeBasisPoints: null },
      // 1350 / 1950 = 69.2307…% → 6923 bp.
      { month: '2025-02', total: 3300, change: 1350, changeBasisPoints: 6923 },
    ]);
  });

  it('rounds the percentage half away from zero', () => {
    // +1/8 = 1250 bp exactly; −1/16000 of 16000 = −0.625 bp → −1.
    expect(
      monthlyTrend(
        new Map([
          ['2025-01', 800],
          ['2025-02', 900],
        ]),
      )[1]!.changeBasisPoints,
    ).toBe(1250);
    expect(
      monthlyTrend(
        new Map([
          ['2025-01', 16_000],
          ['2025-02', 15_999],
        ]),
      )[1]!.changeBasisPoints,
    ).toBe(-1);
  });

  it('is empty without spending, and steps over the year end', () => {
    expect(monthlyTrend(new Map())).toEqual([]);
    expect(nextMonth('2024-12')).toBe('2025-01');
    expect(nextMonth('2025-09')).toBe('2025-10');
  });
});
