/**
 * The single-writer lock of this browser profile: a Web Lock held for the page's lifetime. Two
 * tabs writing as the same identity would give two entries the same seq, a fork that costs the
 * member their history. Requested by main.tsx as the page starts, while the app's code loads.
 */

const LOCK_NAME = 'tally-wallet-writer';

function tryLock(locks: LockManager): Promise<boolean> {
  return new Promise((resolve) => {
    void locks.request(LOCK_NAME, { ifAvailable: true }, (lock) => {
      resolve(lock !== null);
      // Keep the lock until the page goes away.
      return lock ? new Promise<void>(() => undefined) : undefined;
    });
  });
}

/**
 * Resolves true once this page holds the lock, false when another tab or window keeps it.
 * Retries for a moment first: on a reload the previous page may still be letting go of it.
 * Without the API (old browsers) there is no guard.
 */
export async function acquireWriterLock(): Promise<boolean> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return true;
  for (let attempt = 0; attempt < 10; attempt++) {
    if (await tryLock(locks)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}
