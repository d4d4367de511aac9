/**
 * The page's entry, kept tiny: it starts what the first screen waits for (the writer lock and
 * reading the groups from IndexedDB, boot/*) and only then fetches the app (start.tsx), so
 * they overlap with hundreds of kilobytes of code downloading and starting.
 */
import { prefetchFirstLook } from './boot/prefetch';
import { likelyLanguages, warmUpLocales } from './boot/warmUp';
import { acquireWriterLock } from './boot/writerLock';
import './styles.css';

const writerLock = acquireWriterLock();
const firstLook = prefetchFirstLook();
const app = import('./start');
setTimeout(() => {
  const storage = (() => {
    try {
      return window.localStorage;
    } catch {
      return undefined;
    }
  })();
  warmUpLocales(likelyLanguages(storage, navigator.languages ?? [navigator.language]));
}, 0);
app
  .then(({ startApp }) => startApp({ writerLock, firstLook }))
  .catch((error: unknown) => {
    console.error(error);
    const root = document.getElementById('root');
    if (root)
      root.textContent = `Tally could not start: ${error instanceof Error ? error.message : String(error)}`;
  });
