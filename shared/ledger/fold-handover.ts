/**
 * What fold hands to the readers of its state besides the state itself: the facts of every live
 * (not deleted) expense, in state order. fold holds them when it finishes, while a reader such as
 * computeBalances would otherwise find each expense's facts again (a WeakMap lookup and a few
 * pointer hops per expense: a fifth of computeBalances on 100k entries).
 *
 * Kept per state object: states are immutable, so the facts stay true as long as the state lives
 * and go with it. A state made any other way (a test's hand-built state, a modified copy) has no
 * entry, and readers work the facts out from its expenses, with the same result.
 */
import { expenseFacts, type ExpenseFacts } from './fold-shares';
import type { GroupState } from './types';

const handed = new WeakMap<GroupState, readonly ExpenseFacts[]>();

/**
 * Called by fold: `live` are the facts of `state`'s live expenses, in `state.expenses` order, and
 * `occurrences` those of its recurring occurrences, in `state.occurrences` order.
 */
export function handOverLiveExpenses(
  state: GroupState,
  live: readonly ExpenseFacts[],
  occurrences: readonly ExpenseFacts[] = [],
): void {
  handed.set(state, occurrences.length === 0 ? live : [...live, ...occurrences]);
}

/**
 * The facts of everything that counts as an expense in `state`: its live expenses in
 * `state.expenses` order, then its recurring occurrences in `state.occurrences` order.
 */
export function liveExpenseFacts(state: GroupState): readonly ExpenseFacts[] {
  const known = handed.get(state);
  if (known) return known;
  const live: ExpenseFacts[] = [];
  for (const x of state.expenses) if (!x.deleted) live.push(expenseFacts(x.data));
  for (const o of state.occurrences ?? []) live.push(expenseFacts(o.data));
  return live;
}
