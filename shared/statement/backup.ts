/**
 * JSON backup of a group's signed log:
 *   {"format":"tally-backup","version":1,"groupId":"…","exportedAt":"ISO-8601","entries":["<hex>",…]}
 * The entries are the envelopes exactly as signed, so a backup proves itself: importing runs
 * every entry through the same verifier as the network. The group key is NOT inside (a
 * backup file may be stored anywhere); restoring needs the key, from the device or the invite.
 */
import { z } from 'zod';
import { err, ok, type Result } from '../errors';
import { bytesToHex, hexToBytes } from '../crypto/hash';
import type { EntryErrorCode } from '../ledger/entry-errors';
import { entryIdOf, MAX_ENTRY_SIZE } from '../ledger/envelope';
import { GroupLog, type KeyOpener, type LoggedEntry } from '../ledger/group-log';
import type { GroupId } from '../ledger/types';

export const BACKUP_FORMAT = 'tally-backup';
export const BACKUP_VERSION = 1;

export type BackupErrorCode =
  | 'backup_malformed'
  | 'backup_unsupported_version'
  | 'backup_wrong_group'
  /** An entry failed verification; details: index, id, code (an EntryErrorCode). */
  | 'backup_entry_invalid';

export interface BackupFile {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: typeof BACKUP_VERSION;
  readonly groupId: GroupId;
  readonly exportedAt: string;
  readonly entries: readonly string[];
}

export interface ImportedBackup {
  readonly groupId: GroupId;
  readonly exportedAt: string;
  /** A fresh log holding exactly the backup's entries, all verified. */
  readonly log: GroupLog;
}

const header = z.object({ format: z.literal(BACKUP_FORMAT), version: z.number() });
const fileSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    version: z.literal(BACKUP_VERSION),
    groupId: z.string().regex(/^[0-9a-f]{32}$/, 'groupId must be 32 lower-case hex chars'),
    exportedAt: z.iso.datetime(),
    entries: z.array(
      z
        .string()
        .max(2 * MAX_ENTRY_SIZE, 'entry larger than 64 KiB')
        .regex(/^(?:[0-9a-f]{2})+$/, 'entries must be lower-case hex'),
    ),
  })
  .strict();

/** Serialises entries (as signed envelopes) of one group, one hex string per entry. */
export function exportBackup(
  groupId: GroupId,
  entries: Iterable<Uint8Array>,
  exportedAt: Date = new Date(),
): string {
  const file: BackupFile = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    groupId,
    exportedAt: exportedAt.toISOString(),
    entries: [...entries].map(bytesToHex),
  };
  return JSON.stringify(file, null, 2);
}

/**
 * Backs up every accepted entry of a log, fork evidence included, in total order.
 * Pending entries are left out: they wait for predecessors the log does not have.
 */
export function exportLogBackup(log: GroupLog, exportedAt?: Date): string {
  return exportBackup(
    log.groupId,
    log.entries().map((e: LoggedEntry) => e.bytes),
    exportedAt,
  );
}

/**
 * Parses and verifies a backup. All or nothing: if any entry fails, or waits for a
 * predecessor the backup lacks, the whole backup is refused with the entry named.
 * @throws WalletError `invalid_key` when the group key itself is not 32 bytes (a caller bug).
 */
export async function importBackup(
  json: string,
  {
    groupId,
    groupKey,
    keyOpener,
  }: {
    readonly groupId: GroupId;
    readonly groupKey: Uint8Array;
    /** Opens this device's epoch keys (docs/protocol.md §15): a rotated group's later entries. */
    readonly keyOpener?: KeyOpener;
  },
): Promise<Result<ImportedBackup, BackupErrorCode>> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return err('backup_malformed', 'the backup is not valid JSON');
  }
  const head = header.safeParse(raw);
  if (!head.success) return err('backup_malformed', 'this file is not a Tally backup');
  if (head.data.version !== BACKUP_VERSION) {
    return err('backup_unsupported_version', `backup version ${head.data.version} is not supported`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return err('backup_malformed', `the backup is malformed${where}: ${issue?.message ?? 'unknown problem'}`);
  }
  const file = parsed.data;
  if (file.groupId !== groupId) {
    return err('backup_wrong_group', `this backup belongs to group ${file.groupId}, not ${groupId}`);
  }

  const bytes = file.entries.map((hex) => hexToBytes(hex));
  const log = new GroupLog({
    groupId,
    groupKey,
    maxPending: Math.max(bytes.length, 1),
    ...(keyOpener ? { keyOpener } : {}),
  });
  const report = await log.ingest(bytes);
  // Name the earliest failing entry of the file (rejections found later carry no index).
  const failed = [...report.rejected].sort((a, b) => (a.index ?? Infinity) - (b.index ?? Infinity))[0];
  if (failed) return entryFailure(bytes, failed.code, failed.message, failed.id, failed.index);
  // A body none of this device's keys opens makes the file unusable (all or nothing).
  const unreadable = log.unreadableIds()[0];
  if (unreadable) {
    return entryFailure(
      bytes,
      'decrypt_failed',
      'body does not decrypt with this group key',
      unreadable,
      undefined,
    );
  }
  const waiting = log.pendingEntries()[0];
  if (waiting) {
    const { prev, lamport } = waiting.header;
    // An entry whose predecessor is there waits under the lamport rule (docs/protocol.md §7).
    const why =
      prev === null || log.get(prev)
        ? `its lamport ${lamport} leads the backup's other entries by more than the protocol allows`
        : `its predecessor ${prev} is missing from the backup`;
    return entryFailure(bytes, 'chain_broken', why, waiting.id, undefined);
  }
  return ok({ groupId, exportedAt: file.exportedAt, log });
}

function entryFailure(
  entries: readonly Uint8Array[],
  code: EntryErrorCode,
  message: string,
  id: string | undefined,
  index: number | undefined,
) {
  // Entries refused after waiting as pending carry no index: find them by id (failure path only).
  const at = index ?? (id === undefined ? -1 : entries.findIndex((b) => entryIdOf(b) === id));
  const name = `entry #${at}${id ? ` (${id.slice(0, 12)}…)` : ''}`;
  return err('backup_entry_invalid', `backup refused: ${name} failed verification (${code}): ${message}`, {
    index: at,
    id,
    code,
  });
}
