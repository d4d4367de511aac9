/**
 * The app proper, loaded by main.tsx once the start-up prefetch is under way: preferences,
 * translations, the wallet service and the React root.
 */
import { reportPendingWrites } from './services/pendingWrites';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { LockGate } from './components/LockGate';
import { SpendGuardProvider } from './components/SpendGuard';
import { disableFormHistory } from './boot/noFormHistory';
import { ServicesProvider } from './hooks';
import { i18next, initI18n } from './i18n';
import { preloadDeferredCode } from './screens/lazy';
import { defaultPrefs, PrefsStore } from './services/prefs';
import { AppLockService } from './services/appLock';
import { AtRestService } from './services/atRest';
import { browserDeps } from './services/browserDeps';
import { installFastOpen } from './services/fastOpen';
import { desktopKeychain } from './services/keychain';
import { discreetNotify, noticeCenter } from './services/noticeCenter';
import { reminderCenter } from './services/reminderCenter';
import { bridge, desktopBiometrics, notify } from './services/platform';
import { wipeDevice } from './services/wipe';
import { WalletService } from './services/wallet';
import type { FirstLook } from './services/firstLook';

/** What main.tsx started before this code arrived. */
export interface Boot {
  readonly writerLock: Promise<boolean>;
  readonly firstLook: Promise<FirstLook | null>;
}

export function startApp({ writerLock, firstLook }: Boot): void {
  const prefs = new PrefsStore(
    window.localStorage,
    defaultPrefs(
      navigator.languages ?? [navigator.language],
      window.matchMedia?.('(prefers-color-scheme: dark)').matches,
    ),
  );
  document.documentElement.dataset.theme = prefs.get().theme;
  document.documentElement.lang = prefs.get().language;
  initI18n(prefs.get().language);

  const atRest = new AtRestService({ keychain: desktopKeychain(), fastCrypto: installFastOpen });
  const storage = (() => {
    try {
      return window.localStorage;
    } catch {
      return undefined;
    }
  })();
  const appLock = new AppLockService(atRest, {
    storage,
    wipeAfter: () => prefs.get().wipeAfter,
    wipe: () => wipeDevice(),
    biometrics: desktopBiometrics(),
  });
  // Notifications say nothing while the app is locked, unless the person allowed it.
  const noticeDeps = {
    prefs: prefs.get,
    isLocked: () => appLock.getSnapshot().locked,
    t: (key: string, values?: Record<string, string | number>) => i18next.t(key, values ?? {}),
  };
  const wallet = new WalletService(prefs, {
    ...browserDeps(writerLock, atRest),
    notify: discreetNotify(notify, noticeDeps),
    notices: noticeCenter({ ...noticeDeps, notify }),
    reminders: reminderCenter({
      ...noticeDeps,
      storage,
      notify: (title, body, target) => notify(title, body, target, { evenWhenFocused: true }),
    }),
    firstLook,
  });
  // The desktop installs an update only while no write is under way (electron/main/updater.ts).
  const desktop = bridge();
  if (desktop?.reportPendingWrites) {
    reportPendingWrites(
      () => wallet.pendingWrites(),
      (n) => void desktop.reportPendingWrites(n).catch(() => undefined),
    );
  }
  // Once the first screen is up, fetch the split-out screens so they work offline later.
  void wallet.start().finally(() => setTimeout(preloadDeferredCode, 0));

  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  // Nothing typed may land in the browser's form history (docs/threat-model.md).
  disableFormHistory(root);
  const reactRoot = createRoot(root);
  let rendered = false;
  /**
   * The first render waits for the wallet to know what to show (usually a few hundred ms): React's
   * first render would otherwise compete with reading the store, only to show "Loading…". A slow
   * start still shows it after a moment.
   */
  function renderApp(): void {
    if (rendered) return;
    rendered = true;
    reactRoot.render(
      <StrictMode>
        <ServicesProvider value={{ wallet, prefs, atRest, appLock }}>
          <LockGate>
            <SpendGuardProvider>
              <App />
            </SpendGuardProvider>
          </LockGate>
        </ServicesProvider>
      </StrictMode>,
    );
  }
  const stopWaiting = wallet.subscribe(() => {
    if (wallet.getSnapshot().phase === 'loading') return;
    stopWaiting();
    renderApp();
  });
  setTimeout(renderApp, 400);
}
