/**
 * The optional wipe after too many wrong passcodes (a setting, off by default): deletes this
 * device's database and the app's local entries, then restarts the page on the first-run screen.
 * The groups live on in the other members' devices and on the relay.
 */

/** The app's IndexedDB database (shared/sync/dexie-store.ts's default name). */
export const DATABASE_NAME = 'tally';

export interface WipeDeps {
  readonly indexedDB?: Pick<IDBFactory, 'deleteDatabase'>;
  readonly storage?: Pick<Storage, 'length' | 'key' | 'removeItem'>;
  readonly reload?: () => void;
}

/** Resolves once the database is gone (Dexie closes its connection when asked to). */
export function deleteDatabase(factory: Pick<IDBFactory, 'deleteDatabase'>, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error('the database could not be deleted'));
    // "blocked": another tab holds it open; the delete completes once it closes.
  });
}

export async function wipeDevice(deps: WipeDeps = {}): Promise<void> {
  const factory = deps.indexedDB ?? globalThis.indexedDB;
  const storage = deps.storage ?? globalThis.localStorage;
  if (factory) await deleteDatabase(factory, DATABASE_NAME);
  if (storage) {
    const keys: string[] = [];
    for (let i = 0; i < storage.length; i++) {
      const key = storage.key(i);
      // Preferences (language, theme) may stay: they say nothing about the groups.
      if (key?.startsWith('tally.') && key !== 'tally.prefs.v1') keys.push(key);
    }
    for (const key of keys) storage.removeItem(key);
  }
  (deps.reload ?? (() => globalThis.location?.reload()))();
}
