import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupStatementCsv } from '../statement/csv';
import { flatFixture, luckyFixture } from '../statement/csvTestkit';
import type { ImportPlan } from './plan';
import { importIdsOf, resolvePlan, suggestPeople } from './resolve';
import { planTallyCsv } from './tally-csv';
import { balancesByName, balancesOf, idsByName } from './testkit';

const sample = readFileSync(new URL('../../docs/samples/tally.csv', import.meta.url), 'utf8');

function plan(
  text: string,
  labelSets: NonNullable<Parameters<typeof planTallyCsv>[1]>['labelSets'] = [],
): ImportPlan {
  const r = planTallyCsv(text, { labelSets });
  if (!r.ok) throw r.error;
  return r.value;
}

describe('Tally group statement', () => {
  it('plans the sample and lists the rows it cannot read', () => {
    const p = plan(sample);
    expect(p.people.map((x) => x.name)).toEqual(['Ann', 'Bo', 'Cy']);
    expect(p.items.map((i) => i.kind)).toEqual(['expense', 'expense', 'payment']);
    expect(p.items[1]).toMatchObject({
      description: 'Electricity, March',
      note: 'Invoice "A-17"',
      payers: [
        { person: 'Ann', amount: 6000 },
        { person: 'Cy', amount: 3000 },
      ],
      split: { mode: 'exact', amounts: { Ann: 2250, Bo: 2250, Cy: 4500 } },
    });
    expect(p.items[2]).toMatchObject({ from: 'Cy', to: 'Bo', note: '-for groceries', amount: 1500 });
    expect(p.errors.map((e) => [e.row, e.code, e.column])).toEqual([
      [5, 'row.bad-amount', 'Amount'],
      [6, 'row.bad-currency', 'Currency'],
    ]);
  });

  it('imports lucky money claims as payments with the same effect on balances', () => {
    const state = luckyFixture();
    const p = plan(groupStatementCsv(state));
    expect(p.errors).toEqual([]);
    const lucky = p.items.filter((i) => i.kind === 'payment');
    expect(lucky).toHaveLength(2);
    for (const item of lucky) expect(item).toMatchObject({ to: 'Ann', note: 'Lucky money: Happy new year' });
    expect(balancesOf(p)).toEqual(balancesByName(state));
  });

  it('round-trips a group: its statement imported into a new group gives the same balances', () => {
    const { state } = flatFixture();
    const p = plan(groupStatementCsv(state));
    expect(p.errors).toEqual([]);
    expect(balancesOf(p)).toEqual(balancesByName(state));
  });

  it('reads a statement written with translated column titles when given them', () => {
    const { state } = flatFixture();
    const zh = {
      date: '日期',
      type: '类型',
      description: '说明',
      category: '类别',
      currency: '币种',
      amount: '金额',
      paidBy: '付款人',
      sharePrefix: '分摊：',
      from: '付款方',
      to: '收款方',
      note: '备注',
      entryId: '条目编号',
      expense: '支出',
      payment: '转账',
    };
    const csv = groupStatementCsv(state, { labels: zh });
    expect(planTallyCsv(csv)).toMatchObject({ ok: false, error: { code: 'import.bad-header' } });
    expect(plan(csv, [zh]).items.length).toBe(plan(groupStatementCsv(state)).items.length);
  });

  it('gives the same file the same hashes, and every row its own', () => {
    const ids = plan(sample).items.map((i) => i.importId);
    expect(new Set(ids).size).toBe(3);
    expect(plan(sample.replace(/\r\n/g, '\n')).items.map((i) => i.importId)).toEqual(ids);
  });

  it('recognises a statement read back into the group it came from: nothing is created', () => {
    const { ledger, state } = flatFixture();
    const p = plan(groupStatementCsv(state));
    const existing = new Set([
      ...importIdsOf(ledger.entries.map((e) => e.event)),
      ...ledger.entries.map((e) => e.id),
    ]);
    const r = resolvePlan(p, { people: suggestPeople(p.people, state.members) }, idsByName(p), existing);
    expect(r).toMatchObject({ ok: true, value: { events: [], skipped: p.items.length } });
    expect(p.items.length).toBeGreaterThan(3);
  });
});
