import { describe, expect, it, vi } from 'vitest';
import { LOCK_EVENT, LOCK_IPC, NOTIFICATION_CLICK_EVENT } from './channels';
import { createTallyApi } from './tally-api';

function fakeIpc() {
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const ipc = {
    invoke: vi.fn(async (_channel: string, ..._args: unknown[]) => ({
      ok: true,
      value: { available: true },
    })),
    on: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      listeners.set(channel, listener);
    }),
  };
  return { ipc, push: (channel: string, ...args: unknown[]) => listeners.get(channel)!({}, ...args) };
}

describe('the app lock in the preload API', () => {
  it('forwards lock requests from the main process until unsubscribed', () => {
    const { ipc, push } = fakeIpc();
    const api = createTallyApi(ipc);
    const listener = vi.fn();
    const off = api.onLock!(listener);
    push(LOCK_EVENT);
    expect(listener).toHaveBeenCalledTimes(1);
    off();
    push(LOCK_EVENT);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('passes only app routes from clicked notifications', () => {
    const { ipc, push } = fakeIpc();
    const api = createTallyApi(ipc);
    const listener = vi.fn();
    api.onNotificationClick!(listener);
    push(NOTIFICATION_CLICK_EVENT, '#/g/abc/expenses');
    push(NOTIFICATION_CLICK_EVENT, 'https://evil.example/');
    push(NOTIFICATION_CLICK_EVENT, 42);
    expect(listener.mock.calls).toEqual([['#/g/abc/expenses']]);
  });

  it('calls the Touch ID channels with the reason only', async () => {
    const { ipc } = fakeIpc();
    const api = createTallyApi(ipc);
    await api.touchIdAvailable!();
    await api.promptTouchId!('unlock Tally');
    expect(ipc.invoke.mock.calls).toEqual([
      [LOCK_IPC.touchIdAvailable],
      [LOCK_IPC.touchIdPrompt, 'unlock Tally'],
    ]);
  });

  it('refuses a non-function listener', () => {
    const api = createTallyApi(fakeIpc().ipc);
    expect(() => api.onLock!(undefined as never)).toThrow(TypeError);
  });
});
