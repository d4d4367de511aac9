/** The WalletService's surroundings in a browser or in Electron's renderer. */
import { DexieStore } from '../../../shared/sync/dexie-store';
import { websocketTransport } from '../../../shared/sync/websocket-transport';
import { fetchConfiguredRelay, notify, protectSecret, secretProtection, unprotectSecret } from './platform';
import type { WalletDeps } from './wallet';

/** Where a relay usually runs during development: the same host as the app, default relay port. */
function fallbackRelay(): string {
  const host = typeof location !== 'undefined' && location.hostname ? location.hostname : '127.0.0.1';
  const secure = typeof location !== 'undefined' && location.protocol === 'https:';
  return `${secure ? 'wss' : 'ws'}://${host.includes(':') ? `[${host}]` : host}:1234`;
}

function tryLock(locks: LockManager): Promise<boolean> {
  return new Promise((resolve) => {
    void locks.request('tally-wallet-writer', { ifAvailable: true }, (lock) => {
      resolve(lock !== null);
      // Keep the lock until the page goes away.
      return lock ? new Promise<void>(() => undefined) : undefined;
    });
  });
}

/**
 * Holds a Web Lock for the page's lifetime; without the API (old browsers) there is no guard.
 * Retries for a moment first: on a reload the previous page may still be letting go of it.
 */
async function acquireWriterLock(): Promise<boolean> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return true;
  for (let attempt = 0; attempt < 10; attempt++) {
    if (await tryLock(locks)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

export function browserDeps(): WalletDeps {
  return {
    openStore: () => new DexieStore().open(),
    transport: (relayUrl) => websocketTransport(relayUrl, { maxBackoffTime: 5000 }),
    configuredRelay: fetchConfiguredRelay,
    protectSecret,
    unprotectSecret,
    secretProtection,
    notify,
    acquireWriterLock,
    now: () => Date.now(),
    fallbackRelay: fallbackRelay(),
  };
}
