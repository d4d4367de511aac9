import { describe, expect, it } from 'vitest';
import { memberId } from '../../../shared/ledger/fold-testkit';
import { starterCategories } from '../../../shared/suggest/starter';
import { BUILTIN_CATEGORIES } from '../components/labels';
import { emptyExpenseForm } from './expenseForm';
import { acceptSuggestion, pendingSuggestion } from './expenseSuggestion';

const A = memberId('ann');
const B = memberId('bo');
const C = memberId('cy');
const form = emptyExpenseForm([A, B, C], A, 'EUR', '2026-01-01');

describe('pendingSuggestion', () => {
  it('keeps only the parts that would change the form', () => {
    expect(pendingSuggestion(form, { category: 'groceries', payer: A, members: [A, B, C] })).toEqual({
      category: 'groceries',
    });
    expect(pendingSuggestion(form, { category: 'general', payer: B, members: [C, A] })).toEqual({
      payer: B,
      members: [C, A],
    });
    expect(pendingSuggestion(form, { category: 'general', payer: A, members: [C, B, A] })).toBeNull();
    expect(pendingSuggestion(form, { category: null, payer: null, members: null })).toBeNull();
  });

  it('leaves several payers and a non-equal split alone', () => {
    const several = {
      ...form,
      payers: [
        { member: A, amount: '1' },
        { member: B, amount: '2' },
      ],
    };
    expect(pendingSuggestion(several, { category: null, payer: C, members: null })).toBeNull();
    const shares = { ...form, mode: 'shares' as const };
    expect(pendingSuggestion(shares, { category: null, payer: null, members: [A] })).toBeNull();
  });
});

describe('acceptSuggestion', () => {
  it('patches category, payer and equal-split members, and then nothing is pending', () => {
    const s = pendingSuggestion(form, { category: 'rent', payer: B, members: [A, B] })!;
    const next = { ...form, ...acceptSuggestion(form, s) };
    expect(next.category).toBe('rent');
    expect(next.payers).toEqual([{ member: B, amount: '' }]);
    expect(next.participants).toEqual([A, B]);
    expect(pendingSuggestion(next, { category: 'rent', payer: B, members: [B, A] })).toBeNull();
  });
});

describe('starter sets', () => {
  it('only suggest categories the form offers', () => {
    const builtin: readonly string[] = BUILTIN_CATEGORIES;
    expect(starterCategories().filter((c) => !builtin.includes(c))).toEqual([]);
  });
});
