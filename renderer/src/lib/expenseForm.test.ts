import { describe, expect, it } from 'vitest';
import { expenseDataSchema } from '../../../shared/ledger/events';
import {
  basisPointsToText,
  emptyExpenseForm,
  type ExpenseForm,
  expenseFormFrom,
  parsePercent,
  previewShares,
  readExpenseForm,
  splitProgress,
} from './expenseForm';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const C = 'c'.repeat(64);
const members = [A, B, C];

function form(patch: Partial<ExpenseForm>): ExpenseForm {
  return {
    ...emptyExpenseForm(members, A, 'CNY', '2025-03-01'),
    description: 'Groceries',
    amount: '182.40',
    ...patch,
  };
}

function read(patch: Partial<ExpenseForm>, locale = 'en') {
  return readExpenseForm(form(patch), members, locale);
}

describe('readExpenseForm', () => {
  it('turns an equal split typed by a person into schema-valid data', () => {
    const r = read({ amount: '¥182.4' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data).toMatchObject({
      amount: 18240,
      currency: 'CNY',
      payers: [{ member: A, amount: 18240 }],
      split: { mode: 'equal', members: [A, B, C] },
    });
    expect(expenseDataSchema.safeParse(r.data).success).toBe(true);
  });

  it('refuses more decimals than the currency has, and nothing else is produced', () => {
    const r = read({ amount: '12.345' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.amount?.code).toBe('amount_too_many_decimals');
    expect('data' in r).toBe(false);
  });

  it('requires a description, a valid date and a positive amount', () => {
    const r = read({ description: '  ', date: '2025-13-01', amount: '0' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.description?.code).toBe('description_required');
    expect(r.errors.date?.code).toBe('date_invalid');
    expect(r.errors.amount?.code).toBe('amount_not_positive');
  });

  it('reports an exact split that does not add up, with both sums', () => {
    const r = read({ mode: 'exact', amount: '12.00', exact: { [A]: '5', [B]: '5' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.split).toEqual({ code: 'exact_mismatch', values: { assigned: '10.00', total: '12.00' } });
  });

  it('accepts an exact split that adds up, blank rows meaning zero', () => {
    const r = read({ mode: 'exact', amount: '12', exact: { [A]: '5.50', [B]: '6.5', [C]: '' } });
    expect(r.ok && r.data.split).toEqual({ mode: 'exact', amounts: { [A]: 550, [B]: 650 } });
  });

  it('reads percentages with up to two decimals and checks they make 100%', () => {
    const good = read({ mode: 'percent', percent: { [A]: '50', [B]: '25,5%', [C]: '24.5' } });
    expect(good.ok && good.data.split).toEqual({
      mode: 'percent',
      basisPoints: { [A]: 5000, [B]: 2550, [C]: 2450 },
    });
    const bad = read({ mode: 'percent', percent: { [A]: '50', [B]: '40' } });
    expect(!bad.ok && bad.errors.split).toEqual({
      code: 'percent_mismatch',
      values: { assigned: '90', total: '100' },
    });
    const typo = read({ mode: 'percent', percent: { [A]: '50.555' } });
    expect(!typo.ok && typo.errors.splitRows?.[A]?.code).toBe('percent_invalid');
  });

  it('reads shares and adjustments', () => {
    const shares = read({ mode: 'shares', shares: { [A]: '2', [B]: '1', [C]: '0' } });
    expect(shares.ok && shares.data.split).toEqual({ mode: 'shares', weights: { [A]: 2, [B]: 1, [C]: 0 } });
    const zero = read({ mode: 'shares', shares: { [A]: '0', [B]: '0', [C]: '0' } });
    expect(!zero.ok && zero.errors.split?.code).toBe('zero_weights');
    const adj = read({
      mode: 'adjustment',
      amount: '30',
      participants: [A, B],
      adjustments: { [A]: '-5', [B]: '5' },
    });
    expect(adj.ok && adj.data.split).toEqual({
      mode: 'adjustment',
      members: [A, B],
      adjustments: { [A]: -500, [B]: 500 },
    });
  });

  it('requires several payers to add up to the total', () => {
    const payers = [
      { member: A, amount: '100' },
      { member: B, amount: '80' },
    ];
    const r = read({ payers });
    expect(!r.ok && r.errors.payers).toEqual({
      code: 'payers_mismatch',
      values: { assigned: '180.00', total: '182.40' },
    });
    const ok = read({ payers: [payers[0]!, { member: B, amount: '82.40' }] });
    expect(ok.ok && ok.data.payers).toEqual([
      { member: A, amount: 10000 },
      { member: B, amount: 8240 },
    ]);
  });

  it('refuses an equal split with nobody in it', () => {
    const r = read({ participants: [] });
    expect(!r.ok && r.errors.split?.code).toBe('no_participants');
  });

  it('parses amounts with the UI locale (zh-CN full-width input)', () => {
    const r = read({ amount: '１８２。４' }, 'zh-CN');
    expect(r.ok && r.data.amount).toBe(18240);
  });
});

describe('expenseFormFrom', () => {
  it('round-trips stored data of every split mode through the form', () => {
    const splits = [
      { mode: 'equal', members: [A, C] },
      { mode: 'exact', amounts: { [A]: 1000, [B]: 8240 } },
      { mode: 'percent', basisPoints: { [A]: 3333, [B]: 3333, [C]: 3334 } },
      { mode: 'shares', weights: { [A]: 1, [B]: 3 } },
      { mode: 'adjustment', members: [A, B, C], adjustments: { [B]: 240 } },
    ] as const;
    for (const split of splits) {
      const data = {
        description: 'Bill',
        category: 'utilities',
        currency: 'CNY',
        amount: 9240,
        date: '2025-02-02',
        note: 'March',
        payers: [
          { member: B, amount: 9000 },
          { member: C, amount: 240 },
        ],
        split: split as never,
      };
      const r = readExpenseForm(expenseFormFrom(data, members), members, 'en');
      expect(r.ok && r.data).toEqual(data);
    }
  });
});

describe('helpers', () => {
  it('formats and parses basis points', () => {
    expect(basisPointsToText(1250)).toBe('12.5');
    expect(basisPointsToText(10000)).toBe('100');
    expect(basisPointsToText(5)).toBe('0.05');
    expect(parsePercent('100.01')).toBeNull();
    expect(parsePercent('0.05')).toBe(5);
  });

  it('previews each share live, or nothing while the form is incomplete', () => {
    expect(previewShares(form({ amount: '1.00' }), members, 'en')).toEqual({ [A]: 34, [B]: 33, [C]: 33 });
    expect(previewShares(form({ amount: '' }), members, 'en')).toBeNull();
  });
});

describe('splitProgress', () => {
  it('says what is left to assign while an exact split is typed, rows that do not read counting as nothing', () => {
    expect(splitProgress(form({ mode: 'exact', exact: {} }), members, 'en')).toEqual({
      unit: 'money',
      assigned: 0,
      left: 18_240,
    });
    expect(splitProgress(form({ mode: 'exact', exact: { [A]: '100', [B]: 'x' } }), members, 'en')).toEqual({
      unit: 'money',
      assigned: 10_000,
      left: 8_240,
    });
    const over = splitProgress(form({ mode: 'exact', exact: { [A]: '100', [B]: '100' } }), members, 'en');
    expect(over).toEqual({ unit: 'money', assigned: 20_000, left: -1_760 });
    // Exactly assigned: nothing left, and the form reads.
    const exact = form({ mode: 'exact', exact: { [A]: '100', [B]: '82.40' } });
    expect(splitProgress(exact, members, 'en')?.left).toBe(0);
    expect(readExpenseForm(exact, members, 'en').ok).toBe(true);
  });

  it('counts percent in basis points, and is null where splits always add up or the total does not read', () => {
    expect(
      splitProgress(form({ mode: 'percent', percent: { [A]: '50', [B]: '12.5' } }), members, 'en'),
    ).toEqual({
      unit: 'percent',
      assigned: 6_250,
      left: 3_750,
    });
    expect(splitProgress(form({ mode: 'equal' }), members, 'en')).toBeNull();
    expect(splitProgress(form({ mode: 'shares' }), members, 'en')).toBeNull();
    expect(splitProgress(form({ mode: 'exact', amount: 'abc' }), members, 'en')).toBeNull();
  });
});
