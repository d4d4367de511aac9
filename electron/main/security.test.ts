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
  const clock = { now: 10_000 };
  hardenWebContents(contents as unknown as WebContents, { isAppUrl, now: () => clock.now });
  const emit = (name: string, url = '') => {
    const event = { url, preventDefault: vi.fn() };
    listeners.get(name)!(event);
    return event.preventDefault.mock.calls.length > 0;
  };
  /** Real OS input, as Electron reports it before the page sees it. */
  const click = () =>
    listeners.get('before-mouse-event')!({}, { type: 'mouseUp', button: 'left', x: 5, y: 5 });
  const key = (k: string) => listeners.get('before-input-event')!({}, { type: 'keyDown', key: k });
  return { emit, click, key, clock, open: (url: string) => openHandler!({ url }) };
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

describe('new windows and external links', () => {
  it('denies every window and opens a clicked https link in the OS browser', () => {
    const wc = fakeWebContents();
    wc.click();
    expect(wc.open('https://example.org/help')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://example.org/help');
  });

  it('opens nothing without a real click or key press (a script calling window.open)', () => {
    const wc = fakeWebContents();
    expect(wc.open('https://example.org/help')).toEqual({ action: 'deny' });
    wc.key('a'); // typing is not activating a link
    expect(wc.open('https://example.org/help')).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
    wc.key('Enter');
    wc.open('https://example.org/help');
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('spends a gesture on one link, and only within a second', () => {
    const wc = fakeWebContents();
    wc.click();
    wc.open('https://example.org/1');
    wc.open('https://example.org/2');
    wc.click();
    wc.clock.now += 1001;
    wc.open('https://example.org/3');
    expect(openExternal.mock.calls).toEqual([['https://example.org/1']]);
  });

  it('sends a clicked plain link that would navigate away to the browser, keeping the window', () => {
    const wc = fakeWebContents();
    wc.click();
    expect(wc.emit('will-navigate', 'https://example.org/faq')).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://example.org/faq');
    expect(wc.emit('will-redirect', 'https://example.org/next')).toBe(true);
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('does not hand dangerous or cleartext URLs to the OS, even after a click', () => {
    const wc = fakeWebContents();
    for (const url of [
      'file:///C:/Windows/system32/calc.exe',
      'javascript:alert(1)',
      'smb://host/share',
      'http://example.org/',
      'app://tally/x',
    ]) {
      wc.click();
      expect(wc.open(url)).toEqual({ action: 'deny' });
    }
    // A refused link spends the gesture too.
    wc.open('https://example.org/');
    expect(openExternal).not.toHaveBeenCalled();
  });
});

describe('isSafeExternalUrl', () => {
  it('accepts plain https links only', () => {
    expect(isSafeExternalUrl('https://example.org/a?b=c')).toBe(true);
    expect(isSafeExternalUrl('http://example.org')).toBe(false);
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
