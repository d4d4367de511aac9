/** A 100k-row group statement, vs the baseline of serialising the same rows with no logic at all. */
import Papa from 'papaparse';
import { fold } from '../../shared/ledger/fold';
import { generateLedger } from '../../shared/ledger/fold-testkit';
import { groupStatementCsv } from '../../shared/statement/csv';
import { atMost, type BenchSuite, bestOf, round } from '../harness';

export const csvSuite: BenchSuite = {
  name: 'csv',
  async run({ quick }) {
    const ledger = generateLedger({ seed: 9, entries: quick ? 2_000 : 150_000, members: 6 });
    const state = fold(ledger.groupId, ledger.entries);
    let rows = 0;
    const ms = await bestOf(quick ? 1 : 3, () => {
      const csv = groupStatementCsv(state);
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
