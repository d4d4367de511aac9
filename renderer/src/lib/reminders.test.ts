import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../shared/ledger/events';
import { fold } from '../../../shared/ledger/fold';
import { equalExpense, memberId, TestLedger } from '../../../shared/ledger/fold-testkit';
import { upcomingOccurrences } from './reminders';

const A = memberId('alice');
const B = memberId('bo');
const monthly: Schedule = { freq: 'monthly', start: '2025-01-31', interval: 1, day: 31 };

function group() {
  const L = new TestLedger();
  L.add(A, { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Alice' });
  L.add(B, { type: 'member.joined', name: 'Bo' });
  const { date: _d, ...rest } = equalExpense(A, [A, B], 300_000, { description: 'Rent', category: 'rent' });
  const rule = L.add(A, {
    type: 'recurring.created',
    schedule: monthly,
    template: { category: 'rent', ...rest },
  });
  return { L, rule };
}

describe('upcomingOccurrences', () => {
  it('lists the next occurrence when it falls within the window, with its amount and days to go', () => {
    const { L, rule } = group();
    const state = fold(L.groupId, L.entries, '2025-02-25');
    expect(upcomingOccurrences(state.recurring, '2025-02-25', 1)).toEqual([]);
    expect(upcomingOccurrences(state.recurring, '2025-02-25', 3)).toEqual([
      { rule: rule.id, date: '2025-02-28', description: 'Rent', amount: 300_000, currency: 'CNY', inDays: 3 },
    ]);
    expect(upcomingOccurrences(state.recurring, '2025-02-25', 0)).toEqual([]);
  });

  it('skips stopped rules and skipped dates, and uses the version in force on the date', () => {
    const { L, rule } = group();
    L.add(B, { type: 'occurrence.skipped', rule: rule.id, date: '2025-02-28' });
    const skipped = fold(L.groupId, L.entries, '2025-02-27');
    // The fold's `next` is past the skipped date: nothing within three days.
    expect(upcomingOccurrences(skipped.recurring, '2025-02-27', 3)).toEqual([]);
    L.add(A, { type: 'recurring.stopped', rule: rule.id, effectiveFrom: '2025-03-01' });
    const stopped = fold(L.groupId, L.entries, '2025-03-29');
    expect(upcomingOccurrences(stopped.recurring, '2025-03-29', 7)).toEqual([]);
  });
});
