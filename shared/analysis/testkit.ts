/** Hand-made ledgers for the analysis tests: figures small enough to work out by hand. */
import { fold } from '../ledger/fold';
import { equalExpense, memberId, TestLedger } from '../ledger/fold-testkit';
import type { GroupState } from '../ledger/types';

export const A = memberId('alice');
export const B = memberId('bo');
export const C = memberId('chen');

/**
 * A hand-made ledger (amounts in fen unless EUR). Expected figures are worked out by hand in the
 * tests below from this list:
 *   e1 food      2025-01-15  A pays  900, A/B/C equal (300 each)
 *   e2 transport 2025-01-31  B pays  600, A/B equal (300 each)
 *   e3 food      2025-02-01  C pays 1200, exact A 200 / B 400 / C 600
 *   e4 rent      2025-03-10  A pays 3000, A/B/C equal (1000 each)
 *   e5 food      2025-02-02  A pays  777 — deleted
 *   e6 misc 100 → edited to fun 450 2025-02-05, B pays, B/C equal (225 each)
 *   e7 travel    2025-02-20  C pays 1000 EUR, A/C equal (500 each)
 *   rule utilities monthly on the 1st from 2025-01-01, 3 times: A pays 300, A/B/C equal
 */
export function handMadeLedger(): TestLedger {
  const L = new TestLedger();
  L.add(A, { type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'Alice' });
  L.add(B, { type: 'member.joined', name: 'Bo' });
  L.add(C, { type: 'member.joined', name: 'Chen' });
  const exp = (by: string, input: ReturnType<typeof equalExpense>) =>
    L.add(by, { type: 'expense.created', expense: input });
  exp(A, equalExpense(A, [A, B, C], 900, { category: 'food', date: '2025-01-15' }));
  exp(B, equalExpense(B, [A, B], 600, { category: 'transport', date: '2025-01-31' }));
  exp(
    C,
    equalExpense(C, [A, B, C], 1200, {
      category: 'food',
      date: '2025-02-01',
      split: { mode: 'exact', amounts: { [A]: 200, [B]: 400, [C]: 600 } },
    }),
  );
  exp(A, equalExpense(A, [A, B, C], 3000, { category: 'rent', date: '2025-03-10' }));
  const e5 = exp(A, equalExpense(A, [A, B, C], 777, { category: 'food', date: '2025-02-02' }));
  L.add(A, { type: 'expense.deleted', expense: e5.id, base: e5.id });
  const e6 = exp(A, equalExpense(A, [A, B, C], 100, { category: 'misc', date: '2025-02-05' }));
  L.add(B, {
    type: 'expense.updated',
    expense: e6.id,
    base: e6.id,
    data: equalExpense(B, [B, C], 450, { category: 'fun', date: '2025-02-05' }),
  });
  exp(C, equalExpense(C, [A, C], 1000, { category: 'travel', currency: 'EUR', date: '2025-02-20' }));
  const { date: _d, ...template } = equalExpense(A, [A, B, C], 300, { category: 'utilities' });
  L.add(A, {
    type: 'recurring.created',
    schedule: { freq: 'monthly', start: '2025-01-01', interval: 1, day: 1, count: 3 },
    template,
  });
  return L;
}

export function handMadeState(): GroupState {
  const L = handMadeLedger();
  return fold(L.groupId, L.entries, '2025-12-31');
}
