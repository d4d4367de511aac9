/**
 * A fresh device receiving a group's history: full check (verify + decrypt + validate) of 10k
 * entries from 4 authors, batched (chain-tip verification) vs entry by entry (as live entries
 * arrive). Timed with the installed primitives (Node's: OpenSSL and libsodium, see bench/run.ts),
 * with what the app's renderer uses once connected (noble + libsodium's open), and with the
 * pure-JS ones alone (a browser without WebAssembly), side by side.
 */
import { availableParallelism } from 'node:os';
import {
  installSymmetricPrimitives,
  noblePrimitives,
  type SymmetricPrimitives,
  symmetricPrimitives,
} from '../../shared/crypto/primitives';
import { withSodiumOpen } from '../../shared/crypto/sodium-open';
import { GroupLog, type IngestReport } from '../../shared/ledger/group-log';
import { WorkerPreparer } from '../../sync-server/worker-preparer';
import { atLeast, type BenchSuite, ratePerSecond } from '../harness';
import { makeSignedHistory, shuffled } from '../fixtures';

/** Best of several runs: on a shared VM a single slow moment otherwise decides the figure. */
const BATCH_RUNS = 7;
const SINGLE_RUNS = 4;

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

    const batchedWith = async (primitives: SymmetricPrimitives) => {
      const installed = symmetricPrimitives();
      installSymmetricPrimitives(primitives);
      try {
        return await ratePerSecond(n, quick ? 1 : BATCH_RUNS, async () => {
          const report = await new GroupLog(options).ingest(arrival);
          if (report.accepted.length !== n) throw new Error(`batch accepted ${report.accepted.length}/${n}`);
        });
      } finally {
        installSymmetricPrimitives(installed);
      }
    };
    const primitives = symmetricPrimitives().name;
    const portable = await batchedWith(noblePrimitives);
    const browser = await batchedWith(await withSodiumOpen(noblePrimitives));
    const batched = await batchedWith(symmetricPrimitives());
    // The same with hashing and opening spread over worker threads (one per core).
    const pool = new WorkerPreparer({ minBatch: 1 });
    let pooled: number;
    try {
      const log = () => new GroupLog({ ...options, preparer: pool });
      await pool.whenReady();
      await log().ingest(arrival); // a first batch, so the workers' code is compiled
      const before = pool.batchesPrepared;
      const runs = quick ? 1 : BATCH_RUNS;
      pooled = await ratePerSecond(n, runs, async () => {
        const report = await log().ingest(arrival);
        if (report.accepted.length !== n) throw new Error(`pooled accepted ${report.accepted.length}/${n}`);
      });
      // Every timed batch went through the workers (none was declined and done in place).
      if (pool.batchesPrepared - before !== runs)
        throw new Error('the worker pool did not prepare every batch');
    } finally {
      await pool.close();
    }
    // Live entries, in arrival order, handed to the log the way the sync layer delivers them: as
    // they come, without waiting for the previous verdict. Each is still checked on its own
    // signature (no chain-tip shortcut), which the signature count proves.
    const inOrder = history.entries.map((e) => e.bytes);
    const single = await ratePerSecond(n, quick ? 1 : SINGLE_RUNS, async () => {
      const log = new GroupLog(options);
      const reports: IngestReport[] = await Promise.all(inOrder.map((bytes) => log.add(bytes)));
      let verified = 0;
      for (const report of reports) {
        if (report.accepted.length !== 1) throw new Error('single add refused a valid entry');
        verified += report.signaturesVerified;
      }
      if (verified !== n) throw new Error(`single adds verified ${verified} signatures for ${n} entries`);
    });
    return [
      {
        name: 'ingest.per_s',
        value: batched,
        unit: 'entries/s',
        baseline: { name: 'ingest.single.per_s', value: single, unit: 'entries/s' },
        ...atLeast(batched, 50_000),
        note: `${primitives} primitives (SHA-256: OpenSSL; bodies opened by libsodium)`,
      },
      {
        name: 'ingest.portable.per_s',
        value: portable,
        unit: 'entries/s',
        baseline: { name: `ingest.per_s (${primitives} primitives)`, value: batched, unit: 'entries/s' },
        note: 'pure-JS (noble) SHA-256 and XChaCha20-Poly1305: a browser without WebAssembly',
      },
      {
        name: 'ingest.browser.per_s',
        value: browser,
        unit: 'entries/s',
        baseline: { name: 'ingest.portable.per_s', value: portable, unit: 'entries/s' },
        note: "noble SHA-256, libsodium's XChaCha20-Poly1305 open: the app's renderer once connected",
      },
      {
        name: 'ingest.workers.per_s',
        value: pooled,
        unit: 'entries/s',
        baseline: { name: 'ingest.per_s (one thread)', value: batched, unit: 'entries/s' },
        note: `hashing, decrypting and schema-checking on ${availableParallelism()} worker threads, placing in this one (sync-server/worker-preparer.ts)`,
      },
      {
        name: 'ingest.single.per_s',
        value: single,
        unit: 'entries/s',
        ...atLeast(single, 15_000),
        // Context for the figure: it cannot pass the machine's batched verify rate (crypto suite).
        note: 'one Ed25519 verify per entry: bounded by verify.webcrypto.batched.per_s on this machine',
      },
    ];
  },
};
