import { beforeEach, describe, expect, it } from 'vitest';
import { computeBalances } from '../settle/balances';
import type { ExpenseTemplate, Schedule } from './events';
import { fold } from './fold';
import { IncrementalFold } from './fold-incremental';
import { equalExpense, hexId, memberId, TestLedger } from './fold-testkit';
import { stateHash } from './state-hash';
import type { GroupState, VerifiedEntry } from './types';

const A = memberId('alice');
const B = memberId('bo');
const C = memberId('chen');

let L: TestLedger;
const at = (asOf: string | undefined, entries: readonly VerifiedEntry[] = L.entries): GroupState =>
  fold(L.groupId, entries, asOf);
const dates = (s: GroupState) => (s.occurrences ?? []).map((o) => o.date);
const amounts = (s: GroupState) => (s.occurrences ?? []).map((o) => o.data.amount);
const ignoredCodes = (s: GroupState) => s.ignored.map((i) => i.code);

/** Rent of 3000.00 paid by A, split equally by A, B and C. */
function template(amount = 300_000): ExpenseTemplate {
  const { date: _date, ...rest } = equalExpense(A, [A, B, C], amount, {
    description: 'Rent',
    category: 'housing',
  });
  return { category: 'housing', ...rest };
}
const monthly: Schedule = { freq: 'monthly', start: '2025-01-31', interval: 1, day: 31 };

function flat(): void {
  L.add(A, { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Alice' });
  L.add(B, { type: 'member.joined', name: 'Bo' });
  L.add(C, { type: 'member.joined', name: 'Chen' });
}

function rent(schedule: Schedule = monthly, amount?: number): VerifiedEntry {
  return L.add(A, { type: 'recurring.created', schedule, template: template(amount) });
}

beforeEach(() => {
  L = new TestLedger();
  flat();
});

describe('occurrences derived from a rule', () => {
  it('appear up to and including the asOf date, at their dates, and count in balances', () => {
    const rule = rent();
    const s = at('2025-04-30');
    expect(s.ignored).toEqual([]);
    expect(dates(s)).toEqual(['2025-01-31', '2025-02-28', '2025-03-31', '2025-04-30']);
    expect(s.occurrences![1]).toEqual({
      id: `${rule.id}|2025-02-28`,
      rule: rule.id,
      date: '2025-02-28',
      data: { ...template(), date: '2025-02-28' },
    });
    expect(s.recurring).toEqual([
      expect.objectContaining({ id: rule.id, createdBy: A, stopped: false, next: '2025-05-31' }),
    ]);
    const cny = computeBalances(s).get('CNY')!;
    // A paid 4 × 3000.00 and owes a third of it: the others owe 4 × 1000.00 each.
    expect(cny.get(A)).toBe(800_000);
    expect(cny.get(B)).toBe(-400_000);
    expect(cny.get(C)).toBe(-400_000);
    expect(dates(at('2025-04-29'))).toHaveLength(3);
    expect(dates(at('2024-12-31'))).toEqual([]);
  });

  it('are not derived without an asOf date; the rule is still listed', () => {
    rent();
    const s = at(undefined);
    expect(s.occurrences).toEqual([]);
    expect(s.recurring).toHaveLength(1);
    expect(s.recurring![0]!.next).toBeUndefined();
    expect(computeBalances(s).get('CNY')!.get(A)).toBe(0);
  });

  it('sort by date, then rule id, among several rules, next to ordinary expenses', () => {
    const r1 = rent({ freq: 'weekly', start: '2025-01-01', interval: 1, count: 3 }, 900);
    const r2 = rent({ freq: 'monthly', start: '2025-01-08', interval: 1, day: 8 }, 1200);
    L.add(B, { type: 'expense.created', expense: equalExpense(B, [A, B], 500, { date: '2025-01-10' }) });
    const s = at('2025-02-10');
    const [first, second] = [r1.id, r2.id].sort();
    expect(s.occurrences!.map((o) => [o.date, o.rule])).toEqual([
      ['2025-01-01', r1.id],
      ['2025-01-08', first],
      ['2025-01-08', second],
      ['2025-01-15', r1.id],
      ['2025-02-08', r2.id],
    ]);
    expect(s.expenses).toHaveLength(1);
  });

  it('are the same whoever folds them, whatever the order, once each', () => {
    const rule = rent();
    L.add(B, { type: 'occurrence.skipped', rule: rule.id, date: '2025-02-28' });
    const s1 = at('2025-06-30');
    const s2 = at('2025-06-30', [...L.entries].reverse());
    expect(stateHash(s2)).toBe(stateHash(s1));
    const ids = s1.occurrences!.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('editing and skipping one occurrence', () => {
  it('an edit replaces the derived occurrence, a skip removes it', () => {
    const rule = rent();
    const data = { ...template(310_000), date: '2025-03-30', note: 'late fee' };
    const edit = L.add(B, { type: 'occurrence.edited', rule: rule.id, date: '2025-03-31', data });
    L.add(C, { type: 'occurrence.skipped', rule: rule.id, date: '2025-02-28' });
    const s = at('2025-04-30');
    expect(s.ignored).toEqual([]);
    expect(dates(s)).toEqual(['2025-01-31', '2025-03-31', '2025-04-30']);
    const edited = s.occurrences![1]!;
    expect(edited).toMatchObject({ date: '2025-03-31', editedBy: edit.id });
    expect(edited.data).toEqual(data);
    // The balances are those of the same three expenses written as ordinary ones.
    const plain = new TestLedger();
    plain.add(A, { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Alice' });
    plain.add(B, { type: 'member.joined', name: 'Bo' });
    plain.add(C, { type: 'member.joined', name: 'Chen' });
    for (const o of s.occurrences!) plain.add(A, { type: 'expense.created', expense: o.data });
    expect(computeBalances(s)).toEqual(computeBalances(fold(plain.groupId, plain.entries)));
    expect(computeBalances(s).get('CNY')!.get(B)).toBeLessThan(-300_000);
  });

  it('the last edit or skip in total order wins: a later edit brings a skipped occurrence back', () => {
    const rule = rent();
    L.add(B, { type: 'occurrence.skipped', rule: rule.id, date: '2025-02-28' });
    expect(dates(at('2025-02-28'))).toEqual(['2025-01-31']);
    L.add(C, {
      type: 'occurrence.edited',
      rule: rule.id,
      date: '2025-02-28',
      data: { ...template(), date: '2025-02-28' },
    });
    expect(dates(at('2025-02-28'))).toEqual(['2025-01-31', '2025-02-28']);
    L.add(A, { type: 'occurrence.skipped', rule: rule.id, date: '2025-02-28' });
    expect(dates(at('2025-02-28'))).toEqual(['2025-01-31']);
  });

  it('a skip of a future occurrence shows in the rule’s next date', () => {
    const rule = rent();
    L.add(B, { type: 'occurrence.skipped', rule: rule.id, date: '2025-05-31' });
    expect(at('2025-04-30').recurring![0]!.next).toBe('2025-06-30');
  });

  it('names of dates the rule does not have, or rules that do not exist, are ignored', () => {
    const rule = rent();
    L.add(B, { type: 'occurrence.skipped', rule: rule.id, date: '2025-03-30' });
    L.add(B, { type: 'occurrence.skipped', rule: rule.id, date: '2024-12-31' });
    L.add(B, { type: 'occurrence.skipped', rule: hexId('nowhere'), date: '2025-03-31' });
    L.add(B, { type: 'occurrence.skipped', rule: rule.id, date: '2025-02-30' });
    const s = at('2025-04-30');
    expect(ignoredCodes(s)).toEqual([
      'unknown_occurrence',
      'unknown_occurrence',
      'unknown_rule',
      'rule_bad_date',
    ]);
    expect(dates(s)).toHaveLength(4);
  });
});

describe('changing a rule', () => {
  it('an update changes only the occurrences on or after its effectiveFrom date', () => {
    const rule = rent();
    L.add(B, {
      type: 'recurring.updated',
      rule: rule.id,
      effectiveFrom: '2025-03-15',
      schedule: { ...monthly, day: 15 },
      template: template(320_000),
    });
    const s = at('2025-05-31');
    expect(s.ignored).toEqual([]);
    expect(dates(s)).toEqual(['2025-01-31', '2025-02-28', '2025-03-15', '2025-04-15', '2025-05-15']);
    expect(amounts(s)).toEqual([300_000, 300_000, 320_000, 320_000, 320_000]);
    expect(s.recurring![0]!.versions.map((v) => v.effectiveFrom)).toEqual(['2025-01-31', '2025-03-15']);
  });

  it('a later update in total order overrides an earlier one from its own date', () => {
    const rule = rent();
    const upd = (from: string, amount: number) =>
      L.add(B, {
        type: 'recurring.updated',
        rule: rule.id,
        effectiveFrom: from,
        schedule: monthly,
        template: template(amount),
      });
    upd('2025-04-01', 310_000);
    upd('2025-03-01', 320_000);
    upd('2025-05-01', 330_000);
    expect(amounts(at('2025-06-30'))).toEqual([300_000, 300_000, 320_000, 320_000, 330_000, 330_000]);
  });

  it('an edited occurrence keeps its edit through a later rule update', () => {
    const rule = rent();
    L.add(C, {
      type: 'occurrence.edited',
      rule: rule.id,
      date: '2025-04-30',
      data: { ...template(1), date: '2025-04-30' },
    });
    L.add(A, {
      type: 'recurring.updated',
      rule: rule.id,
      effectiveFrom: '2025-03-01',
      schedule: monthly,
      template: template(5),
    });
    expect(amounts(at('2025-05-31'))).toEqual([300_000, 300_000, 5, 1, 5]);
  });

  it('a stop ends the occurrences from its date; stopping again is ignored; an update resumes', () => {
    const rule = rent();
    L.add(B, { type: 'recurring.stopped', rule: rule.id, effectiveFrom: '2025-03-01' });
    let s = at('2025-06-30');
    expect(dates(s)).toEqual(['2025-01-31', '2025-02-28']);
    expect(s.recurring![0]).toMatchObject({ stopped: true });
    expect(s.recurring![0]!.next).toBeUndefined();
    L.add(C, { type: 'recurring.stopped', rule: rule.id, effectiveFrom: '2025-04-01' });
    expect(ignoredCodes(at('2025-06-30'))).toEqual(['already_stopped']);
    L.add(A, {
      type: 'recurring.updated',
      rule: rule.id,
      effectiveFrom: '2025-05-01',
      schedule: monthly,
      template: template(),
    });
    s = at('2025-06-30');
    expect(dates(s)).toEqual(['2025-01-31', '2025-02-28', '2025-05-31', '2025-06-30']);
    expect(s.recurring![0]).toMatchObject({ stopped: false, next: '2025-07-31' });
  });
});

describe('bad rules', () => {
  it('are ignored with a code that says why, and change nothing', () => {
    const good = rent();
    const before = at('2025-06-30');
    rent({ freq: 'monthly', start: '2025-02-30', interval: 1, day: 1 });
    rent({ freq: 'weekly', start: '2025-03-01', interval: 1, until: '2025-02-01' });
    rent({ freq: 'yearly', start: '2025-03-01', interval: 1, until: '2026-03-01', count: 2 });
    L.add(A, {
      type: 'recurring.created',
      schedule: monthly,
      template: { ...template(), payers: [{ member: A, amount: 1 }] },
    });
    L.add(A, {
      type: 'recurring.created',
      schedule: monthly,
      template: { ...template(), split: { mode: 'equal', members: [memberId('stranger')] } },
    });
    L.add(A, { type: 'recurring.created', schedule: monthly, template: { ...template(), currency: 'XYZ' } });
    L.add(B, {
      type: 'recurring.updated',
      rule: good.id,
      effectiveFrom: '2025-02-29',
      schedule: monthly,
      template: template(1),
    });
    L.add(B, {
      type: 'recurring.updated',
      rule: hexId('none'),
      effectiveFrom: '2025-02-01',
      schedule: monthly,
      template: template(1),
    });
    L.add(B, { type: 'recurring.stopped', rule: hexId('none'), effectiveFrom: '2025-02-01' });
    const after = at('2025-06-30');
    expect(ignoredCodes(after)).toEqual([
      'rule_bad_date',
      'rule_until_before_start',
      'rule_until_and_count',
      'invalid_split',
      'unknown_member',
      'unknown_currency',
      'rule_bad_date',
      'unknown_rule',
      'unknown_rule',
    ]);
    expect(after.recurring).toEqual(before.recurring);
    expect(after.occurrences).toEqual(before.occurrences);
  });

  it('of a wrong shape never get past the event schema', () => {
    expect(() =>
      L.add(A, { type: 'recurring.created', schedule: { ...monthly, interval: 0 }, template: template() }),
    ).toThrow();
    expect(() =>
      L.add(A, {
        type: 'recurring.created',
        schedule: monthly,
        template: { ...template(), date: '2025-01-01' } as ExpenseTemplate,
      }),
    ).toThrow();
    expect(() => L.add(A, { type: 'occurrence.skipped', rule: 'x', date: '2025-01-01' })).toThrow();
  });
});

describe('the incremental fold', () => {
  it('re-derives occurrences when only the date moves on, and matches a full fold', () => {
    const rule = rent();
    const inc = new IncrementalFold(L.groupId);
    const s1 = inc.fold(L.entries, '2025-02-28');
    expect(dates(s1)).toHaveLength(2);
    expect(inc.fold(L.entries, '2025-02-28')).toBe(s1);
    const s2 = inc.fold(L.entries, '2025-03-31');
    expect(dates(s2)).toHaveLength(3);
    expect(dates(s1)).toHaveLength(2); // states handed out never change
    L.add(B, {
      type: 'recurring.updated',
      rule: rule.id,
      effectiveFrom: '2025-03-01',
      schedule: monthly,
      template: template(7),
    });
    const s3 = inc.fold(L.entries, '2025-03-31');
    expect(inc.counts.continued).toBeGreaterThanOrEqual(1);
    expect(stateHash(s3)).toBe(stateHash(at('2025-03-31')));
    expect(s2.recurring![0]!.versions).toHaveLength(1);
  });
});
