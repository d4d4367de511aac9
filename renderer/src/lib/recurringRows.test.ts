import { describe, expect, it } from 'vitest';
import type { ExpenseData } from '../../../shared/ledger/events';
import type { ExpenseState, OccurrenceState, RecurringRuleState } from '../../../shared/ledger/types';
import { EMPTY_FILTER, filterExpenses } from './expenseFilter';
import { dateOf, listRows, scheduleOn, upcomingOccurrence } from './recurringRows';

const A = 'a'.repeat(64);
const RULE = 'r'.repeat(64);
const data = (date: string, description = 'Thing'): ExpenseData => ({
  description,
  category: 'general',
  currency: 'EUR',
  amount: 100,
  date,
  payers: [{ member: A, amount: 100 }],
  split: { mode: 'equal', members: [A] },
});
const expense = (id: string, date: string): ExpenseState => ({
  id: id.repeat(64),
  createdBy: A,
  data: data(date, `Expense ${id}`),
  deleted: false,
  head: id.repeat(64),
  versions: [],
});
const occurrence = (date: string, shown = date): OccurrenceState => ({
  id: `${RULE}|${date}`,
  rule: RULE,
  date,
  data: data(shown, 'Rent'),
});
const monthly = { freq: 'monthly' as const, start: '2025-01-31', interval: 1, day: 31 as const };
const weekly = { freq: 'weekly' as const, start: '2025-03-01', interval: 1 };
const rule: RecurringRuleState = {
  id: RULE,
  createdBy: A,
  lamport: 1,
  time: 0,
  stopped: false,
  versions: [
    { entryId: RULE, author: A, effectiveFrom: '2025-01-31', schedule: monthly, template: data('x') },
    {
      entryId: 'u'.repeat(64),
      author: A,
      effectiveFrom: '2025-03-01',
      schedule: weekly,
      template: data('x'),
    },
  ],
};

describe('recurring rows in the expense list', () => {
  it('finds the schedule in force on a date', () => {
    expect(scheduleOn(rule, '2025-01-31')).toEqual(monthly);
    expect(scheduleOn(rule, '2025-02-28')).toEqual(monthly);
    expect(scheduleOn(rule, '2025-03-01')).toEqual(weekly);
    expect(scheduleOn(rule, '2025-01-01')).toBeUndefined();
    expect(scheduleOn(undefined, '2025-03-01')).toBeUndefined();
  });

  it('gives the next occurrence (not due yet) from the version in force on its date, and no other', () => {
    const running = {
      ...rule,
      next: '2025-03-08',
      versions: [rule.versions[0]!, { ...rule.versions[1]!, template: data('x', 'Rent for two') }],
    };
    expect(upcomingOccurrence(running, '2025-03-08')).toEqual({
      id: `${RULE}|2025-03-08`,
      rule: RULE,
      date: '2025-03-08',
      data: data('2025-03-08', 'Rent for two'),
    });
    expect(upcomingOccurrence(running, '2025-03-15')).toBeUndefined();
    expect(upcomingOccurrence({ ...running, stopped: true }, '2025-03-08')).toBeUndefined();
    expect(upcomingOccurrence(undefined, '2025-03-08')).toBeUndefined();
  });

  it('merges occurrences at their dates, newest first, the shown date of an edited one counting', () => {
    const expenses = filterExpenses([expense('1', '2025-02-01'), expense('2', '2025-03-10')], EMPTY_FILTER);
    const occurrences = [
      occurrence('2025-01-31'),
      occurrence('2025-02-28', '2025-03-15'),
      occurrence('2025-03-08'),
    ];
    const rows = listRows(expenses, occurrences, [rule], EMPTY_FILTER);
    expect(rows.map((r) => [r.kind, dateOf(r)])).toEqual([
      ['occurrence', '2025-03-15'],
      ['expense', '2025-03-10'],
      ['occurrence', '2025-03-08'],
      ['expense', '2025-02-01'],
      ['occurrence', '2025-01-31'],
    ]);
    const first = rows[0]!;
    expect(first.kind === 'occurrence' && first.schedule).toEqual(monthly);
  });

  it('filters occurrences like expenses', () => {
    const occurrences = [occurrence('2025-01-31'), occurrence('2025-02-28')];
    const f = { ...EMPTY_FILTER, from: '2025-02-01' };
    expect(listRows([], occurrences, [rule], f).map(dateOf)).toEqual(['2025-02-28']);
    expect(listRows([], occurrences, [rule], { ...EMPTY_FILTER, text: 'rent' })).toHaveLength(2);
    expect(listRows([], occurrences, [rule], { ...EMPTY_FILTER, text: 'water' })).toHaveLength(0);
  });
});
