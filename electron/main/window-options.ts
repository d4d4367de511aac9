import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsExtras {
  /** DevTools only while developing; a packaged wallet keeps them closed. */
  devTools?: boolean;
}

/**
 * Options for the one app window. Every webPreferences value that matters for security is
 * spelled out, even where it equals Electron's default, so a future default change or a
 * careless edit shows up in review and in window-options.test.ts.
 */
export function createWindowOptions(
  preloadPath: string,
  extras: WindowOptionsExtras = {},
): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 520,
    title: 'Tally',
    // Shown on 'ready-to-show' so the user never sees an empty white frame.
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // On Windows and Linux the spellchecker fetches dictionaries from a Google CDN: an
      // offline-first wallet makes no network requests the user did not ask for.
      spellcheck: false,
      devTools: extras.devTools ?? false,
    },
  };
}
