import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { LOCK_EVENT, LOCK_IPC } from '../preload/channels';
import {
  type IpcMainLike,
  promptTouchId,
  registerAppLockIpc,
  requestLock,
  type TouchIdLike,
  touchIdAvailable,
  watchSystemLock,
} from './app-lock';

class FakePowerMonitor {
  readonly listeners = new Map<string, Set<() => void>>();
  on(event: string, l: () => void) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(l);
  }
  removeListener(event: string, l: () => void) {
    this.listeners.get(event)?.delete(l);
  }
  emit(event: string) {
    for (const l of this.listeners.get(event) ?? []) l();
  }
}

const touchId = (can: boolean, answer: 'ok' | 'cancel' = 'ok'): TouchIdLike => ({
  canPromptTouchID: vi.fn(() => can),
  promptTouchID: vi.fn(async () => {
    if (answer === 'cancel') throw new Error('cancelled');
  }),
});

describe('watchSystemLock', () => {
  it('locks on system sleep and on the OS screen lock, not on other power events', () => {
    const monitor = new FakePowerMonitor();
    const lock = vi.fn();
    const stop = watchSystemLock(monitor, lock);
    monitor.emit('suspend');
    monitor.emit('lock-screen');
    monitor.emit('resume');
    expect(lock).toHaveBeenCalledTimes(2);
    stop();
    monitor.emit('suspend');
    expect(lock).toHaveBeenCalledTimes(2);
  });
});

describe('requestLock', () => {
  it('sends the lock event to a live window only', () => {
    const send = vi.fn();
    requestLock({ isDestroyed: () => false, webContents: { send } });
    requestLock({ isDestroyed: () => true, webContents: { send } });
    requestLock(null);
    expect(send.mock.calls).toEqual([[LOCK_EVENT]]);
  });
});

describe('Touch ID', () => {
  it('is available on macOS with a sensor only', () => {
    expect(touchIdAvailable('darwin', touchId(true))).toBe(true);
    expect(touchIdAvailable('darwin', touchId(false))).toBe(false);
    const never = touchId(true);
    expect(touchIdAvailable('win32', never)).toBe(false);
    expect(touchIdAvailable('linux', never)).toBe(false);
    expect(never.canPromptTouchID).not.toHaveBeenCalled();
  });

  it('resolves true when confirmed, false when cancelled or unavailable', async () => {
    expect(await promptTouchId('darwin', touchId(true), 'unlock')).toBe(true);
    expect(await promptTouchId('darwin', touchId(true, 'cancel'), 'unlock')).toBe(false);
    const none = touchId(false);
    expect(await promptTouchId('darwin', none, 'unlock')).toBe(false);
    expect(none.promptTouchID).not.toHaveBeenCalled();
  });
});

describe('registerAppLockIpc', () => {
  function setup(platform: NodeJS.Platform, t: TouchIdLike) {
    const handlers = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
    const ipcMain: IpcMainLike = {
      handle: (channel, fn) => void handlers.set(channel, fn),
      removeHandler: (channel) => void handlers.delete(channel),
    };
    const off = registerAppLockIpc({
      ipcMain,
      touchId: t,
      platform,
      isAppUrl: (u) => u.startsWith('app://tally/'),
    });
    const call = (channel: string, url: string, ...args: unknown[]) =>
      handlers.get(channel)!(
        { senderFrame: { url, parent: null } } as unknown as IpcMainInvokeEvent,
        ...args,
      );
    return { handlers, off, call };
  }

  it('answers the app page and refuses other senders', async () => {
    const { call } = setup('darwin', touchId(true));
    expect(await call(LOCK_IPC.touchIdAvailable, 'app://tally/index.html')).toEqual({
      ok: true,
      value: { available: true },
    });
    expect(await call(LOCK_IPC.touchIdPrompt, 'app://tally/index.html', 'Unlock Tally')).toEqual({
      ok: true,
      value: { confirmed: true },
    });
    expect(await call(LOCK_IPC.touchIdPrompt, 'https://evil.example/', 'Unlock')).toMatchObject({
      ok: false,
      error: { code: 'IPC_FORBIDDEN_SENDER' },
    });
  });

  it('validates the reason', async () => {
    const t = touchId(true);
    const { call } = setup('darwin', t);
    for (const bad of [[], [''], ['x'.repeat(101)], [42], ['a', 'b']]) {
      expect(await call(LOCK_IPC.touchIdPrompt, 'app://tally/', ...bad)).toMatchObject({
        ok: false,
        error: { code: 'IPC_BAD_ARGUMENT' },
      });
    }
    expect(t.promptTouchID).not.toHaveBeenCalled();
  });

  it('reports Touch ID as unavailable off macOS, and removes its handlers', async () => {
    const { call, off, handlers } = setup('win32', touchId(true));
    expect(await call(LOCK_IPC.touchIdAvailable, 'app://tally/')).toEqual({
      ok: true,
      value: { available: false },
    });
    off();
    expect(handlers.size).toBe(0);
  });
});
