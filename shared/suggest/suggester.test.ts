import { describe, expect, it } from 'vitest';
import { fold } from '../ledger/fold';
import { equalExpense, memberId, TestLedger } from '../ledger/fold-testkit';
import type { GroupState } from '../ledger/types';
import type { MemberId } from '../money/types';
import { categoryExamples, ELSEWHERE_WEIGHT, GROUP_WEIGHT, OWN_WEIGHT, personalExamples } from './history';
import { starterCategories, starterExamples, starterLanguage } from './starter';
import { buildSuggester, MIN_CATEGORY_PROBABILITY } from './suggester';

const A = memberId('ann');
const B = memberId('bo');

function group(expenses: { d: string; c?: string; by?: MemberId }[], groupId?: string): GroupState {
  const L = new TestLedger(groupId);
  L.add(A, { type: 'group.created', name: 'Flat', currency: 'EUR', memberName: 'Ann' });
  L.add(B, { type: 'member.joined', name: 'Bo' });
  for (const e of expenses) {
    const by = e.by ?? A;
    const data = equalExpense(by, [A, B], 500, { description: e.d, ...(e.c ? { category: e.c } : {}) });
    L.add(by, { type: 'expense.created', expense: data });
  }
  return fold(L.groupId, L.entries);
}

describe('starter sets', () => {
  it('chooses the set by UI language', () => {
    expect(starterLanguage('zh-CN')).toBe('zh-CN');
    expect(starterLanguage('zh')).toBe('zh-CN');
    expect(starterLanguage('en-US')).toBe('en');
    expect(starterLanguage('fr')).toBe('en');
    expect(starterExamples('en').every((e) => e.weight === 1 && e.tokens.length > 0)).toBe(true);
    expect(starterExamples('zh-CN').some((e) => e.tokens.includes('超市'))).toBe(true);
  });

  it('never uses the default category', () => {
    expect(starterCategories()).not.toContain('general');
  });

  it('give a new group sensible suggestions in each language', () => {
    const empty = group([]);
    const en = buildSuggester(empty, A, 'en');
    const zh = buildSuggester(empty, A, 'zh-CN');
    const cases: [typeof en, string, string][] = [
      [en, 'Rent', 'rent'],
      [en, 'Groceries at the supermarket', 'groceries'],
      [en, 'Uber home', 'transport'],
      [en, 'Pizza dinner', 'dining'],
      [en, 'Internet bill', 'utilities'],
      [en, 'Movie tickets', 'entertainment'],
      [en, 'Hotel in Rome', 'travel'],
      [zh, '超市', 'groceries'],
      [zh, '十月房租', 'rent'],
      [zh, '打车回家', 'transport'],
      [zh, '周五聚餐火锅', 'dining'],
      [zh, '电费', 'utilities'],
    ];
    for (const [s, text, want] of cases) expect(s.suggest(text).category?.category, text).toBe(want);
  });

  it('make no suggestion for empty or unknown text', () => {
    const s = buildSuggester(group([]), A, 'en');
    expect(s.suggest('   ')).toEqual({ category: null, usual: null });
    expect(s.suggest('qwzx').category).toBeNull();
  });
});

describe('learning from the group', () => {
  it('trains on live expenses with a chosen category, weighting my own choices', () => {
    const s = group([
      { d: 'Badminton', c: 'entertainment', by: A },
      { d: 'Badminton court', c: 'entertainment', by: B },
      { d: 'Stuff', by: B },
    ]);
    const ex = categoryExamples(s, A);
    expect(ex.map((e) => [e.tokens, e.category, e.weight])).toEqual([
      [['badminton'], 'entertainment', OWN_WEIGHT],
      [['badminton', 'court'], 'entertainment', GROUP_WEIGHT],
    ]);
    expect(categoryExamples(s, null).every((e) => e.weight === GROUP_WEIGHT)).toBe(true);
  });

  it('one custom category in the history does not drown the starter words', () => {
    const s = buildSuggester(group([{ d: 'Badminton court', c: 'sport', by: A }]), A, 'en');
    expect(s.suggest('Weekly supermarket run').category?.category).toBe('groceries');
    expect(s.suggest('badminton with Bo').category?.category).toBe('sport');
  });

  it('a group habit outvotes the starter set', () => {
    const habit = group([
      { d: 'Rent garage', c: 'transport' },
      { d: 'Rent for garage', c: 'transport' },
    ]);
    expect(buildSuggester(group([]), A, 'en').suggest('rent').category?.category).toBe('rent');
    expect(buildSuggester(habit, A, 'en').suggest('rent').category?.category).toBe('transport');
  });

  it("prefers this person's own choice over someone else's", () => {
    const s = group([
      { d: 'Badminton', c: 'fitness', by: B },
      { d: 'Badminton', c: 'sport', by: A },
    ]);
    expect(buildSuggester(s, A, 'en').suggest('badminton').category?.category).toBe('sport');
    expect(buildSuggester(s, B, 'en').suggest('badminton').category?.category).toBe('fitness');
  });

  it('learns categories people typed themselves and suggests the usual split', () => {
    const s = group([
      { d: 'Cat food', c: 'pets', by: B },
      { d: 'Cat litter', c: 'pets', by: B },
    ]);
    const out = buildSuggester(s, A, 'en').suggest('cat toys');
    expect(out.category?.category).toBe('pets');
    expect(out.category!.probability).toBeGreaterThanOrEqual(MIN_CATEGORY_PROBABILITY);
    expect(out.usual).toMatchObject({ payer: B, matches: 2 });
  });

  it("uses this person's own choices from their other groups, not other members' there", () => {
    const other = group(
      [
        { d: 'Climbing gym', c: 'sport', by: A },
        { d: 'Climbing shoes', c: 'gear', by: B },
      ],
      'f'.repeat(32),
    );
    expect(personalExamples([other], A)).toEqual([
      { tokens: ['climbing', 'gym'], category: 'sport', weight: ELSEWHERE_WEIGHT },
    ]);
    expect(personalExamples([other], null)).toEqual([]);
    const here = group([]);
    expect(buildSuggester(here, A, 'en').suggest('climbing').category).toBeNull();
    expect(buildSuggester(here, A, 'en', [other]).suggest('climbing').category?.category).toBe('sport');
    expect(buildSuggester(here, B, 'en', [other]).suggest('climbing').category?.category).toBe('gear');
    // The group itself in the list is not counted twice, and other groups give no usual payer.
    const withHere = buildSuggester(other, A, 'en', [other]).suggest('climbing');
    expect(withHere.usual?.matches).toBe(2);
  });
});
