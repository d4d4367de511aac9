import { describe, expect, it } from 'vitest';
import { NO_REPEAT, readRepeatForm, repeatFormOf, templateOf } from './repeatForm';

describe('readRepeatForm', () => {
  it('gives no schedule when the expense does not repeat', () => {
    expect(readRepeatForm(NO_REPEAT, '2025-01-31')).toEqual({ ok: true, schedule: null });
  });

  it('repeats monthly on the expense day, or on the last day', () => {
    const monthly = { ...NO_REPEAT, freq: 'monthly' as const };
    expect(readRepeatForm(monthly, '2025-01-31')).toEqual({
      ok: true,
      schedule: { freq: 'monthly', start: '2025-01-31', interval: 1, day: 31 },
    });
    expect(readRepeatForm({ ...monthly, monthDay: 'last', interval: ' 3 ' }, '2025-02-10')).toEqual({
      ok: true,
      schedule: { freq: 'monthly', start: '2025-02-10', interval: 3, day: 'last' },
    });
  });

  it('ends on a date or after a number of times', () => {
    const weekly = { ...NO_REPEAT, freq: 'weekly' as const, interval: '2' };
    expect(readRepeatForm({ ...weekly, end: 'until', until: '2025-06-30' }, '2025-01-01')).toEqual({
      ok: true,
      schedule: { freq: 'weekly', start: '2025-01-01', interval: 2, until: '2025-06-30' },
    });
    expect(readRepeatForm({ ...weekly, freq: 'yearly', end: 'count', count: '5' }, '2024-02-29')).toEqual({
      ok: true,
      schedule: { freq: 'yearly', start: '2024-02-29', interval: 2, count: 5 },
    });
  });

  it('names each field that is wrong', () => {
    const weekly = { ...NO_REPEAT, freq: 'weekly' as const };
    expect(readRepeatForm({ ...weekly, interval: '0' }, '2025-01-01')).toEqual({
      ok: false,
      errors: { interval: 'interval' },
    });
    expect(readRepeatForm({ ...weekly, interval: '1.5', end: 'count', count: '' }, '2025-01-01')).toEqual({
      ok: false,
      errors: { interval: 'interval', count: 'count' },
    });
    expect(readRepeatForm({ ...weekly, end: 'until', until: '2024-12-31' }, '2025-01-01')).toEqual({
      ok: false,
      errors: { until: 'untilBeforeStart' },
    });
    expect(readRepeatForm({ ...weekly, end: 'until', until: '2025-02-30' }, '2025-01-01')).toEqual({
      ok: false,
      errors: { until: 'until' },
    });
    expect(readRepeatForm({ ...weekly, end: 'count', count: '5001' }, '2025-01-01').ok).toBe(false);
  });
});

describe('repeatFormOf', () => {
  it('shows a schedule so that reading it back from any start gives the same rule', () => {
    const schedules = [
      { freq: 'monthly' as const, start: '2025-01-31', interval: 1, day: 31 },
      { freq: 'monthly' as const, start: '2025-01-31', interval: 2, day: 'last' as const, count: 6 },
      { freq: 'weekly' as const, start: '2025-01-01', interval: 3, until: '2025-12-31' },
      { freq: 'yearly' as const, start: '2024-02-29', interval: 1 },
    ];
    for (const s of schedules) {
      // Read back from an occurrence in a short month: the day stays the rule's.
      expect(readRepeatForm(repeatFormOf(s), '2025-02-28')).toEqual({
        ok: true,
        schedule: { ...s, start: '2025-02-28' },
      });
    }
    expect(repeatFormOf(undefined)).toEqual(NO_REPEAT);
  });
});

describe('templateOf', () => {
  it('drops the date and keeps everything else', () => {
    const data = {
      description: 'Rent',
      category: 'housing',
      currency: 'EUR',
      amount: 120_000,
      date: '2025-01-01',
      payers: [{ member: 'a'.repeat(64), amount: 120_000 }],
      split: { mode: 'equal' as const, members: ['a'.repeat(64)] },
    };
    const { date: _d, ...rest } = data;
    expect(templateOf(data)).toEqual(rest);
  });
});
