import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../shared/ledger/events';
import { fold } from '../../../shared/ledger/fold';
import { equalExpense, memberId, TestLedger } from '../../../shared/ledger/fold-testkit';
import { rulesNamingDeparted } from './departedRules';

const [ANN, BO, CY] = [memberId('ann'), memberId('bo'), memberId('cy')];
const monthly: Schedule = { freq: 'monthly', start: '2025-01-31', interval: 1, day: 31 };

function flat() {
  const L = new TestLedger();
  L.add(ANN, { type: 'group.created', name: 'Flat', currency: 'EUR', memberName: 'Ann' });
  L.add(BO, { type: 'member.joined', name: 'Bo' });
  L.add(CY, { type: 'member.joined', name: 'Cy' });
  const rule = (description: string, members: string[]) => {
    const { date: _d, ...rest } = equalExpense(ANN, members, 90_000, { description, category: 'rent' });
    return L.add(ANN, {
      type: 'recurring.created',
      schedule: monthly,
      template: { category: 'rent', ...rest },
    });
  };
  return { L, rule };
}

describe('rulesNamingDeparted', () => {
  it('lists running rules whose next occurrence names someone who left or was removed', () => {
    const { L, rule } = flat();
    const rent = rule('Rent', [ANN, BO, CY]);
    rule('Internet', [ANN, CY]);
    L.add(BO, { type: 'member.left' });
    expect(rulesNamingDeparted(fold(L.groupId, L.entries, '2025-02-10'))).toEqual([
      { rule: rent.id, description: 'Rent', names: ['Bo'], next: '2025-02-28' },
    ]);
    L.add(ANN, { type: 'member.removed', member: CY });
    const both = rulesNamingDeparted(fold(L.groupId, L.entries, '2025-02-10'));
    expect(both.map((r) => [r.description, r.names])).toEqual([
      ['Rent', ['Bo', 'Cy']],
      ['Internet', ['Cy']],
    ]);
  });

  it('says nothing once the rule leaves them out from the next date, or is stopped', () => {
    const { L, rule } = flat();
    const rent = rule('Rent', [ANN, BO, CY]);
    L.add(BO, { type: 'member.left' });
    const { date: _d, ...rest } = equalExpense(ANN, [ANN, CY], 90_000, {
      description: 'Rent',
      category: 'rent',
    });
    L.add(ANN, {
      type: 'recurring.updated',
      rule: rent.id,
      effectiveFrom: '2025-02-28',
      schedule: { ...monthly, start: '2025-02-28' },
      template: { category: 'rent', ...rest },
    });
    expect(rulesNamingDeparted(fold(L.groupId, L.entries, '2025-02-10'))).toEqual([]);
    const other = flat();
    const internet = other.rule('Internet', [ANN, BO]);
    other.L.add(BO, { type: 'member.left' });
    other.L.add(ANN, { type: 'recurring.stopped', rule: internet.id, effectiveFrom: '2025-02-01' });
    expect(rulesNamingDeparted(fold(other.L.groupId, other.L.entries, '2025-02-10'))).toEqual([]);
  });
});
