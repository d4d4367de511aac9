import type { Session, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { createOriginCheck } from './app-origin';
import {
  hardenWebContents,
  installPermissionHandlers,
  isPermissionAllowed,
  isSafeExternalUrl,
} from './security';

const { openExternal } = vi.hoisted(() => ({ openExternal: vi.fn(async (_url: string) => undefined) }));
vi.mock('electron', () => ({ shell: { openExternal } }));

const isAppUrl = createOriginCheck(['app://tally']);

type Listener = (...args: unknown[]) => void;

function fakeWebContents() {
  const listeners = new Map<string, Listener>();
  let openHandler: ((d: { url: string }) => { action: string }) | undefined;
  const contents = {
    on: vi.fn((name: string, l: Listener) => listeners.set(name, l)),
    setWindowOpenHandler: vi.fn((h: typeof openHandler) => {
      openHandler = h;
    }),
  };
  hardenWebContents(contents as unknown as WebContents, { isAppUrl });
  const emit = (name: string, url = '') => {
    const event = { url, preventDefault: vi.fn() };
    listeners.get(name)!(event);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { emit, open: (url: string) => openHandler!({ url }) };
}

beforeEach(() => openExternal.mockClear());

describe('navigation', () => {
  it('blocks navigation and redirects away from the app', () => {
    const wc = fakeWebContents();
    expect(wc.emit('will-navigate', 'https://evil.example/')).toBe(true);
    expect(wc.emit('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(wc.emit('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
    expect(wc.emit('will-navigate', 'app://tally.evil/')).toBe(true);
  });

  it('allows navigation within the app origin', () => {
    const wc = fakeWebContents();
    expect(wc.emit('will-navigate', 'app://tally/index.html')).toBe(false);
  });

  it('prevents every <webview> from attaching', () => {
    expect(fakeWebContents().emit('will-attach-webview')).toBe(true);
  });
});

describe('new windows', () => {
  it('denies every window and opens safe web links in the OS browser', () => {
    const wc = fakeWebContents();
    expect(wc.open('https://example.org/help')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://example.org/help');
  });

  it('does not hand dangerous URLs to the OS', () => {
    const wc = fakeWebContents();
    for (const url of [
      'file:///C:/Windows/system32/calc.exe',
      'javascript:alert(1)',
      'smb://host/share',
      'app://tally/x',
    ]) {
      expect(wc.open(url)).toEqual({ action: 'deny' });
    }
    expect(openExternal).not.toHaveBeenCalled();
  });
});

describe('isSafeExternalUrl', () => {
  it('accepts plain http(s) links only', () => {
    expect(isSafeExternalUrl('https://example.org/a?b=c')).toBe(true);
    expect(isSafeExternalUrl('http://example.org')).toBe(true);
    expect(isSafeExternalUrl('https://user:pw@example.org')).toBe(false);
    expect(isSafeExternalUrl('ms-msdt:/id')).toBe(false);
    expect(isSafeExternalUrl(`https://example.org/${'a'.repeat(3000)}`)).toBe(false);
    expect(isSafeExternalUrl('no url')).toBe(false);
  });
});

describe('permissions', () => {
  it('denies everything that is not on the short allow-list', () => {
    expect(isPermissionAllowed('media', 'app://tally/', isAppUrl)).toBe(false);
    expect(isPermissionAllowed('geolocation', 'app://tally/', isAppUrl)).toBe(false);
    expect(isPermissionAllowed('notifications', 'app://tally/', isAppUrl)).toBe(false);
    expect(isPermissionAllowed('openExternal', 'app://tally/', isAppUrl)).toBe(false);
  });

  it('grants allow-listed permissions to the app origin only', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://tally/', isAppUrl)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', isAppUrl)).toBe(false);
  });

  it('wires request, check and device handlers into the session', () => {
    const handlers: Record<string, (...a: unknown[]) => unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: (...a: unknown[]) => unknown) => (handlers.request = h),
      setPermissionCheckHandler: (h: (...a: unknown[]) => unknown) => (handlers.check = h),
      setDevicePermissionHandler: (h: (...a: unknown[]) => unknown) => (handlers.device = h),
    } as unknown as Session;
    installPermissionHandlers(session, isAppUrl);

    const callback = vi.fn();
    handlers.request!({}, 'media', callback, { requestingUrl: 'app://tally/' });
    expect(callback).toHaveBeenLastCalledWith(false);
    handlers.request!({}, 'clipboard-sanitized-write', callback, { requestingUrl: 'app://tally/' });
    expect(callback).toHaveBeenLastCalledWith(true);
    expect(handlers.check!({}, 'hid', 'app://tally', {})).toBe(false);
    expect(handlers.check!({}, 'persistent-storage', 'app://tally', {})).toBe(true);
    expect(handlers.device!({ deviceType: 'usb' })).toBe(false);
  });
});
