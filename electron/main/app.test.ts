import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryDiscoveryHub, randomServiceId } from '../../shared/sync/lan-discovery';
import { startDesktopApp } from './app';
import type { AutoUpdaterLike } from './updater';

type Listener = (...args: unknown[]) => void;

const fake = vi.hoisted(() => {
  class Emitter {
    readonly listeners = new Map<string, Listener[]>();
    on(name: string, listener: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      return this;
    }
    once(name: string, listener: Listener) {
      return this.on(name, listener);
    }
    emit(name: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(name) ?? []) listener(...args);
    }
  }

  /** A utility process running the relay: answers `start` with `ready` unless told otherwise. */
  class FakeUtilityProcess extends Emitter {
    static forks: Array<{ path: string; process: FakeUtilityProcess }> = [];
    static answer: 'ready' | 'fail' = 'ready';
    readonly received: Array<Record<string, unknown>> = [];
    exited = false;
    postMessage(message: Record<string, unknown>) {
      this.received.push(message);
      if (message.type === 'start') {
        const port = (message.port as number) || 5000;
        const reply =
          FakeUtilityProcess.answer === 'ready'
            ? { type: 'ready', url: `ws://127.0.0.1:${port}`, port }
            : { type: 'failed', code: 'LEVEL_LOCKED', message: 'disk full' };
        setImmediate(() => this.emit('message', reply));
        if (FakeUtilityProcess.answer === 'fail') setImmediate(() => this.exit(1));
      }
      if (message.type === 'stop') setImmediate(() => this.exit(0));
    }
    kill = vi.fn(() => {
      this.exit(-15);
      return true;
    });
    exit(code: number) {
      if (this.exited) return;
      this.exited = true;
      this.emit('exit', code);
    }
  }

  class FakeWebContents extends Emitter {
    send = vi.fn();
    reload = vi.fn();
    setWindowOpenHandler = vi.fn();
  }

  class FakeBrowserWindow extends Emitter {
    static instances: FakeBrowserWindow[] = [];
    static getAllWindows = () => FakeBrowserWindow.instances.filter((w) => !w.closed);
    static fromWebContents = () => null;
    closed = false;
    minimized = false;
    readonly webContents = new FakeWebContents();
    loadURL = vi.fn(async (_url: string) => undefined);
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn(() => {
      this.minimized = false;
    });
    isMinimized = () => this.minimized;
    setContentProtection = vi.fn();
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      super();
      FakeBrowserWindow.instances.push(this);
    }
  }

  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    enableSandbox: vi.fn(),
    whenReady: vi.fn(async () => undefined),
    isReady: () => true,
    getPath: vi.fn((_name: string) => '/home/bo/.config/Tally'),
    getVersion: () => '0.1.0',
    setAsDefaultProtocolClient: vi.fn(() => true),
    setAppUserModelId: vi.fn(),
  });

  const cspListener: { current?: (details: unknown, cb: (r: unknown) => void) => void } = {};
  return {
    Emitter,
    FakeUtilityProcess,
    utilityProcess: {
      fork: vi.fn((path: string) => {
        const process = new FakeUtilityProcess();
        FakeUtilityProcess.forks.push({ path, process });
        return process;
      }),
    },
    FakeBrowserWindow,
    app,
    cspListener,
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: {
      defaultSession: {
        webRequest: {
          onHeadersReceived: vi.fn((l: typeof cspListener.current) => {
            cspListener.current = l;
          }),
        },
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn(),
      },
    },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    Menu: { buildFromTemplate: vi.fn((t: unknown) => t), setApplicationMenu: vi.fn() },
  };
});

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.FakeBrowserWindow,
  protocol: fake.protocol,
  session: fake.session,
  ipcMain: fake.ipcMain,
  Menu: fake.Menu,
  utilityProcess: fake.utilityProcess,
  shell: { openExternal: vi.fn() },
  dialog: { showSaveDialog: vi.fn() },
  safeStorage: {},
  Notification: class {},
  powerMonitor: { on: vi.fn(), removeListener: vi.fn() },
  systemPreferences: { canPromptTouchID: () => false, promptTouchID: vi.fn() },
}));

const LINK = 'wallet://join?g=abc&r=ws%3A%2F%2F127.0.0.1%3A4455#k=key';

async function boot(overrides: Parameters<typeof startDesktopApp>[0] = {}) {
  const desktop = await startDesktopApp({
    env: {},
    argv: ['/opt/Tally/tally'],
    platform: 'linux',
    mainDir: '/opt/Tally/resources/app.asar/out/main',
    ...overrides,
  });
  return { desktop, win: fake.FakeBrowserWindow.instances[0] };
}

/** The loopback relay's process (the first fork whose start message has no room list). */
const relayProcess = () =>
  fake.FakeUtilityProcess.forks.find(({ process }) => process.received[0]?.allowRooms === null);

const appEvent = () => ({ preventDefault: vi.fn() });

beforeEach(() => {
  vi.clearAllMocks();
  fake.app.listeners.clear();
  fake.FakeBrowserWindow.instances.length = 0;
  fake.app.requestSingleInstanceLock.mockReturnValue(true);
  fake.app.isPackaged = false;
  fake.FakeUtilityProcess.forks.length = 0;
  fake.FakeUtilityProcess.answer = 'ready';
});

describe('single instance', () => {
  it('quits at once, before doing anything, when another instance holds the lock', async () => {
    fake.app.requestSingleInstanceLock.mockReturnValue(false);
    const { desktop } = await boot();
    expect(desktop).toBeNull();
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.FakeBrowserWindow.instances).toHaveLength(0);
    expect(fake.app.whenReady).not.toHaveBeenCalled();
    expect(fake.utilityProcess.fork).not.toHaveBeenCalled();
  });

  it('on a second launch focuses the window and forwards its invite link', async () => {
    const { win } = await boot();
    win!.webContents.emit('did-finish-load');
    win!.minimized = true;
    fake.app.emit('second-instance', appEvent(), ['/opt/Tally/tally', '--flag', LINK], '/home/bo', {});
    expect(win!.restore).toHaveBeenCalled();
    expect(win!.show).toHaveBeenCalled();
    expect(win!.focus).toHaveBeenCalled();
    expect(win!.webContents.send).toHaveBeenCalledWith('invite', LINK);
  });

  it('ignores a malformed link from a second launch but still focuses', async () => {
    const { win } = await boot();
    win!.webContents.emit('did-finish-load');
    fake.app.emit('second-instance', appEvent(), ['/opt/Tally/tally', 'wallet://join?<x>'], '/', {});
    expect(win!.focus).toHaveBeenCalled();
    expect(win!.webContents.send).not.toHaveBeenCalled();
  });
});

describe('startup', () => {
  it('prepares sandbox and app:// before ready, then opens one hardened window on app://tally', async () => {
    const { win } = await boot();
    const readyOrder = fake.app.whenReady.mock.invocationCallOrder[0]!;
    expect(fake.app.enableSandbox.mock.invocationCallOrder[0]).toBeLessThan(readyOrder);
    expect(fake.protocol.registerSchemesAsPrivileged.mock.invocationCallOrder[0]).toBeLessThan(readyOrder);
    expect(fake.FakeBrowserWindow.instances).toHaveLength(1);
    expect(win!.options.webPreferences).toMatchObject({
      preload: '/opt/Tally/resources/app.asar/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      devTools: false,
    });
    expect(win!.loadURL).toHaveBeenCalledWith('app://tally/index.html');
    expect(fake.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(fake.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(fake.ipcMain.handle).toHaveBeenCalledWith('secret:protect', expect.any(Function));
    expect(fake.app.setAsDefaultProtocolClient).toHaveBeenCalledWith('tally');
    expect(fake.app.setAsDefaultProtocolClient).toHaveBeenCalledWith('wallet');
    expect(fake.Menu.setApplicationMenu).toHaveBeenCalled();
  });

  it('sets the AppUserModelID to the installer’s appId on Windows only', async () => {
    await boot({ platform: 'win32' });
    expect(fake.app.setAppUserModelId).toHaveBeenCalledWith('app.tally.wallet');
    vi.clearAllMocks();
    fake.app.listeners.clear();
    await boot({ platform: 'linux' });
    expect(fake.app.setAppUserModelId).not.toHaveBeenCalled();
  });

  it('hardens every web contents that gets created', async () => {
    await boot();
    const contents = new fake.Emitter() as InstanceType<typeof fake.Emitter> & {
      setWindowOpenHandler: Listener;
    };
    contents.setWindowOpenHandler = vi.fn();
    fake.app.emit('web-contents-created', appEvent(), contents);
    expect(contents.setWindowOpenHandler).toHaveBeenCalled();
    expect(contents.listeners.has('will-navigate')).toBe(true);
    expect(contents.listeners.has('will-attach-webview')).toBe(true);
  });

  it('delivers the invite the app was launched with once the page has loaded', async () => {
    const { win } = await boot({ argv: ['/opt/Tally/tally', LINK] });
    expect(win!.webContents.send).not.toHaveBeenCalled();
    win!.webContents.emit('did-finish-load');
    expect(win!.webContents.send).toHaveBeenCalledWith('invite', LINK);
  });

  it('handles macOS open-url, delivering only valid invites', async () => {
    const { win } = await boot({ platform: 'darwin' });
    win!.webContents.emit('did-finish-load');
    const event = appEvent();
    fake.app.emit('open-url', event, LINK);
    fake.app.emit('open-url', appEvent(), 'wallet://steal?x=1');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(win!.webContents.send.mock.calls).toEqual([['invite', LINK]]);
  });

  it('loads the dev server with DevTools in development', async () => {
    const { win } = await boot({ env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } });
    expect(win!.loadURL).toHaveBeenCalledWith('http://localhost:5173');
    expect(win!.options.webPreferences.devTools).toBe(true);
  });

  it('ignores a dev server URL in a packaged app', async () => {
    fake.app.isPackaged = true;
    const { win } = await boot({ env: { ELECTRON_RENDERER_URL: 'http://evil.example' } });
    expect(win!.loadURL).toHaveBeenCalledWith('app://tally/index.html');
  });
});

describe('relay', () => {
  it('runs the relay in a utility process on loopback with data under userData', async () => {
    const { desktop } = await boot();
    expect(fake.utilityProcess.fork).toHaveBeenCalledWith(
      '/opt/Tally/resources/app.asar/out/main/relay.js',
      [],
      expect.objectContaining({ serviceName: 'Tally relay' }),
    );
    expect(relayProcess()!.process.received[0]).toEqual({
      type: 'start',
      host: '127.0.0.1',
      port: 4455,
      dataDir: '/home/bo/.config/Tally/relay',
      fallbackToFreePort: true,
      allowRooms: null,
    });
    expect(await desktop!.relayInfo()).toEqual({ url: 'ws://127.0.0.1:4455', embedded: true });
  });

  it('keeps the app running without a relay when it cannot start', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    fake.FakeUtilityProcess.answer = 'fail';
    const { desktop } = await boot();
    expect(await desktop!.relayInfo()).toBeNull();
    expect(fake.FakeBrowserWindow.instances).toHaveLength(1);
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('a relay crash leaves the window up and the relay comes back on the same URL', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { desktop, win } = await boot();
    expect(await desktop!.relayInfo()).toEqual({ url: 'ws://127.0.0.1:4455', embedded: true });
    relayProcess()!.process.exit(134);
    expect(fake.app.quit).not.toHaveBeenCalled();
    expect(win!.closed).toBe(false);
    expect(fake.FakeBrowserWindow.instances).toHaveLength(1);
    await vi.waitFor(() => expect(fake.utilityProcess.fork).toHaveBeenCalledTimes(2), { timeout: 3000 });
    const restarted = fake.FakeUtilityProcess.forks[1]!.process;
    expect(restarted.received[0]).toMatchObject({ type: 'start', port: 4455 });
    expect(await desktop!.relayInfo()).toEqual({ url: 'ws://127.0.0.1:4455', embedded: true });
    expect(error).toHaveBeenCalledWith(expect.stringContaining('stopped unexpectedly (code 134)'));
    error.mockRestore();
  });

  it('uses an external relay instead when TALLY_RELAY_URL is set, and lets the CSP reach it', async () => {
    const { desktop } = await boot({ env: { TALLY_RELAY_URL: 'ws://192.168.1.20:4455' } });
    expect(fake.utilityProcess.fork).not.toHaveBeenCalled();
    expect(await desktop!.relayInfo()).toEqual({ url: 'ws://192.168.1.20:4455', embedded: false });
    const callback = vi.fn();
    fake.cspListener.current!({ responseHeaders: {} }, callback);
    const csp = (callback.mock.calls[0]![0] as { responseHeaders: Record<string, string[]> }).responseHeaders[
      'Content-Security-Policy'
    ]![0]!;
    expect(csp).toMatch(/connect-src [^;]*ws:\/\/192\.168\.1\.20:4455/);
  });

  it('holds the quit until the relay process has stopped, then quits', async () => {
    const { desktop } = await boot();
    await desktop!.relayInfo();
    const relay = relayProcess()!.process;
    const first = appEvent();
    fake.app.emit('will-quit', first);
    expect(first.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(relay.received.at(-1)).toEqual({ type: 'stop' }));
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
    expect(relay.exited).toBe(true);
    // A relay that quits on purpose is not restarted.
    expect(fake.utilityProcess.fork).toHaveBeenCalledTimes(1);
    const second = appEvent();
    fake.app.emit('will-quit', second);
    expect(second.preventDefault).not.toHaveBeenCalled();
  });
});

describe('automatic updates', () => {
  const invoke = (channel: string, ...args: unknown[]) =>
    (
      fake.ipcMain.handle.mock.calls.find(([c]) => c === channel)![1] as (
        e: unknown,
        ...a: unknown[]
      ) => Promise<unknown>
    )({ sender: {}, senderFrame: { url: 'app://tally/index.html', parent: null } }, ...args);
  const fakeUpdater = () => {
    const updater = Object.assign(new fake.Emitter(), {
      autoDownload: false,
      autoInstallOnAppQuit: false,
      allowDowngrade: true,
      checkForUpdates: vi.fn(async () => null),
      quitAndInstall: vi.fn(),
    });
    return updater as typeof updater & AutoUpdaterLike;
  };

  it('a development build never loads the updater and says why', async () => {
    const load = vi.fn(async () => fakeUpdater());
    await boot({ autoUpdater: load, updateConfig: async () => 'provider: github\n' });
    expect(load).not.toHaveBeenCalled();
    expect(await invoke('update:status')).toMatchObject({
      ok: true,
      value: { supported: false, state: 'idle' },
    });
    expect(await invoke('update:install')).toMatchObject({ ok: false, error: { code: 'UPDATE_NOT_READY' } });
  });

  it('a signed Windows package checks for updates and installs only without pending writes', async () => {
    fake.app.isPackaged = true;
    const updater = fakeUpdater();
    const { win } = await boot({
      platform: 'win32',
      autoUpdater: async () => updater,
      updateConfig: async () => 'provider: github\npublisherName:\n  - Tally Contributors\n',
    });
    await vi.waitFor(() => expect(updater.checkForUpdates).toHaveBeenCalled());
    updater.emit('update-downloaded', { version: '0.2.0' });
    expect(win!.webContents.send).toHaveBeenCalledWith(
      'update-status',
      expect.objectContaining({ state: 'ready' }),
    );
    expect(await invoke('app:pending-writes', 1)).toEqual({ ok: true, value: { pending: 1 } });
    expect(await invoke('update:install')).toMatchObject({ ok: false, error: { code: 'UPDATE_BUSY' } });
    expect(await invoke('app:pending-writes', -1)).toMatchObject({
      ok: false,
      error: { code: 'IPC_BAD_ARGUMENT' },
    });
    await invoke('app:pending-writes', 0);
    expect(await invoke('update:install')).toEqual({ ok: true, value: { installing: true } });
    expect(updater.quitAndInstall).toHaveBeenCalledTimes(1);
  });
});

describe('windows', () => {
  it('quits when the last window closes, except on macOS', async () => {
    await boot({ platform: 'linux' });
    fake.app.emit('window-all-closed');
    expect(fake.app.quit).toHaveBeenCalledTimes(1);

    fake.app.listeners.clear();
    vi.clearAllMocks();
    await boot({ platform: 'darwin' });
    fake.app.emit('window-all-closed');
    expect(fake.app.quit).not.toHaveBeenCalled();
  });
});

describe('sync with devices on this network', () => {
  const cspNow = () => {
    const callback = vi.fn();
    fake.cspListener.current!({ responseHeaders: {} }, callback);
    return (callback.mock.calls[0]![0] as { responseHeaders: Record<string, string[]> }).responseHeaders[
      'Content-Security-Policy'
    ]![0]!;
  };
  const handler = (channel: string) =>
    fake.ipcMain.handle.mock.calls.find(([c]) => c === channel)![1] as (
      event: unknown,
      ...args: unknown[]
    ) => Promise<unknown>;
  const appFrame = { sender: {}, senderFrame: { url: 'app://tally/index.html', parent: null } };

  async function withUserData(setting: string | null) {
    const dir = await mkdtemp(join(tmpdir(), 'tally-app-lan-'));
    if (setting !== null) await writeFile(join(dir, 'lan-sync.json'), setting);
    fake.app.getPath.mockReturnValue(dir);
    return dir;
  }

  function fakeLan() {
    const hub = new MemoryDiscoveryHub();
    const close = vi.fn(async () => undefined);
    const start = vi.fn(async (_o: { host: string; allowRooms: unknown }) => ({ port: 6100, close }));
    return { hub, start, close, discovery: () => hub.discovery('192.168.1.5') };
  }

  it('is off by default: no LAN relay, no cleartext ws: in the policy', async () => {
    const dir = await withUserData(null);
    const lan = fakeLan();
    await boot({ startLanRelay: lan.start, lanDiscovery: lan.discovery });
    expect(lan.start).not.toHaveBeenCalled();
    expect(cspNow()).not.toMatch(/connect-src [^;]*ws: /);
    fake.app.getPath.mockReturnValue('/home/bo/.config/Tally');
    await rm(dir, { recursive: true, force: true });
  });

  it('switched on: serves the LAN relay on every interface, announces it, sends peers to the page', async () => {
    const dir = await withUserData('{"enabled":true}');
    const lan = fakeLan();
    const { win } = await boot({ startLanRelay: lan.start, lanDiscovery: lan.discovery });
    await vi.waitFor(() => expect(lan.start).toHaveBeenCalled());
    expect(lan.start.mock.calls[0]![0]).toMatchObject({ host: '0.0.0.0', port: 0, dataDir: null });
    expect(lan.start.mock.calls[0]![0].allowRooms).toBeInstanceOf(Map);
    expect(cspNow()).toMatch(/connect-src [^;]*ws:( |;|$)/);
    await lan.hub.discovery('192.168.1.9').announce(randomServiceId(), 6200);
    const sent = win!.webContents.send.mock.calls.filter(([c]) => c === 'lan-peers');
    expect(sent.at(-1)![1]).toEqual(
      expect.arrayContaining([expect.objectContaining({ url: 'ws://192.168.1.9:6200', own: false })]),
    );
    // Switching it off stops the relay, keeps the choice and reloads the page (its policy changed).
    const off = await handler('lan:set-enabled')(appFrame, false);
    expect(off).toMatchObject({ ok: true, value: { enabled: false } });
    expect(lan.close).toHaveBeenCalled();
    expect(JSON.parse(await readFile(join(dir, 'lan-sync.json'), 'utf8'))).toEqual({ enabled: false });
    expect(win!.webContents.reload).toHaveBeenCalledTimes(1);
    expect(cspNow()).not.toMatch(/connect-src [^;]*ws: /);
    fake.app.getPath.mockReturnValue('/home/bo/.config/Tally');
    await rm(dir, { recursive: true, force: true });
  });
});

describe('app lock in the shell', () => {
  it('keeps the window out of screen capture', async () => {
    const { win } = await boot();
    expect(win?.setContentProtection).toHaveBeenCalledWith(true);
  });
});
