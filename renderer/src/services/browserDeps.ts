/** The WalletService's surroundings in a browser or in Electron's renderer. */
import { AtRestService } from './atRest';
import { installFastOpen } from './fastOpen';
import { browserIdleGate } from './idleGate';
import { desktopKeychain } from './keychain';
import {
  desktopLan,
  fetchConfiguredRelay,
  notify,
  protectSecret,
  secretProtection,
  unprotectSecret,
} from './platform';
import type { WalletDeps } from './wallet';

/** Where a relay usually runs during development: the same host as the app, default relay port. */
function fallbackRelay(): string {
  const host = typeof location !== 'undefined' && location.hostname ? location.hostname : '127.0.0.1';
  const secure = typeof location !== 'undefined' && location.protocol === 'https:';
  return `${secure ? 'wss' : 'ws'}://${host.includes(':') ? `[${host}]` : host}:1234`;
}

/**
 * `writerLock`: the page's writer lock, requested by main.tsx as the page started (boot/writerLock.ts).
 * `atRest`: encryption at rest (services/atRest.ts); the store opens sealed through it.
 */
export function browserDeps(
  writerLock: Promise<boolean>,
  atRest: AtRestService = new AtRestService({ keychain: desktopKeychain(), fastCrypto: installFastOpen }),
): WalletDeps {
  const gate = browserIdleGate();
  const lan = desktopLan();
  return {
    openStore: () => atRest.openStore(),
    // y-websocket and the fast body cipher are fetched with the first group that connects, not
    // before the first screen.
    transport: async (relayUrl) => {
      const [{ websocketTransport }] = await Promise.all([
        import('../../../shared/sync/websocket-transport'),
        installFastOpen(),
      ]);
      return websocketTransport(relayUrl, { maxBackoffTime: 5000 });
    },
    configuredRelay: fetchConfiguredRelay,
    protectSecret,
    unprotectSecret,
    secretProtection,
    notify,
    acquireWriterLock: () => writerLock,
    idle: () => gate.wait(),
    fastCrypto: installFastOpen,
    now: () => Date.now(),
    fallbackRelay: fallbackRelay(),
    ...(lan ? { lan } : {}),
  };
}
