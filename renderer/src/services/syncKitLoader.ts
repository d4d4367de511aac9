/** Loads the verifier, Yjs and crypto once, after the first screen (see syncKit.ts). */
type SyncKit = typeof import('./syncKit');

let syncKit: Promise<SyncKit> | undefined;

export function loadSyncKit(): Promise<SyncKit> {
  syncKit ??= import('./syncKit').catch((error: unknown) => {
    syncKit = undefined; // a failed fetch may be retried
    throw error;
  });
  return syncKit;
}
