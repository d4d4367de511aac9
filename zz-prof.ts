import * as Y from 'yjs';
import { installNodePrimitives } from '/work/main/sync-server/node-primitives';
import { DEFAULT_LIMITS } from '/work/main/sync-server/config';
import { RoomAdmission } from '/work/main/sync-server/room-admission';
import { scanUpdate } from '/work/main/sync-server/update-values';
import { admitBatch } from '/work/main/shared/ledger/admission';
import { makeSignedHistory } from '/work/main/bench/fixtures';
await installNodePrimitives();
const h = await makeSignedHistory(10000, 4, 13);
const doc0 = new Y.Doc(); const m = doc0.getMap<Uint8Array>('entries');
doc0.transact(() => { for (const e of h.entries) m.set(e.id, e.bytes); });
const upd = Y.encodeStateAsUpdate(doc0);
const t = (name: string, f: () => unknown) => { const t0 = performance.now(); const r = f(); console.log(name, (performance.now() - t0).toFixed(1)); return r; };
for (let run = 0; run < 4; run++) {
  console.log('--- run', run);
  t('decodeUpdate', () => Y.decodeUpdate(upd));
  const scan = t('scan', () => scanUpdate(upd, 'entries', () => false)) as ReturnType<typeof scanUpdate>;
  let t0 = performance.now();
  await admitBatch(h.groupId, scan.binaries.map((value) => ({ value })));
  console.log('admitBatch', (performance.now() - t0).toFixed(1));
  t('applyUpdate', () => Y.applyUpdate(new Y.Doc(), upd));
  const doc = new Y.Doc();
  const { admission } = await RoomAdmission.open(h.groupId, doc, DEFAULT_LIMITS);
  t0 = performance.now();
  const checks = await admission.check(upd);
  console.log('check', (performance.now() - t0).toFixed(1));
  t('apply', () => admission.apply(upd, checks, 'x'));
}
