import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memberId } from '../ledger/fold-testkit';
import type { MemberState } from '../ledger/types';
import { splitAmount } from '../money/split';
import { detectFormat, planImport } from './index';
import type { ImportPlan } from './plan';
import { importIdsOf, peopleInUse, resolvePlan, suggestPeople } from './resolve';
import { idsByName, stateAfter } from './testkit';

const file = (name: string) => readFileSync(new URL(`../../docs/samples/${name}`, import.meta.url), 'utf8');

function plan(text: string): ImportPlan {
  const r = planImport(text);
  if (!r.ok) throw r.error;
  return r.value;
}

const member = (name: string): MemberState => ({ id: memberId(name), name, joinedBy: 'x', joinedAt: 0 });

describe('resolvePlan', () => {
  for (const name of ['splitwise.csv', 'spliit.json', 'tally.csv']) {
    it(`${name}: importing twice creates nothing the second time`, () => {
      const p = plan(file(name));
      const ids = idsByName(p);
      const people = suggestPeople(p.people, []);
      const first = resolvePlan(p, { people }, ids, new Set());
      if (!first.ok) throw first.error;
      expect(first.value.events).toHaveLength(p.items.length);
      expect(first.value.errors).toEqual([]);
      const state = stateAfter(Object.values(ids), first.value.events);
      expect(state.ignored).toEqual([]);
      // What the group now holds, read back from its history.
      const existing = importIdsOf(first.value.events);
      const again = resolvePlan(plan(file(name)), { people }, ids, existing);
      expect(again).toMatchObject({ ok: true, value: { events: [], skipped: p.items.length } });
    });
  }

  it('writes only the new rows of a longer export', () => {
    const p = plan(file('splitwise.csv'));
    const ids = idsByName(p);
    const people = suggestPeople(p.people, []);
    const first = resolvePlan(p, { people }, ids, new Set());
    if (!first.ok) throw first.error;
    const longer = file('splitwise.csv').replace(
      '\r\n\r\n',
      '\r\n2025-03-10,Soap,Household supplies,3.00,USD,2.00,-1.00,-1.00\r\n\r\n',
    );
    const second = resolvePlan(plan(longer), { people }, ids, importIdsOf(first.value.events));
    if (!second.ok) throw second.error;
    expect(second.value.events).toHaveLength(1);
    expect(second.value.events[0]).toMatchObject({ expense: { description: 'Soap', category: 'household' } });
  });

  it('makes events whose payers and shares add up exactly, with mapped categories', () => {
    const p = plan(file('spliit.json'));
    const r = resolvePlan(
      p,
      { people: suggestPeople(p.people, []), categories: { Rent: 'housing' } },
      idsByName(p),
      new Set(),
    );
    if (!r.ok) throw r.error;
    for (const e of r.value.events) {
      if (e.type !== 'expense.created') continue;
      const shares = splitAmount(e.expense.amount, e.expense.split);
      if (!shares.ok) throw shares.error;
      expect(Object.values(shares.value).reduce((a, b) => a + b, 0)).toBe(e.expense.amount);
      expect(e.expense.payers.reduce((a, b) => a + b.amount, 0)).toBe(e.expense.amount);
      expect(e.expense.importId).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(r.value.events.map((e) => e.type === 'expense.created' && e.expense.category)).toEqual([
      'housing',
      'dining',
      'transport',
      'general',
      false,
      'housing',
    ]);
  });

  it('refuses unmapped people and two people mapped to one member', () => {
    const p = plan(file('splitwise.csv'));
    const ids = idsByName(p);
    const people = suggestPeople(p.people, []);
    const { Cy: _, ...noCy } = ids;
    expect(resolvePlan(p, { people }, noCy, new Set())).toMatchObject({
      ok: false,
      error: { code: 'import.unmapped-person' },
    });
    expect(resolvePlan(p, { people }, { ...ids, Cy: ids.Ann! }, new Set())).toMatchObject({
      ok: false,
      error: { code: 'import.same-member' },
    });
  });
});

describe('suggestPeople', () => {
  it('matches existing members by name, ignoring case and spacing, each member once', () => {
    const p = plan(file('splitwise.csv'));
    const people = suggestPeople(p.people, [member('ann'), member('Cy ')]);
    expect(people).toEqual({
      Ann: { member: memberId('ann') },
      Bo: { newName: 'Bo' },
      Cy: { member: memberId('Cy ') },
    });
    expect([...peopleInUse(p)].sort()).toEqual(['Ann', 'Bo', 'Cy']);
  });
});

describe('planImport', () => {
  it('detects each sample’s format and refuses the rest', () => {
    expect(detectFormat(file('splitwise.csv'))).toBe('splitwise');
    expect(detectFormat(file('spliit.json'))).toBe('spliit');
    expect(detectFormat(file('tally.csv'))).toBe('tally-csv');
    expect(detectFormat(file('bank.csv'))).toBeUndefined();
    expect(planImport(file('bank.csv'))).toMatchObject({
      ok: false,
      error: { code: 'import.unknown-format' },
    });
    expect(planImport('\uFEFF')).toMatchObject({ ok: false, error: { code: 'import.empty' } });
  });
});
