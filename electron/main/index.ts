// Electron main-process entry: everything lives in ./app so it can be tested with electron mocked.
import { app } from 'electron';
import { startDesktopApp } from './app';

startDesktopApp().catch((e: unknown) => {
  console.error('[tally] Startup failed:', e);
  app.exit(1);
});
