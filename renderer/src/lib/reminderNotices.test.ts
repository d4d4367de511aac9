import { describe, expect, it } from 'vitest';
import { reminderKey, reminderNotice, stillAhead, unannounced } from './reminderNotices';
import type { Upcoming } from './reminders';

const GID = '1'.repeat(32);
const rent: Upcoming = {
  rule: 'r'.repeat(64),
  date: '2025-02-28',
  description: 'Rent',
  amount: 300_000,
  currency: 'CNY',
  inDays: 1,
};
const power: Upcoming = {
  ...rent,
  rule: 'p'.repeat(64),
  description: 'Power',
  amount: 4_250,
  inDays: 3,
  date: '2025-03-02',
};
const text = {
  t: (key: string, values?: Record<string, string | number>) => `${key}|${JSON.stringify(values ?? {})}`,
  money: (amount: number, currency: string) => `${currency} ${amount / 100}`,
  date: (iso: string) => `d:${iso}`,
};

describe('reminder notices', () => {
  it('leaves out occurrences already announced, by group, rule and date', () => {
    const shown = new Set([reminderKey(GID, rent)]);
    expect(unannounced(GID, [rent, power], shown)).toEqual([power]);
    // The next month's rent is a new occurrence; another group's rent too.
    expect(unannounced(GID, [{ ...rent, date: '2025-03-31' }], shown)).toHaveLength(1);
    expect(unannounced('2'.repeat(32), [rent], shown)).toHaveLength(1);
  });

  it('forgets announced occurrences once their date has passed', () => {
    const keys = [reminderKey(GID, rent), reminderKey(GID, power)];
    expect(stillAhead(keys, '2025-02-28')).toEqual(keys);
    expect(stillAhead(keys, '2025-03-01')).toEqual([reminderKey(GID, power)]);
    expect(stillAhead(keys, '2025-03-03')).toEqual([]);
  });

  it('makes one notification naming each occurrence, opening the group’s expenses', () => {
    const n = reminderNotice([rent, power], { id: GID, name: 'Flat 3B' }, text, false)!;
    expect(n.title).toBe('Flat 3B');
    expect(n.target).toBe(`#/g/${GID}/expenses`);
    expect(n.body.split('\n')).toEqual([
      'reminders.tomorrow|{"description":"Rent","amount":"CNY 3000","date":"d:2025-02-28","count":1}',
      'reminders.inDays|{"description":"Power","amount":"CNY 42.5","date":"d:2025-03-02","count":3}',
    ]);
    expect(reminderNotice([], { id: GID, name: 'Flat 3B' }, text, false)).toBeNull();
  });

  it('names no group, description or amount while discreet', () => {
    const n = reminderNotice([rent, power], { id: GID, name: 'Flat 3B' }, text, true)!;
    expect(n.title).toBe('notices.discreetTitle|{}');
    expect(n.body).toBe('notices.discreet|{"count":2}');
    expect(JSON.stringify(n)).not.toMatch(/Rent|Power|Flat|3000/);
  });
});
