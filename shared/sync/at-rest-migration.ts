/**
 * Sealing an existing installation's plain rows in place, on the first start with encryption at
 * rest (dexie-at-rest.ts). Table by table, in batches of rows in primary-key order: each batch is
 * one read-write transaction that rewrites its rows (the middleware seals them) and records how
 * far the table got in the `vault` table. A crash or power cut mid-way therefore leaves every row
 * either as it was or sealed, never neither, and the next start carries on after the last batch
 * that committed. Reads take both kinds of row meanwhile; once a table is done, a plain row in it
 * is refused (`AtRestKeyring.markSealed`): nothing writes one any more.
 */
import type { default as Dexie, IndexableType } from 'dexie';
import { type AtRestKeyring, SEALED_FIELDS } from './dexie-at-rest';

export const SEAL_BATCH = 500;
const VAULT = 'vault';

/** The vault row of a table's progress. */
export interface SealProgressRow {
  readonly id: string;
  /** Primary key of the last row sealed; absent before the first batch. */
  readonly after?: unknown;
  readonly done: boolean;
}

export function progressId(table: string): string {
  return `seal:${table}`;
}

export interface SealOptions {
  readonly batchSize?: number;
  /** Called inside each batch's transaction after its rows are written (tests crash here). */
  readonly onBatch?: (table: string, rows: number) => void;
}

/**
 * Seals every plain row of the sealed tables and marks each table done on the keyring.
 * Idempotent: tables already done are skipped. Needs the keyring unlocked.
 * Returns how many rows it rewrote.
 */
export async function sealExistingRows(
  db: Dexie,
  keyring: AtRestKeyring,
  options: SealOptions = {},
): Promise<number> {
  const batchSize = options.batchSize ?? SEAL_BATCH;
  let rewritten = 0;
  for (const name of Object.keys(SEALED_FIELDS)) {
    if (!db.tables.some((t) => t.name === name)) continue;
    const table = db.table(name);
    const vault = db.table<SealProgressRow, string>(VAULT);
    let progress = await vault.get(progressId(name));
    while (!progress?.done) {
      const from = progress?.after as IndexableType | undefined;
      progress = await db.transaction('rw', [table, vault], async () => {
        const batch = from === undefined ? table.toCollection() : table.where(':id').above(from);
        const keys = await batch.limit(batchSize).primaryKeys();
        if (keys.length === 0) {
          const done: SealProgressRow = { id: progressId(name), done: true };
          await vault.put(done);
          return done;
        }
        // Read through the middleware (plain or sealed), written back sealed.
        const rows = await table.bulkGet(keys);
        await table.bulkPut(rows.filter((r) => r !== undefined));
        rewritten += keys.length;
        options.onBatch?.(name, keys.length);
        const next: SealProgressRow = { id: progressId(name), after: keys[keys.length - 1], done: false };
        await vault.put(next);
        return next;
      });
    }
    keyring.markSealed(name);
  }
  return rewritten;
}
