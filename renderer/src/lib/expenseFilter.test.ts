import { describe, expect, it } from 'vitest';
import type { ExpenseData } from '../../../shared/ledger/events';
import type { ExpenseState } from '../../../shared/ledger/types';
import { categoriesOf, EMPTY_FILTER, filterExpenses, splitMembers } from './expenseFilter';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);

let n = 0;
function expense(data: Partial<ExpenseData>, deleted = false): ExpenseState {
  n++;
  const id = n.toString(16).padStart(64, '0');
  const full: ExpenseData = {
    description: 'Thing',
    category: 'general',
    currency: 'CNY',
    amount: 1000,
    date: '2025-01-10',
    payers: [{ member: A, amount: 1000 }],
    split: { mode: 'equal', members: [A, B] },
    ...data,
  };
  return { id, createdBy: A, data: full, deleted, head: id, versions: [] };
}

describe('filterExpenses', () => {
  const groceries = expense({ description: 'Groceries 超市', category: 'food', date: '2025-02-01' });
  const rent = expense({
    description: 'Rent',
    category: 'housing',
    date: '2025-02-01',
    payers: [{ member: C, amount: 1000 }],
    split: { mode: 'shares', weights: { [A]: 0, [C]: 2 } },
  });
  const old = expense({ description: 'Old bill', note: 'electricity', date: '2024-12-01' });
  const gone = expense({ description: 'Removed' }, true);
  const all = [groceries, rent, old, gone];

  it('hides deleted expenses unless asked and sorts newest first, later-created first on a tie', () => {
    expect(filterExpenses(all, EMPTY_FILTER)).toEqual([rent, groceries, old]);
    expect(filterExpenses(all, { ...EMPTY_FILTER, showDeleted: true })).toContain(gone);
  });

  it('searches description, note and category case-insensitively, including CJK', () => {
    expect(filterExpenses(all, { ...EMPTY_FILTER, text: 'ELECTRIC' })).toEqual([old]);
    expect(filterExpenses(all, { ...EMPTY_FILTER, text: '超市' })).toEqual([groceries]);
    expect(filterExpenses(all, { ...EMPTY_FILTER, text: 'housing' })).toEqual([rent]);
  });

  it('filters by member as payer or participant, ignoring zero-weight members', () => {
    expect(filterExpenses(all, { ...EMPTY_FILTER, member: C })).toEqual([rent]);
    expect(filterExpenses(all, { ...EMPTY_FILTER, member: B })).toEqual([groceries, old]);
  });

  it('filters by category and inclusive date range', () => {
    expect(filterExpenses(all, { ...EMPTY_FILTER, category: 'food' })).toEqual([groceries]);
    expect(filterExpenses(all, { ...EMPTY_FILTER, from: '2025-01-01', to: '2025-02-01' })).toEqual([
      rent,
      groceries,
    ]);
    expect(filterExpenses(all, { ...EMPTY_FILTER, to: '2024-12-01' })).toEqual([old]);
  });

  it('lists categories once, sorted', () => {
    expect(categoriesOf(all)).toEqual(['food', 'general', 'housing']);
  });

  it('names split members per mode', () => {
    expect(splitMembers({ mode: 'exact', amounts: { [A]: 5, [B]: 0 } })).toEqual([A]);
    expect(splitMembers({ mode: 'percent', basisPoints: { [A]: 10000 } })).toEqual([A]);
    expect(splitMembers({ mode: 'adjustment', members: [B, C], adjustments: {} })).toEqual([B, C]);
  });
});
