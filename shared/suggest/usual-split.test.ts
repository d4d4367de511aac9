import { describe, expect, it } from 'vitest';
import { fold } from '../ledger/fold';
import { equalExpense, memberId, TestLedger } from '../ledger/fold-testkit';
import type { GroupState } from '../ledger/types';
import type { MemberId } from '../money/types';
import { buildUsualSplitIndex, RECENT_PER_TOKEN, splitMembers, usualSplit } from './usual-split';

const A = memberId('ann');
const B = memberId('bo');
const C = memberId('cy');
const D = memberId('dee');
const sorted = (...ms: MemberId[]) => [...ms].sort();

function group(add: (L: TestLedger) => void, others: MemberId[] = [B, C]): GroupState {
  const L = new TestLedger();
  L.add(A, { type: 'group.created', name: 'Flat', currency: 'EUR', memberName: 'Ann' });
  for (const m of others) L.add(m, { type: 'member.joined', name: m.slice(0, 4) });
  add(L);
  return fold(L.groupId, L.entries);
}

const spend = (L: TestLedger, description: string, payer: MemberId, members: MemberId[]) =>
  L.add(payer, { type: 'expense.created', expense: equalExpense(payer, members, 900, { description }) });

describe('splitMembers', () => {
  it('lists members with a share in every split mode, sorted', () => {
    expect(splitMembers({ mode: 'equal', members: [C, A, A] })).toEqual(sorted(A, C));
    expect(splitMembers({ mode: 'adjustment', members: [B], adjustments: { [B]: 5 } })).toEqual([B]);
    expect(splitMembers({ mode: 'exact', amounts: { [A]: 0, [B]: 3, [C]: 2 } })).toEqual(sorted(B, C));
    expect(splitMembers({ mode: 'percent', basisPoints: { [A]: 10_000, [B]: 0 } })).toEqual([A]);
    expect(splitMembers({ mode: 'shares', weights: { [C]: 2, [A]: 1 } })).toEqual(sorted(A, C));
  });
});

describe('usualSplit', () => {
  it('suggests the most frequent payer and member set among expenses sharing a word', () => {
    const s = group((L) => {
      spend(L, 'Electricity bill', B, [A, B, C]);
      spend(L, 'Electricity March', B, [A, B, C]);
      spend(L, 'Electricity April', A, [A, B]);
      spend(L, 'Pizza night', C, [A, C]);
    });
    const u = usualSplit(buildUsualSplitIndex(s), 'electricity');
    expect(u).toEqual({ payer: B, members: sorted(A, B, C), matches: 3 });
    expect(usualSplit(buildUsualSplitIndex(s), 'pizza')).toEqual({
      payer: C,
      members: sorted(A, C),
      matches: 1,
    });
  });

  it('weighs closer matches (more shared words) higher', () => {
    const s = group((L) => {
      spend(L, 'Water bill', A, [A, B]);
      spend(L, 'Water bill', A, [A, B]);
      spend(L, 'Water', B, [B, C]);
      spend(L, 'Water', B, [B, C]);
      spend(L, 'Water', B, [B, C]);
    });
    // "water bill": the two full matches vote 2 each (4), the three partial ones 1 each (3).
    expect(usualSplit(buildUsualSplitIndex(s), 'water bill')?.payer).toBe(A);
    expect(usualSplit(buildUsualSplitIndex(s), 'water')?.payer).toBe(B);
  });

  it('breaks a tie by the most recent use, then by member id', () => {
    const s = group((L) => {
      spend(L, 'Taxi', C, [A, C]);
      spend(L, 'Taxi', B, [A, B]);
    });
    expect(usualSplit(buildUsualSplitIndex(s), 'taxi')).toMatchObject({ payer: B, members: sorted(A, B) });
  });

  it('skips deleted expenses and returns null when nothing is similar', () => {
    const s = group((L) => {
      const e = spend(L, 'Concert', C, [A, C]);
      L.add(C, { type: 'expense.deleted', expense: e.id, base: e.id });
      spend(L, 'Groceries', A, [A, B]);
    });
    const index = buildUsualSplitIndex(s);
    expect(usualSplit(index, 'concert')).toBeNull();
    expect(usualSplit(index, 'flowers')).toBeNull();
    expect(usualSplit(index, '')).toBeNull();
  });

  it('lets only the most recent expenses per word vote', () => {
    const s = group((L) => {
      for (let i = 0; i < RECENT_PER_TOKEN + 50; i++) spend(L, 'Lunch', i < 50 ? A : B, [A, B]);
      spend(L, 'Lunch', A, [A, B]);
    });
    const index = buildUsualSplitIndex(s);
    expect(index.byToken.get('lunch')).toHaveLength(RECENT_PER_TOKEN);
    expect(usualSplit(index, 'lunch')).toMatchObject({ payer: B, matches: RECENT_PER_TOKEN });
  });

  it('works with Chinese descriptions', () => {
    const s = group(
      (L) => {
        spend(L, '周末超市买菜', D, [A, D]);
        spend(L, '超市', D, [A, D]);
        spend(L, '打车', A, [A, B, C, D]);
      },
      [B, C, D],
    );
    expect(usualSplit(buildUsualSplitIndex(s), '超市零食')).toMatchObject({
      payer: D,
      members: sorted(A, D),
      matches: 2,
    });
  });
});
