// The app's own statement, written in either language with lucky money in it, imports back:
// red-envelope rows become payments with the same effect on balances (docs/import.md), and
// none is reported as unreadable.
import { describe, expect, it } from 'vitest';
import { planTallyCsv } from '../../../shared/import/tally-csv';
import { balancesByName, balancesOf } from '../../../shared/import/testkit';
import { groupStatementCsv } from '../../../shared/statement/csv';
import type { StatementLabels } from '../../../shared/statement/csvLabels';
import { luckyFixture } from '../../../shared/statement/csvTestkit';
import { LABEL_KEYS } from '../screens/ExportTab';
import en from './en.json';
import zhCN from './zh-CN.json';

describe.each([
  ['en', en.csv],
  ['zh-CN', zhCN.csv],
])('a %s statement with lucky money', (_lang, words) => {
  const labels = Object.fromEntries(
    LABEL_KEYS.map((k) => [k, (words as Record<string, string>)[k]]),
  ) as Partial<StatementLabels>;

  it('imports every claim as a payment from the opener to the sender', () => {
    const state = luckyFixture();
    const text = groupStatementCsv(state, { labels });
    expect(text).toContain(labels.redEnvelope);
    const planned = planTallyCsv(text, { labelSets: [labels] });
    if (!planned.ok) throw planned.error;
    expect(planned.value.errors).toEqual([]);
    const payments = planned.value.items.filter((i) => i.kind === 'payment');
    expect(payments.map((p) => p.kind === 'payment' && [p.from, p.to]).sort()).toEqual([
      ['Bo', 'Ann'],
      ['Chen', 'Ann'],
    ]);
    expect(balancesOf(planned.value)).toEqual(balancesByName(state));
  });
});
