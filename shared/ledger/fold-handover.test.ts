import { describe, expect, it } from 'vitest';
import { computeBalances, memberTotals } from '../settle/balances';
import { fold } from './fold';
import { liveExpenseFacts } from './fold-handover';
import { expenseFacts } from './fold-shares';
import { generateLedger } from './fold-testkit';

describe('liveExpenseFacts', () => {
  const ledger = generateLedger({ seed: 9, entries: 600 });
  const state = fold(ledger.groupId, ledger.entries);
  const live = state.expenses.filter((x) => !x.deleted);

  it('hands over the facts of exactly the live expenses of a folded state, in state order', () => {
    expect(live.length).toBeGreaterThan(10);
    expect(live.length).toBeLessThan(state.expenses.length);
    const handed = liveExpenseFacts(state);
    expect(handed).toHaveLength(live.length);
    expect(handed.every((facts, i) => facts === expenseFacts(live[i]!.data))).toBe(true);
  });

  it('works the facts out for a state fold did not make, with the same balances', () => {
    const copy = { ...state };
    expect(liveExpenseFacts(copy)).not.toBe(liveExpenseFacts(state));
    expect(liveExpenseFacts(copy)).toEqual(liveExpenseFacts(state));
    expect(computeBalances(copy)).toEqual(computeBalances(state));
    // A changed copy is summed from its own expenses, not from what fold handed over.
    const fewer = { ...state, expenses: live.slice(1) };
    expect(memberTotals(fewer)).not.toEqual(memberTotals(state));
  });
});
