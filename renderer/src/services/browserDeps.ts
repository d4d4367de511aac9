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

export function browserDeps(): WalletDeps {
  return {
    openStore: () => new DexieStore().open(),
    transport: (relayUrl) => websocketTransport(relayUrl, { maxBackoffTime: 5000 }),
    configuredRelay: fetchConfiguredRelay,
    protectSecret,
    unprotectSecret,
    secretProtection,
    notify,
    now: () => Date.now(),
    fallbackRelay: fallbackRelay(),
  };
}
