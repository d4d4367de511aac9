import { describe, expect, it } from 'vitest';
import { createWindowOptions } from './window-options';

// Items of Electron's security checklist (docs/tutorial/security.md) that live in webPreferences.
describe('createWindowOptions', () => {
  const prefs = createWindowOptions('/app/out/preload/index.cjs').webPreferences!;

  it('uses the given preload script', () => {
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
  });

  it('isolates the page: context isolation and the OS sandbox are on', () => {
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
  });

  it('gives page, workers and subframes no Node.js', () => {
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and insecure content off', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });

  it('enables no experimental or extra Blink features and no <webview>', () => {
    expect(prefs.experimentalFeatures).toBe(false);
    expect(prefs.enableBlinkFeatures ?? '').toBe('');
    expect(prefs.webviewTag).toBe(false);
  });

  it('does not navigate to files dropped on the window', () => {
    expect(prefs.navigateOnDragDrop).toBe(false);
  });

  it('makes no background network requests (spellchecker dictionaries)', () => {
    expect(prefs.spellcheck).toBe(false);
  });

  it('closes DevTools unless asked for (development)', () => {
    expect(prefs.devTools).toBe(false);
    expect(createWindowOptions('/p', { devTools: true }).webPreferences!.devTools).toBe(true);
  });

  it('starts hidden so the first paint is the app, not a blank frame', () => {
    expect(createWindowOptions('/p').show).toBe(false);
  });
});
