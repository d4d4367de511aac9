/**
 * The desktop's part of the app lock (docs/desktop.md, "App lock"):
 *   - system sleep and the OS screen lock (powerMonitor 'suspend', 'lock-screen') and the menu's
 *     Lock item tell the page to lock (LOCK_EVENT);
 *   - the window's content is kept out of screenshots and screen sharing where the OS allows
 *     (setContentProtection: macOS and Windows; Linux has no such API);
 *   - Touch ID (macOS) through two IPC calls; the page offers it only when `available` says so.
 *     Windows Hello is not offered: no well-kept npm module does it from Electron's main process.
 * Electron's modules are passed in, so tests need no Electron.
 */
import type { IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import type { DesktopResult } from '../preload/api';
import { LOCK_EVENT, LOCK_IPC } from '../preload/channels';

export const SYSTEM_LOCK_EVENTS = ['suspend', 'lock-screen'] as const;

export interface PowerMonitorLike {
  on(event: 'suspend' | 'lock-screen', listener: () => void): unknown;
  removeListener(event: 'suspend' | 'lock-screen', listener: () => void): unknown;
}

export interface TouchIdLike {
  canPromptTouchID(): boolean;
  promptTouchID(reason: string): Promise<void>;
}

export interface IpcMainLike {
  handle(channel: string, handler: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface LockTarget {
  isDestroyed(): boolean;
  readonly webContents: { send(channel: string, ...args: unknown[]): void };
}

/** Sends "lock now" to the window, if it is still there. */
export function requestLock(win: LockTarget | null): void {
  if (win && !win.isDestroyed()) win.webContents.send(LOCK_EVENT);
}

/** Locks on system sleep and on the OS screen lock; returns a function that stops watching. */
export function watchSystemLock(monitor: PowerMonitorLike, lock: () => void): () => void {
  const listener = () => lock();
  for (const event of SYSTEM_LOCK_EVENTS) monitor.on(event, listener);
  return () => {
    for (const event of SYSTEM_LOCK_EVENTS) monitor.removeListener(event, listener);
  };
}

/** Touch ID exists only on macOS, and only where the Mac has a sensor with a finger enrolled. */
export function touchIdAvailable(platform: NodeJS.Platform, touchId: TouchIdLike): boolean {
  if (platform !== 'darwin') return false;
  try {
    return touchId.canPromptTouchID();
  } catch {
    return false;
  }
}

/** Asks for Touch ID; resolves false when cancelled, failed or unavailable (never throws). */
export async function promptTouchId(
  platform: NodeJS.Platform,
  touchId: TouchIdLike,
  reason: string,
): Promise<boolean> {
  if (!touchIdAvailable(platform, touchId)) return false;
  try {
    await touchId.promptTouchID(reason);
    return true;
  } catch {
    return false;
  }
}

const reasonSchema = z.string().trim().min(1).max(100);

export interface AppLockIpcDeps {
  readonly ipcMain: IpcMainLike;
  readonly touchId: TouchIdLike;
  readonly platform: NodeJS.Platform;
  /** True for the app's own page URLs; calls from anywhere else are refused. */
  isAppUrl(url: string): boolean;
}

function refused(message: string): DesktopResult<never> {
  return { ok: false, error: { code: 'IPC_FORBIDDEN_SENDER', message } };
}

/** Only the app's own top-level page may ask (as for every other call, electron/main/ipc.ts). */
function fromApp(event: IpcMainInvokeEvent, isAppUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

/** Registers the Touch ID calls; returns a function that removes them. */
export function registerAppLockIpc(deps: AppLockIpcDeps): () => void {
  const { ipcMain, touchId, platform, isAppUrl } = deps;
  ipcMain.handle(LOCK_IPC.touchIdAvailable, (event): DesktopResult<{ available: boolean }> => {
    if (!fromApp(event, isAppUrl)) return refused('Refused: the caller is not the app page.');
    return { ok: true, value: { available: touchIdAvailable(platform, touchId) } };
  });
  ipcMain.handle(
    LOCK_IPC.touchIdPrompt,
    async (event, ...args): Promise<DesktopResult<{ confirmed: boolean }>> => {
      if (!fromApp(event, isAppUrl)) return refused('Refused: the caller is not the app page.');
      const reason = reasonSchema.safeParse(args[0]);
      if (args.length !== 1 || !reason.success) {
        return {
          ok: false,
          error: { code: 'IPC_BAD_ARGUMENT', message: 'Invalid argument: a reason of 1–100 characters.' },
        };
      }
      return { ok: true, value: { confirmed: await promptTouchId(platform, touchId, reason.data) } };
    },
  );
  return () => {
    ipcMain.removeHandler(LOCK_IPC.touchIdAvailable);
    ipcMain.removeHandler(LOCK_IPC.touchIdPrompt);
  };
}
