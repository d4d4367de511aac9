import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ServicesProvider } from './hooks';
import { initI18n } from './i18n';
import { preloadDeferredCode } from './screens/lazy';
import { defaultPrefs, PrefsStore } from './services/prefs';
import { browserDeps } from './services/browserDeps';
import { WalletService } from './services/wallet';
import './styles.css';

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

const wallet = new WalletService(prefs, browserDeps());
// Once the first screen is up, fetch the split-out screens so they work offline later.
void wallet.start().finally(() => setTimeout(preloadDeferredCode, 0));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ServicesProvider value={{ wallet, prefs }}>
      <App />
    </ServicesProvider>
  </StrictMode>,
);
