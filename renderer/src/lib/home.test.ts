import { describe, expect, it } from 'vitest';
import { A, B, C, handMadeLedger, handMadeState } from '../../../shared/analysis/testkit';
import { fold } from '../../../shared/ledger/fold';
import type { GroupState } from '../../../shared/ledger/types';
import { computeBalances } from '../../../shared/settle/balances';
import type { GroupSummary } from '../services/types';
import { groupsThatNeedMe, type HomeGroup, positionIn, positions, recentActivity } from './home';

/** A home group as the wallet lists it: my balances from the state, sync as given. */
function homeGroup(id: string, state: GroupState, me: string, extra: Partial<GroupSummary> = {}): HomeGroup {
  const myBalances = [...computeBalances(state)]
    .map(([currency, m]) => ({ currency, amount: m.get(me) ?? 0 }))
    .filter((b) => b.amount !== 0);
  return {
    summary: {
      id,
      name: `Group ${id}`,
      currency: state.currency,
      myBalances,
      sync: { phase: 'synced', pending: 0, rejected: 0 },
      unseen: 0,
      review: 0,
      ...extra,
    },
    state,
  };
}

describe('positions', () => {
  it('keeps what I am owed and what I owe apart per currency, over groups', () => {
    const s = handMadeState();
    // In the hand-made flat, A paid 4800 and owes 2100 (CNY): +2700; in EUR A owes 500.
    // B: CNY 1050 − 2525 = −1475.
    const rows = positions([homeGroup('1', s, A), homeGroup('2', s, A)]);
    expect(rows).toEqual([
      { currency: 'CNY', owed: 5400, owe: 0 },
      { currency: 'EUR', owed: 0, owe: 1000 },
    ]);
    expect(positions([homeGroup('1', s, A), homeGroup('2', s, B)])).toEqual([
      { currency: 'CNY', owed: 2700, owe: 1475 },
      { currency: 'EUR', owed: 0, owe: 500 },
    ]);
  });
});

describe('positionIn', () => {
  it('converts each group with its own rates, or names the group without one', () => {
    const L = handMadeLedger();
    L.add(A, {
      type: 'rate.recorded',
      from: 'EUR',
      to: 'CNY',
      rate: { num: '8', den: '1' },
      date: '2025-03-01',
    });
    const rated = fold(L.groupId, L.entries, '2025-12-31');
    // A: +2700 CNY and −500 EUR (−4000 CNY) → owes 1300 CNY.
    expect(positionIn([homeGroup('1', rated, A)], A, 'CNY')).toEqual({ ok: true, owed: 0, owe: 1300 });
    expect(positionIn([homeGroup('1', rated, A), homeGroup('2', handMadeState(), A)], A, 'CNY')).toEqual({
      ok: false,
      group: 'Group 2',
      from: 'EUR',
      to: 'CNY',
    });
  });
});

describe('recentActivity', () => {
  it('lists live expenses and payments newest first, across groups', () => {
    const L = handMadeLedger();
    L.add(C, { type: 'payment.recorded', from: B, to: A, amount: 500, currency: 'CNY', date: '2025-03-02' });
    const s = fold(L.groupId, L.entries, '2025-12-31');
    const items = recentActivity([homeGroup('1', s, A)], 3);
    expect(items.map((i) => [i.kind, i.amount])).toEqual([
      ['payment', 500],
      ['expense', 1000],
      ['expense', 450],
    ]);
    // The deleted expense (777) never shows.
    expect(recentActivity([homeGroup('1', s, A)], 100).some((i) => i.amount === 777)).toBe(false);
  });
});

describe('groupsThatNeedMe', () => {
  it('lists groups with something to review, a request to me, or unsent changes', () => {
    const L = handMadeLedger();
    L.add(A, { type: 'request.created', from: B, to: A, amount: 300, currency: 'CNY' });
    const s = fold(L.groupId, L.entries, '2025-12-31');
    const groups = [
      homeGroup('quiet', s, C),
      homeGroup('asks', s, B),
      homeGroup('review', s, C, { review: 2 }),
      homeGroup('unsent', s, C, { sync: { phase: 'offline', pending: 1, rejected: 0, unsent: 3 } }),
    ];
    expect(groupsThatNeedMe(groups.slice(0, 1), C)).toEqual([]);
    expect(groupsThatNeedMe(groups.slice(1, 2), B)).toMatchObject([{ groupId: 'asks', requests: 1 }]);
    expect(groupsThatNeedMe(groups.slice(2), C)).toMatchObject([
      { groupId: 'review', review: 2, requests: 0, unsent: 0 },
      { groupId: 'unsent', review: 0, unsent: 3 },
    ]);
  });
});
