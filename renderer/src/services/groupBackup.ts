/** Backups of one group: export every accepted entry as signed, restore through the network path. */
import type { GroupId } from '../../../shared/ledger/types';
import type { GroupSync } from '../../../shared/sync/group-sync';
import { loadSyncKit } from './syncKitLoader';

export interface RestoreReport {
  readonly added: number;
  readonly skipped: number;
  readonly rejected: number;
}

/** Entries per restore step: small enough to show progress, large enough to verify in batches. */
const RESTORE_CHUNK = 500;

/** JSON backup of every accepted entry, as signed (shared/statement/backup.ts). */
export async function exportBackupOf(
  groupId: GroupId,
  sync: GroupSync,
  onProgress: (done: number, total: number) => void,
): Promise<string> {
  // Loaded on first use: backups are not needed to show a group.
  const { exportBackup } = await import('../../../shared/statement/backup');
  await sync.whenIdle();
  const entries = sync.entries();
  const json = exportBackup(
    groupId,
    entries.map((e) => e.bytes),
  );
  onProgress(entries.length, entries.length);
  return json;
}

/**
 * Restores a backup into an open group. The file is verified as a whole first (all or nothing);
 * its entries then enter through the same path as the network's, in chunks, so the group
 * verifier, the store and the relay all see them like any other arrival.
 */
export async function restoreBackup(
  target: { readonly groupId: GroupId; readonly groupKey: Uint8Array; readonly sync: GroupSync },
  text: string,
  onProgress: (done: number, total: number) => void,
): Promise<RestoreReport> {
  const { groupId, groupKey, sync } = target;
  const [{ importBackup }, { Y, ENTRIES_MAP }] = await Promise.all([
    import('../../../shared/statement/backup'),
    loadSyncKit(),
  ]);
  const parsed = await importBackup(text, { groupId, groupKey, keyOpener: sync.keys.opener });
  if (!parsed.ok) throw parsed.error;
  const all = parsed.value.log.entries();
  const known = new Set(sync.entries().map((e) => e.id));
  const fresh = all.filter((e) => !known.has(e.id));
  const rejectedBefore = sync.snapshot.rejected + sync.snapshot.forks;
  onProgress(0, fresh.length);
  for (let i = 0; i < fresh.length; i += RESTORE_CHUNK) {
    const chunk = fresh.slice(i, i + RESTORE_CHUNK);
    // A remote-origin update: GroupSync verifies and stores what arrives this way.
    const carrier = new Y.Doc();
    const map = carrier.getMap(ENTRIES_MAP);
    carrier.transact(() => {
      for (const e of chunk) map.set(e.id, e.bytes);
    });
    Y.applyUpdate(sync.doc, Y.encodeStateAsUpdate(carrier), 'backup');
    carrier.destroy();
    await sync.whenIdle();
    onProgress(Math.min(i + RESTORE_CHUNK, fresh.length), fresh.length);
  }
  const rejected = sync.snapshot.rejected + sync.snapshot.forks - rejectedBefore;
  return { added: fresh.length - rejected, skipped: all.length - fresh.length, rejected };
}
