/**
 * A small hand-made group for the CSV statement tests: three flatmates (one with a Chinese
 * name), expenses in two currencies and several split modes, payments, deletions, and text
 * chosen to exercise quoting and formula escaping.
 */
import { fold } from '../ledger/fold';
import { memberId, TestLedger } from '../ledger/fold-testkit';
import type { EntryId, GroupState } from '../ledger/types';

export const ANN = memberId('ann');
export const BO = memberId('bo');
export const CHEN = memberId('chen');

export interface FlatFixture {
  readonly ledger: TestLedger;
  readonly state: GroupState;
  readonly ids: {
    readonly groceries: EntryId;
    readonly electricity: EntryId;
    readonly sushi: EntryId;
    readonly deletedExpense: EntryId;
    readonly payment: EntryId;
    readonly deletedPayment: EntryId;
    readonly april: EntryId;
    readonly water: EntryId;
  };
}

export function flatFixture(): FlatFixture {
  const ledger = new TestLedger();
  ledger.add(ANN, { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Ann' });
  ledger.add(BO, { type: 'member.joined', name: 'Bo' });
  ledger.add(CHEN, { type: 'member.joined', name: '陈静' });
  const everyone = [ANN, BO, CHEN];

  const groceries = ledger.add(BO, {
    type: 'expense.created',
    expense: {
      description: '超市 groceries',
      category: '食品',
      currency: 'CNY',
      amount: 18240,
      date: '2025-03-01',
      payers: [{ member: BO, amount: 18240 }],
      split: { mode: 'equal', members: everyone },
    },
  });
  const electricity = ledger.add(ANN, {
    type: 'expense.created',
    expense: {
      description: 'Electricity, March',
      category: 'bills',
      currency: 'CNY',
      amount: 30000,
      date: '2025-03-05',
      note: 'Bill "A-17"\nsecond line',
      payers: [
        { member: ANN, amount: 20000 },
        { member: CHEN, amount: 10000 },
      ],
      split: { mode: 'shares', weights: { [ANN]: 1, [BO]: 1, [CHEN]: 2 } },
    },
  });
  const sushi = ledger.add(CHEN, {
    type: 'expense.created',
    expense: {
      description: '=HYPERLINK("http://evil.example","click")',
      category: '-misc',
      currency: 'JPY',
      amount: 1234,
      date: '2025-03-10',
      note: '@everyone',
      payers: [{ member: CHEN, amount: 1234 }],
      split: { mode: 'exact', amounts: { [ANN]: 1000, [BO]: 234 } },
    },
  });
  const doomed = ledger.add(ANN, {
    type: 'expense.created',
    expense: {
      description: 'Typo',
      currency: 'CNY',
      amount: 999,
      date: '2025-03-02',
      payers: [{ member: ANN, amount: 999 }],
      split: { mode: 'equal', members: everyone },
    },
  });
  ledger.add(ANN, { type: 'expense.deleted', expense: doomed.id, base: doomed.id });
  const payment = ledger.add(BO, {
    type: 'payment.recorded',
    from: BO,
    to: ANN,
    amount: 5000,
    currency: 'CNY',
    date: '2025-03-12',
    note: '+thanks',
  });
  const deletedPayment = ledger.add(CHEN, {
    type: 'payment.recorded',
    from: CHEN,
    to: BO,
    amount: 100,
    currency: 'CNY',
    date: '2025-03-12',
  });
  ledger.add(CHEN, { type: 'payment.deleted', payment: deletedPayment.id });
  const april = ledger.add(BO, {
    type: 'expense.created',
    expense: {
      description: 'Plants',
      currency: 'CNY',
      amount: 1001,
      date: '2025-04-01',
      payers: [{ member: BO, amount: 1001 }],
      split: { mode: 'equal', members: everyone },
    },
  });
  // Recorded last but dated early in March: statements sort by date first.
  const water = ledger.add(CHEN, {
    type: 'expense.created',
    expense: {
      description: 'Water',
      category: 'bills',
      currency: 'CNY',
      amount: 2000,
      date: '2025-03-03',
      payers: [{ member: CHEN, amount: 2000 }],
      split: { mode: 'equal', members: [ANN, CHEN] },
    },
  });
  const state = fold(ledger.groupId, ledger.entries);
  if (state.ignored.length > 0) throw new Error(`fixture entries ignored: ${JSON.stringify(state.ignored)}`);
  return {
    ledger,
    state,
    ids: {
      groceries: groceries.id,
      electricity: electricity.id,
      sushi: sushi.id,
      deletedExpense: doomed.id,
      payment: payment.id,
      deletedPayment: deletedPayment.id,
      april: april.id,
      water: water.id,
    },
  };
}

/** Ann sends 100.01 EUR of lucky money in 3 shares; Chen and Bo open it (one share left). */
export function luckyFixture(): GroupState {
  const ledger = new TestLedger();
  ledger.add(ANN, { type: 'group.created', name: 'Flat', currency: 'EUR', memberName: 'Ann' });
  ledger.add(BO, { type: 'member.joined', name: 'Bo' });
  ledger.add(CHEN, { type: 'member.joined', name: 'Chen' });
  const env = ledger.add(ANN, {
    type: 'envelope.created',
    amount: 10_001,
    currency: 'EUR',
    count: 3,
    date: '2026-02-17',
    note: 'Happy new year',
  });
  ledger.add(CHEN, { type: 'envelope.opened', envelope: env.id });
  ledger.add(BO, { type: 'envelope.opened', envelope: env.id });
  return fold(ledger.groupId, ledger.entries);
}
