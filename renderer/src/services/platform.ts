/**
 * What the app needs from its host. In Electron the preload exposes `window.tally`
 * (electron/preload/api.ts); in a plain browser it is absent and these fall back to web APIs,
 * or to nothing where there is none.
 */
import type { LanStatus, TallyDesktopApi } from '../../../electron/preload/api';
import type { LanBridge } from './lanSync';

declare global {
  interface Window {
    tally?: TallyDesktopApi;
  }
}

export function bridge(): TallyDesktopApi | undefined {
  return typeof window !== 'undefined' ? window.tally : undefined;
}

export function isDesktop(): boolean {
  return bridge() !== undefined;
}

/** Saves a text file: the native dialog on desktop, a download in the browser. Resolves false if cancelled. */
export async function saveTextFile(
  defaultName: string,
  content: string,
  mime: string,
  ext: string,
): Promise<boolean> {
  const b = bridge();
  if (b) {
    const r = await b.saveFile({
      defaultName,
      content,
      filters: [{ name: ext.toUpperCase(), extensions: [ext] }],
    });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.saved;
  }
  downloadBlob(new Blob([content], { type: mime }), defaultName);
  return true;
}

/**
 * Saves binary content (a chart's PNG): through the desktop's own save dialog when the shell
 * has one (electron/preload/api.ts saveBinaryFile), else as a download. Resolves false if cancelled.
 */
export async function saveBinaryFile(defaultName: string, blob: Blob, ext: string): Promise<boolean> {
  const save = bridge()?.saveBinaryFile;
  if (save) {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    const r = await save({ defaultName, bytes, filters: [{ name: ext.toUpperCase(), extensions: [ext] }] });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.saved;
  }
  downloadBlob(blob, defaultName);
  return true;
}

/** Saves `blob` under `name` as a download. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking synchronously can cancel the download in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * Wraps the identity secret with the OS keychain when there is a real one. Returns the bytes to
 * store and whether they are wrapped; in a browser (or without a keychain) the secret is kept as is.
 */
export async function protectSecret(secret: Uint8Array): Promise<{ bytes: Uint8Array; wrapped: boolean }> {
  const b = bridge();
  if (b) {
    const status = await b.secretStatus();
    if (status.ok && status.value.secure) {
      const r = await b.protectSecret(toBase64(secret));
      if (r.ok) return { bytes: new TextEncoder().encode(r.value), wrapped: true };
    }
  }
  return { bytes: secret, wrapped: false };
}

export async function unprotectSecret(stored: Uint8Array): Promise<Uint8Array> {
  const b = bridge();
  if (!b)
    throw new Error('This identity is protected by the desktop app’s keychain and cannot be opened here.');
  const r = await b.unprotectSecret(new TextDecoder().decode(stored));
  if (!r.ok) throw new Error(r.error.message);
  return fromBase64(r.value);
}

/** Whether secrets on this device are protected by an OS keychain (false in a browser). */
export async function secretProtection(): Promise<boolean> {
  const b = bridge();
  if (!b) return false;
  const s = await b.secretStatus();
  return s.ok && s.value.secure;
}

/**
 * Shows a system notification when the window is not focused (live news is on screen already);
 * `evenWhenFocused` for what the screen may not show (a reminder of a recurring expense).
 */
export function notify(
  title: string,
  body: string,
  target?: string,
  opts: { readonly evenWhenFocused?: boolean } = {},
): void {
  if (!opts.evenWhenFocused && typeof document !== 'undefined' && document.hasFocus()) return;
  const b = bridge();
  if (b) {
    void b
      .notify({ title: title.slice(0, 120), body: body.slice(0, 1000), ...(target ? { target } : {}) })
      .catch(() => undefined);
    return;
  }
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    const n = new Notification(title, { body });
    if (target) {
      n.onclick = () => {
        window.focus();
        location.hash = target;
      };
    }
  }
}

/** A clicked desktop notification's app route (the browser's own are handled in `notify`). */
export function onNotificationClick(cb: (target: string) => void): () => void {
  return bridge()?.onNotificationClick?.(cb) ?? (() => undefined);
}

/** "Lock now" from the desktop: its menu item and shortcut, system sleep and the screen lock. */
export function onLockRequest(cb: () => void): () => void {
  return bridge()?.onLock?.(cb) ?? (() => undefined);
}

/** Touch ID through the desktop (macOS); undefined in a browser. */
export function desktopBiometrics():
  | { available(): Promise<boolean>; prompt(reason: string): Promise<boolean> }
  | undefined {
  const b = bridge();
  const available = b?.touchIdAvailable;
  const prompt = b?.promptTouchId;
  if (!available || !prompt) return undefined;
  return {
    available: async () => {
      const r = await available();
      return r.ok && r.value.available;
    },
    prompt: async (reason) => {
      const r = await prompt(reason.slice(0, 100));
      return r.ok && r.value.confirmed;
    },
  };
}

/** Asks for notification permission in the browser (must follow a user gesture). */
export async function enableBrowserNotifications(): Promise<boolean> {
  if (bridge()) return true;
  if (typeof Notification === 'undefined') return false;
  if (Notification.permission === 'granted') return true;
  return (await Notification.requestPermission()) === 'granted';
}

export function notificationsAvailable(): boolean {
  return bridge() !== undefined || typeof Notification !== 'undefined';
}

/** Invite links opened from outside (wallet:// deep links); a no-op in the browser. */
export function onInvite(cb: (link: string) => void): () => void {
  const b = bridge();
  return b ? b.onInvite(cb) : () => undefined;
}

/** The relay this installation is configured with: the desktop's relay, or the web host's `config.json`. */
export async function fetchConfiguredRelay(): Promise<string | undefined> {
  const b = bridge();
  if (b) {
    const r = await b.relayInfo().catch(() => undefined);
    if (r?.ok) return r.value.url;
    return undefined;
  }
  if (
    typeof fetch === 'undefined' ||
    typeof location === 'undefined' ||
    !location.protocol.startsWith('http')
  ) {
    return undefined;
  }
  try {
    const res = await fetch('./config.json', { cache: 'no-store' });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { relayUrl?: unknown };
    return typeof body.relayUrl === 'string' && body.relayUrl ? body.relayUrl : undefined;
  } catch {
    return undefined;
  }
}

export async function appVersion(): Promise<string | undefined> {
  const b = bridge();
  if (!b) return undefined;
  const r = await b.version().catch(() => undefined);
  return r?.ok ? r.value : undefined;
}

/**
 * The desktop's LAN sync as the wallet needs it (relays found, groups served); undefined in a
 * browser. The current list is fetched once at subscription, then every change is pushed.
 */
export function desktopLan(): LanBridge | undefined {
  const b = bridge();
  if (!b?.onLanPeers) return undefined;
  return {
    onPeers(listener) {
      const off = b.onLanPeers(listener);
      void b.lanStatus().then((r) => {
        if (r.ok) listener(r.value.peers);
      });
      return off;
    },
    setRooms(rooms) {
      void b.lanSetRooms(rooms);
    },
    onNearby(listener) {
      if (!b.onLanNearby) return () => {};
      const off = b.onLanNearby(listener);
      void b.lanNearby?.().then((r) => {
        if (r.ok) listener(r.value);
      });
      return off;
    },
  };
}

/** "Sync with devices on this network": its state, or undefined where the app cannot offer it (browser). */
export async function lanStatus(): Promise<LanStatus | undefined> {
  const b = bridge();
  if (!b?.lanStatus) return undefined;
  const r = await b.lanStatus();
  return r.ok ? r.value : undefined;
}

/** Switches LAN sync; throws with the desktop's words when it cannot start. */
export async function setLanEnabled(enabled: boolean): Promise<LanStatus> {
  const b = bridge();
  if (!b) throw new Error('Sync on this network needs the desktop app.');
  const r = await b.lanSetEnabled(enabled);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
