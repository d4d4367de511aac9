/**
 * The app's identity for the OS: electron-builder's `appId` (electron-builder.yml) and, on
 * Windows, the AppUserModelID its installer gives the shortcuts. packaging.test.ts keeps them equal.
 */
export const APP_ID = 'app.tally.wallet';
