import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  civilOfDayNumber,
  dayNumber,
  daysInMonth,
  formatCalendarDate,
  isCalendarDate,
  isLeapYear,
  weekdayOf,
} from './calendar-date';

describe('calendar dates', () => {
  it('knows leap years and month lengths', () => {
    expect([1900, 2000, 2023, 2024, 2100, 2400].map(isLeapYear)).toEqual([
      false,
      true,
      false,
      true,
      false,
      true,
    ]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2025, 2)).toBe(28);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2025, 4)).toBe(30);
    expect(daysInMonth(2025, 12)).toBe(31);
  });

  it('accepts real dates only', () => {
    for (const ok of ['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', '2025-04-30']) {
      expect(isCalendarDate(ok)).toBe(true);
    }
    for (const bad of [
      '2025-02-29',
      '1900-02-29',
      '2025-04-31',
      '2025-13-01',
      '2025-00-10',
      '0000-01-01',
      '2025-1-01',
      '2025-01-01T00:00',
      '',
    ]) {
      expect(isCalendarDate(bad)).toBe(false);
    }
  });

  it('numbers days exactly as UTC midnights do', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('1969-12-31')).toBe(-1);
    expect(dayNumber('2000-03-01') - dayNumber('2000-02-28')).toBe(2);
    expect(dayNumber('2100-03-01') - dayNumber('2100-02-28')).toBe(1);
    fc.assert(
      fc.property(fc.integer({ min: -700_000, max: 2_900_000 }), (n) => {
        const date = formatCalendarDate(civilOfDayNumber(n))!;
        expect(dayNumber(date)).toBe(n);
        // Date is only the oracle here; the module itself never uses it.
        const utc = new Date(Date.UTC(2000, 0, 1) + (n - dayNumber('2000-01-01')) * 86_400_000);
        expect(date).toBe(utc.toISOString().slice(0, 10));
      }),
      { numRuns: 2000 },
    );
  });

  it('adds days across months, years and leap days, and stops at the ends of the format', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(addDays('9999-12-31', 1)).toBeUndefined();
    expect(addDays('0001-01-01', -1)).toBeUndefined();
  });

  it('gives weekdays with Monday = 0', () => {
    expect(weekdayOf('1970-01-01')).toBe(3); // a Thursday
    expect(weekdayOf('2026-12-05')).toBe(5); // a Saturday
    expect(weekdayOf('1969-12-29')).toBe(0); // a Monday, before day 0
  });
});
