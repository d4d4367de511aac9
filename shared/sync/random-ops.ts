/**
 * Random but plausible user actions for convergence tests, the fuzzer and the simulation:
 * given what a replica currently sees, pick an action a real user could take there.
 * Edits and deletes name the version the replica sees, so concurrent replicas produce
 * genuine conflicts for the fold to resolve.
 */
import type { WalletEvent } from '../ledger/events';
import type { GroupState } from '../ledger/types';
import type { MemberId } from '../money/types';
import type { SeededRandom } from './seeded-random';

export type RandomOpKind =
  | 'expense.created'
  | 'expense.updated'
  | 'expense.deleted'
  | 'payment.recorded'
  | 'payment.deleted'
  | 'chat.message';

const WORDS = ['Groceries', 'Rent', 'Electricity', '晚饭', 'Taxi', 'Internet', 'Coffee', 'Cinema'];

function date(rng: SeededRandom): string {
  return `2025-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

function expenseData(rng: SeededRandom, self: MemberId, members: readonly MemberId[]) {
  const amount = rng.int(1, 500_000);
  const others = members.filter(() => rng.chance(0.6));
  const split = [...new Set([self, ...others])].sort();
  return {
    description: rng.pick(WORDS),
    category: 'general',
    currency: 'CNY',
    amount,
    date: date(rng),
    payers: [{ member: rng.chance(0.8) ? self : rng.pick(members), amount }],
    split: { mode: 'equal' as const, members: split },
  };
}

/** One random action by `self` given the state it currently sees (it must be a member). */
export function randomOp(rng: SeededRandom, state: GroupState, self: MemberId): WalletEvent {
  const members = state.members.map((m) => m.id);
  const live = state.expenses.filter((e) => !e.deleted);
  const payments = state.payments.filter((p) => !p.deleted);
  const roll = rng.next();
  if (roll < 0.3 || members.length === 0) {
    return { type: 'expense.created', expense: expenseData(rng, self, members.length ? members : [self]) };
  }
  if (roll < 0.5 && live.length > 0) {
    const e = rng.pick(live);
    return { type: 'expense.updated', expense: e.id, base: e.head, data: expenseData(rng, self, members) };
  }
  if (roll < 0.6 && live.length > 0) {
    const e = rng.pick(live);
    return { type: 'expense.deleted', expense: e.id, base: e.head };
  }
  const others = members.filter((m) => m !== self);
  if (roll < 0.8 && others.length > 0) {
    return {
      type: 'payment.recorded',
      from: self,
      to: rng.pick(others),
      amount: rng.int(1, 100_000),
      currency: 'CNY',
      date: date(rng),
    };
  }
  if (roll < 0.85 && payments.length > 0) {
    return { type: 'payment.deleted', payment: rng.pick(payments).id };
  }
  return { type: 'chat.message', text: `${rng.pick(WORDS)} ${rng.int(1, 999)}` };
}
