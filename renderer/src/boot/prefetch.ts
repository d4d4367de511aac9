/**
 * The start-up prefetch: reads what the first screen needs (services/firstLook.ts) straight
 * from IndexedDB, in one read-only transaction, while the app's code is still downloading. It
 * is the first thing the page runs (main.tsx), so it imports nothing but types and the view
 * decoder (services/viewRows.ts, itself free of the app's other modules): the views are decoded
 * here too, while the code loads.
 *
 * It reads the database the app's DexieStore keeps (shared/sync/dexie-schema.ts: Dexie names
 * each object store after its table and each index after its key path) and never writes: it
 * does not create a missing database, and it gives up (null) on anything it does not expect,
 * such as a database from before schema version 4, or rows sealed at rest. The app then reads
 * through the store as usual. Reading before the writer lock is taken is safe: the result is only a first picture,
 * replaced by each group's sync once it has loaded the group's entries.
 */
import { toHex } from '../lib/hex';
import type { ViewRow } from '../../../shared/sync/dexie-schema';
import type { AuthorHead, GroupRecord, IdentityRecord } from '../../../shared/sync/store';
import type { FirstLook, GroupFirstLook } from '../services/firstLook';
import { decodeView } from '../services/viewRows';

const DB_NAME = 'tally';
/** shared/sync/dexie-at-rest.ts's SEALED, spelled out: this module imports no app code. */
const SEALED = '$sealed';
const STORES = ['identity', 'settings', 'groups', 'entries', 'heads', 'views'];
const ARRIVALS = '[groupId+status+receivedAt]';
const MY_ARRIVALS = '[groupId+author+status+receivedAt]';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Opens the existing database at its current version, or resolves null (nothing is created). */
function openExisting(factory: IDBFactory, name: string): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    const req = factory.open(name);
    req.onupgradeneeded = () => {
      // No database yet: abort, so none is created behind the store's back.
      req.transaction?.abort();
    };
    req.onsuccess = () => {
      const db = req.result;
      // Let the store upgrade the schema later without waiting for this connection.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    req.onerror = () => resolve(null);
    req.onblocked = () => resolve(null);
  });
}

/** The first look, read from IndexedDB; null when the database is missing or not what is expected. */
export async function readFirstLookFromIndexedDB(
  factory: IDBFactory,
  keyRange: typeof IDBKeyRange,
  name: string = DB_NAME,
): Promise<FirstLook | null> {
  const db = await openExisting(factory, name);
  if (!db) return null;
  try {
    if (!STORES.every((s) => db.objectStoreNames.contains(s))) return null;
    const tx = db.transaction(STORES, 'readonly');
    const entries = tx.objectStore('entries');
    if (!entries.indexNames.contains(ARRIVALS) || !entries.indexNames.contains(MY_ARRIVALS)) return null;
    const [identityRow, nameRow, records, views] = await Promise.all([
      request(tx.objectStore('identity').get('self')) as Promise<
        (IdentityRecord & { key: string }) | undefined
      >,
      request(tx.objectStore('settings').get('displayName')) as Promise<{ value: unknown } | undefined>,
      request(tx.objectStore('groups').index('createdAt').getAll()) as Promise<GroupRecord[]>,
      request(tx.objectStore('views').getAll()) as Promise<ViewRow[]>,
    ]);
    // Rows sealed at rest (shared/sync/dexie-at-rest.ts) need the device key, which this early
    // reader does not have: the store reads them once the key is unlocked.
    const sealed = (row: unknown) => typeof row === 'object' && row !== null && SEALED in row;
    if ([identityRow, nameRow, ...records, ...views].some(sealed)) return null;
    let identity: IdentityRecord | undefined;
    if (identityRow) {
      const { key: _key, ...rest } = identityRow;
      identity = rest;
    }
    // A linked device writes as its person (protocol §16).
    const me = identity ? (identity.certificate?.person ?? toHex(identity.publicKey)) : undefined;
    const viewOf = new Map(views.map((v) => [v.groupId, v]));
    const heads = tx.objectStore('heads').index('groupId');
    const groups = await Promise.all(
      records.map(async (record): Promise<GroupFirstLook> => {
        const g = record.id;
        const since = record.lastSeenAt;
        // Dexie.maxKey: an array sorts after every number, so [] closes the receivedAt range.
        const [count, groupHeads, arrivals, mine] = await Promise.all([
          request(entries.index('groupId').count(g)),
          request(heads.getAll(g)) as Promise<AuthorHead[]>,
          request(
            entries.index(ARRIVALS).count(keyRange.bound([g, 'applied', since], [g, 'applied', []], true)),
          ),
          me === undefined
            ? Promise.resolve(0)
            : request(
                entries
                  .index(MY_ARRIVALS)
                  .count(keyRange.bound([g, me, 'applied', since], [g, me, 'applied', []], true)),
              ),
        ]);
        return {
          record,
          view: decodeView(g, viewOf.get(g), count, groupHeads),
          unseen: me === undefined ? undefined : arrivals - mine,
        };
      }),
    );
    const displayName = typeof nameRow?.value === 'string' ? nameRow.value : undefined;
    return { identity, displayName, groups };
  } finally {
    db.close();
  }
}

/** Starts the prefetch in this page (null where there is no IndexedDB or it fails). */
export function prefetchFirstLook(): Promise<FirstLook | null> {
  if (typeof indexedDB === 'undefined' || typeof IDBKeyRange === 'undefined') return Promise.resolve(null);
  return readFirstLookFromIndexedDB(indexedDB, IDBKeyRange).catch(() => null);
}
