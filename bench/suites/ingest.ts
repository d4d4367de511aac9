/**
 * A fresh device receiving a group's history: full check (verify + decrypt + validate) of 10k
 * entries from 4 authors, batched (chain-tip verification) vs entry by entry (as live entries arrive).
 */
import { GroupLog } from '../../shared/ledger/group-log';
import { atLeast, type BenchSuite, ratePerSecond } from '../harness';
import { makeSignedHistory, shuffled } from '../fixtures';

export const ingestSuite: BenchSuite = {
  name: 'ingest',
  async run({ quick }) {
    const n = quick ? 200 : 10_000;
    const history = await makeSignedHistory(n, 4, 7);
    const arrival = shuffled(
      history.entries.map((e) => e.bytes),
      11,
    );
    const options = { groupId: history.groupId, groupKey: history.groupKey };

    const batched = await ratePerSecond(n, quick ? 1 : 3, async () => {
      const report = await new GroupLog(options).ingest(arrival);
      if (report.accepted.length !== n) throw new Error(`batch accepted ${report.accepted.length}/${n}`);
    });
    // Live entries arrive one at a time, in order: each is checked on its own (its own signature).
    const inOrder = history.entries.map((e) => e.bytes);
    const single = await ratePerSecond(n, quick ? 1 : 2, async () => {
      const log = new GroupLog(options);
      for (const bytes of inOrder) {
        const report = await log.add(bytes);
        if (report.accepted.length !== 1) throw new Error('single add refused a valid entry');
      }
    });
    return [
      {
        name: 'ingest.per_s',
        value: batched,
        unit: 'entries/s',
        baseline: { name: 'ingest.single.per_s', value: single, unit: 'entries/s' },
        ...atLeast(batched, 50_000),
      },
      { name: 'ingest.single.per_s', value: single, unit: 'entries/s', ...atLeast(single, 15_000) },
    ];
  },
};
