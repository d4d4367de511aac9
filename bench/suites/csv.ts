/** A 100k-row group statement, vs the baseline of serialising the same rows with no logic at all. */
import Papa from 'papaparse';
import { fold } from '../../shared/ledger/fold';
import { generateLedger } from '../../shared/ledger/fold-testkit';
import type { ExpenseState, GroupState, PaymentState } from '../../shared/ledger/types';
import { groupStatementCsv } from '../../shared/statement/csv';
import { atMost, type BenchSuite, bestOf, round } from '../harness';

/** A state with `rows` expenses and payments, made by repeating a folded ledger's items under new ids. */
function stateWithRows(base: GroupState, rows: number): GroupState {
  const expenses: ExpenseState[] = [];
  const payments: PaymentState[] = [];
  const live = base.expenses.filter((e) => !e.deleted);
  const paid = base.payments.filter((p) => !p.deleted);
  for (let copy = 0; expenses.length + payments.length < rows; copy++) {
    const suffix = copy.toString(16).padStart(6, '0');
    for (const e of live) expenses.push({ ...e, id: e.id.slice(0, 58) + suffix });
    for (const p of paid) payments.push({ ...p, id: p.id.slice(0, 58) + suffix });
  }
  return { ...base, expenses, payments };
}

export const csvSuite: BenchSuite = {
  name: 'csv',
  async run({ quick }) {
    const target = quick ? 2_000 : 100_000;
    const ledger = generateLedger({ seed: 9, entries: quick ? 2_000 : 20_000, members: 6 });
    const state = stateWithRows(fold(ledger.groupId, ledger.entries), target);
    let rows = 0;
    // A fresh state object per run: the statement caches its sorted rows per state.
    const ms = await bestOf(quick ? 1 : 3, () => {
      const csv = groupStatementCsv({ ...state });
      rows = csv.split('\r\n').length - 2;
    });
    const plain = state.expenses.map((e) => [
      e.data.date,
      e.data.description,
      e.data.currency,
      String(e.data.amount),
    ]);
    const plainMs = await bestOf(quick ? 1 : 3, () => Papa.unparse(plain));
    return [
      {
        name: 'csv.100k.ms',
        value: round(ms),
        unit: 'ms',
        baseline: {
          name: 'papaparse.unparse.plain.ms (4 columns, no shares)',
          value: round(plainMs),
          unit: 'ms',
        },
        ...atMost(ms, 1_000),
        note: `${rows} rows`,
      },
    ];
  },
};
