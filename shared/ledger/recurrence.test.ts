import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import vectors from '../../docs/vectors/recurrence.json';
import { addDays, dayNumber, daysInMonth, weekdayOf } from './calendar-date';
import { MAX_OCCURRENCES_PER_SCHEDULE, type Schedule, scheduleSchema } from './events';
import { checkSchedule, firstOccurrenceFrom, isOccurrenceDay, occurrencesBetween } from './recurrence';

const between = (s: Schedule, from: string, through: string) =>
  occurrencesBetween(s, dayNumber(from), dayNumber(through));

describe('recurrence vectors (docs/vectors/recurrence.json)', () => {
  it('expand to the documented dates', () => {
    expect(vectors.cases.length).toBeGreaterThanOrEqual(8);
    for (const v of vectors.cases) {
      const schedule = scheduleSchema.parse(v.schedule);
      expect(checkSchedule(schedule).ok).toBe(true);
      expect({ name: v.name, dates: between(schedule, v.from, v.through) }).toEqual({
        name: v.name,
        dates: v.occurrences,
      });
    }
  });

  it('reject the invalid ones with their code, and expand them to nothing', () => {
    for (const v of vectors.invalid) {
      const schedule = scheduleSchema.parse(v.schedule);
      const r = checkSchedule(schedule);
      expect(r.ok ? 'ok' : r.error.code).toBe(v.code);
      expect(between(schedule, '0001-01-01', '9999-12-31')).toEqual([]);
    }
  });
});

describe('schedule shapes', () => {
  it('are strict and bounded', () => {
    const base = { freq: 'weekly', start: '2025-01-01', interval: 1 };
    expect(scheduleSchema.safeParse(base).success).toBe(true);
    expect(scheduleSchema.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(scheduleSchema.safeParse({ ...base, interval: 0 }).success).toBe(false);
    expect(scheduleSchema.safeParse({ ...base, interval: 1.5 }).success).toBe(false);
    expect(scheduleSchema.safeParse({ ...base, count: 0 }).success).toBe(false);
    expect(scheduleSchema.safeParse({ ...base, count: MAX_OCCURRENCES_PER_SCHEDULE + 1 }).success).toBe(
      false,
    );
    expect(scheduleSchema.safeParse({ ...base, freq: 'daily' }).success).toBe(false);
    // monthly needs a day; weekly and yearly take none
    expect(scheduleSchema.safeParse({ ...base, freq: 'monthly' }).success).toBe(false);
    expect(scheduleSchema.safeParse({ ...base, freq: 'monthly', day: 32 }).success).toBe(false);
    expect(scheduleSchema.safeParse({ ...base, freq: 'monthly', day: 'last' }).success).toBe(true);
    expect(scheduleSchema.safeParse({ ...base, day: 3 }).success).toBe(false);
  });
});

describe('expansion', () => {
  const rent: Schedule = { freq: 'monthly', start: '2025-01-31', interval: 1, day: 31 };

  it('finds whether a day is an occurrence, and the next one', () => {
    expect(isOccurrenceDay(rent, dayNumber('2025-02-28'))).toBe(true);
    expect(isOccurrenceDay(rent, dayNumber('2025-03-30'))).toBe(false);
    expect(isOccurrenceDay(rent, dayNumber('2024-12-31'))).toBe(false);
    expect(firstOccurrenceFrom(rent, dayNumber('2025-03-01'))).toBe('2025-03-31');
    expect(firstOccurrenceFrom(rent, dayNumber('2025-03-31'))).toBe('2025-03-31');
    expect(firstOccurrenceFrom({ ...rent, count: 2 }, dayNumber('2025-03-01'))).toBeUndefined();
  });

  it('stops an endless schedule after MAX_OCCURRENCES_PER_SCHEDULE occurrences', () => {
    const weekly: Schedule = { freq: 'weekly', start: '1900-01-01', interval: 1 };
    const all = between(weekly, '1900-01-01', '9999-12-31');
    expect(all).toHaveLength(MAX_OCCURRENCES_PER_SCHEDULE);
    expect(all[all.length - 1]).toBe(
      // 4999 weeks after the start
      between({ ...weekly, count: MAX_OCCURRENCES_PER_SCHEDULE }, '1900-01-01', '9999-12-31').at(-1),
    );
    expect(dayNumber(all.at(-1)!) - dayNumber('1900-01-01')).toBe(7 * (MAX_OCCURRENCES_PER_SCHEDULE - 1));
  });

  const dateArb = fc
    .record({
      y: fc.integer({ min: 1990, max: 2060 }),
      m: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 31 }),
    })
    .map(
      ({ y, m, d }) =>
        `${y}-${String(m).padStart(2, '0')}-${String(Math.min(d, daysInMonth(y, m))).padStart(2, '0')}`,
    );

  it('matches a naive month-by-month oracle for monthly schedules', () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.integer({ min: 1, max: 14 }),
        fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constant('last' as const)),
        fc.integer({ min: 1, max: 40 }),
        (start, interval, day, count) => {
          const got = between({ freq: 'monthly', start, interval, day, count }, '0001-01-01', '9999-12-31');
          // Oracle: walk months one at a time, keep every interval-th, clamp the day.
          const want: string[] = [];
          let y = Number(start.slice(0, 4));
          let m = Number(start.slice(5, 7));
          for (let step = 0; want.length < count; step++) {
            if (step % interval === 0) {
              const last = daysInMonth(y, m);
              const d = day === 'last' ? last : Math.min(day, last);
              const date = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
              if (date >= start) want.push(date);
            }
            m++;
            if (m > 12) {
              m = 1;
              y++;
            }
          }
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps weekly occurrences exactly 7·interval days apart, on the start weekday, up to until', () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 800 }),
        (start, interval, span) => {
          const until = addDays(start, span)!;
          const schedule: Schedule = { freq: 'weekly', start, interval, until };
          const got = between(schedule, '0001-01-01', '9999-12-31');
          expect(got.length).toBe(Math.floor(span / (7 * interval)) + 1);
          expect(got.every((d) => weekdayOf(d) === weekdayOf(start) && d <= until)).toBe(true);
          got.forEach((d, i) => {
            expect(dayNumber(d) - dayNumber(start)).toBe(7 * interval * i);
          });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('puts yearly occurrences on the start month and day, the 28th for 29 February in common years', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 5 }), (start, interval) => {
        const got = between({ freq: 'yearly', start, interval, count: 12 }, '0001-01-01', '9999-12-31');
        expect(got).toHaveLength(12);
        got.forEach((date, i) => {
          const y = Number(start.slice(0, 4)) + interval * i;
          expect(date.slice(0, 4)).toBe(String(y));
          expect(date.slice(5, 7)).toBe(start.slice(5, 7));
          const wanted = start.endsWith('-02-29') ? Math.min(29, daysInMonth(y, 2)) : Number(start.slice(8));
          expect(Number(date.slice(8))).toBe(wanted);
        });
      }),
      { numRuns: 200 },
    );
  });
});
