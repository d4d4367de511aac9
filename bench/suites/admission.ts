/**
 * The relay's admission (sync-server/room-admission.ts), side by side with applying the same
 * updates to a room's Y.Doc with no checks at all:
 *  - bulk: a device uploading a 10k-entry history from 4 authors in one update (chain-tip rule:
 *    about one signature per author);
 *  - live: 2k entries arriving one update each, in order, each needing its own signature.
 * One thread drives it; the relay admits a room's updates one after the other, so neither
 * figure overlaps two updates.
 */
import * as Y from 'yjs';
import { DEFAULT_LIMITS } from '../../sync-server/config';
import { AdmissionCounters } from '../../sync-server/metrics';
import { RoomAdmission } from '../../sync-server/room-admission';
import { makeSignedHistory } from '../fixtures';
import { atLeast, type BenchSuite, ratePerSecond } from '../harness';

const RUNS = 5;
const ORIGIN = 'bench-connection';

/** The update a device sends with these entries written in one transaction. */
function bulkUpdate(entries: ReadonlyArray<{ id: string; bytes: Uint8Array }>): Uint8Array {
  const doc = new Y.Doc();
  const map = doc.getMap<Uint8Array>('entries');
  doc.transact(() => {
    for (const e of entries) map.set(e.id, e.bytes);
  });
  return Y.encodeStateAsUpdate(doc);
}

/** One update per entry, as a device writing them live sends them. */
function liveUpdates(entries: ReadonlyArray<{ id: string; bytes: Uint8Array }>): Uint8Array[] {
  const doc = new Y.Doc();
  const map = doc.getMap<Uint8Array>('entries');
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  for (const e of entries) map.set(e.id, e.bytes);
  return out;
}

async function admitAll(groupId: string, updates: readonly Uint8Array[], expected: number) {
  const counters = new AdmissionCounters();
  const doc = new Y.Doc();
  const { admission } = await RoomAdmission.open(groupId, doc, DEFAULT_LIMITS, counters);
  for (const update of updates) {
    const { refusal } = await admission.admit(update, ORIGIN);
    if (refusal !== null) throw new Error(`admission refused: ${refusal.text}`);
  }
  if (admission.size !== expected) throw new Error(`admitted ${admission.size}/${expected}`);
  return counters;
}

/** The baseline: what any relay does with an update (apply it, encode what changed to store and forward). */
function applyAll(updates: readonly Uint8Array[], expected: number): void {
  const doc = new Y.Doc();
  doc.on('update', () => {});
  for (const update of updates) Y.applyUpdate(doc, update, ORIGIN);
  if (doc.getMap('entries').size !== expected) throw new Error('plain apply lost entries');
}

export const admissionSuite: BenchSuite = {
  name: 'admission',
  async run({ quick }) {
    const n = quick ? 400 : 10_000;
    const live = quick ? 100 : 2_000;
    const authors = 4;
    const runs = quick ? 1 : RUNS;
    const history = await makeSignedHistory(n, authors, 13);
    const bulk = [bulkUpdate(history.entries)];
    const singles = liveUpdates(history.entries.slice(0, live));

    let bulkVerified = 0;
    const ours = await ratePerSecond(n, runs, async () => {
      bulkVerified = (await admitAll(history.groupId, bulk, n)).signaturesVerified;
    });
    const plain = await ratePerSecond(n, runs, () => applyAll(bulk, n));
    let liveVerified = 0;
    const oursLive = await ratePerSecond(live, runs, async () => {
      liveVerified = (await admitAll(history.groupId, singles, live)).signaturesVerified;
    });
    const plainLive = await ratePerSecond(live, runs, () => applyAll(singles, live));
    if (liveVerified !== live)
      throw new Error(`live entries verified ${liveVerified} signatures, not ${live}`);

    return [
      {
        name: 'relay.admit.per_s',
        value: ours,
        unit: 'entries/s',
        baseline: {
          name: 'relay.admit.plain.per_s (Y.applyUpdate, no checks)',
          value: plain,
          unit: 'entries/s',
        },
        ...atLeast(ours, 10_000),
        note: `one ${n}-entry update from ${authors} authors: header, group, id and ${bulkVerified} signature checks (chain tips), applied and reviewed in one transaction`,
      },
      {
        name: 'relay.admit.live.per_s',
        value: oursLive,
        unit: 'entries/s',
        baseline: { name: 'relay.admit.live.plain.per_s', value: plainLive, unit: 'entries/s' },
        note: `${live} one-entry updates admitted in arrival order, each with its own signature check (${liveVerified} verified)`,
      },
    ];
  },
};
