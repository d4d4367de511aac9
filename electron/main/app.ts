import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  ipcMain,
  Menu,
  powerMonitor,
  session,
  systemPreferences,
  utilityProcess,
} from 'electron';
import type { RelayInfo } from '../preload/api';
import {
  INVITE_EVENT,
  LAN_NEARBY_EVENT,
  LAN_PEERS_EVENT,
  NOTIFICATION_CLICK_EVENT,
  UPDATE_STATUS_EVENT,
} from '../preload/channels';
import type { LanDiscovery } from '../../shared/sync/lan-discovery';
import { bonjourDiscovery } from '../../sync-server/bonjour-discovery';
import { APP_ID } from './app-id';
import { registerAppLockIpc, requestLock, watchSystemLock } from './app-lock';
import { APP_ENTRY_URL, APP_ORIGIN, createOriginCheck } from './app-origin';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { buildCsp, installCspHeader } from './csp';
import { findInviteInArgv, InviteDispatcher, parseInviteLink, registerInviteProtocol } from './deep-link';
import { type LanControl, registerIpcHandlers } from './ipc';
import { LanHost, type StartLanRelay } from './lan-host';
import { lanSettingPath, readLanSetting, writeLanSetting } from './lan-setting';
import { buildMenuTemplate } from './menu';
import { type EmbeddedRelay, lanRelayStarter, startEmbeddedRelay } from './relay-processes';
import { resolveRelayConfig } from './relay-host';
import type { ForkRelayChild } from './relay-supervisor';
import { hardenWebContents, installPermissionHandlers } from './security';
import { readUpdateSetting, updateSettingPath, writeUpdateSetting } from './update-setting';
import { type AutoUpdaterLike, UpdateController, updateEligibility } from './updater';
import { createWindowOptions } from './window-options';

export interface DesktopAppOptions {
  env?: NodeJS.ProcessEnv;
  argv?: readonly string[];
  platform?: NodeJS.Platform;
  /** Folder of the built main bundle (out/main); preload and renderer sit next to it. */
  mainDir?: string;
  /** Injected for tests: starts a relay process; defaults to utilityProcess.fork of out/main/relay.js. */
  forkRelay?: ForkRelayChild;
  /** Injected for tests: the LAN relay and discovery (defaults: the real relay, mDNS). */
  startLanRelay?: StartLanRelay;
  lanDiscovery?: () => LanDiscovery;
  /** Injected for tests: electron-updater's autoUpdater (loaded only when this build may update). */
  autoUpdater?: () => Promise<AutoUpdaterLike>;
  /** Injected for tests: the text of resources/app-update.yml, null when there is none. */
  updateConfig?: () => Promise<string | null>;
}

/** resources/app-update.yml, written by electron-builder into a package that can update. */
async function readPackagedUpdateConfig(): Promise<string | null> {
  if (!process.resourcesPath) return null;
  return readFile(join(process.resourcesPath, 'app-update.yml'), 'utf8').catch(() => null);
}

/** electron-updater, loaded only where it is used (it reads the app's files as it loads). */
async function loadElectronUpdater(): Promise<AutoUpdaterLike> {
  const updater = await import('electron-updater');
  return (updater.default ?? updater).autoUpdater;
}

/** The longest quitting waits for the relays. */
export const QUIT_DEADLINE_MS = 5_000;

/** `promise`, or a rejection after `ms`: a hung shutdown must not keep the app open. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export interface DesktopApp {
  /** The relay this app uses, once known (null when it could not start). */
  relayInfo(): Promise<RelayInfo | null>;
}

/**
 * Boots the desktop shell: single-instance lock, hardening, the in-process relay, the
 * app:// protocol, IPC, the window, deep links, and an orderly relay shutdown on quit.
 * Resolves null when another instance already runs (this one quits and hands over its argv).
 */
export async function startDesktopApp(options: DesktopAppOptions = {}): Promise<DesktopApp | null> {
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv;
  const platform = options.platform ?? process.platform;
  const mainDir = options.mainDir ?? dirname(fileURLToPath(import.meta.url));

  // The first instance receives our argv through 'second-instance' (that is how a clicked
  // wallet:// link reaches an already-open window on Windows and Linux).
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  // Both must happen before 'ready'.
  app.enableSandbox();
  registerAppScheme();
  // Windows groups taskbar buttons and attributes notifications by this id; it must be the
  // installer's appId (electron-builder.yml), or notifications show up as "Electron" or not at all.
  if (platform === 'win32') app.setAppUserModelId(APP_ID);

  const devServerUrl = !app.isPackaged && env.ELECTRON_RENDERER_URL ? env.ELECTRON_RENDERER_URL : null;
  const isAppUrl = createOriginCheck(devServerUrl ? [APP_ORIGIN, devServerUrl] : [APP_ORIGIN]);
  const invites = new InviteDispatcher(INVITE_EVENT);
  let mainWindow: BrowserWindow | null = null;

  const createMainWindow = (): BrowserWindow => {
    const win = new BrowserWindow(
      createWindowOptions(join(mainDir, '../preload/index.cjs'), { devTools: devServerUrl !== null }),
    );
    // The app lock: no screenshots or screen sharing of the wallet where the OS allows (docs/desktop.md).
    win.setContentProtection(true);
    win.once('ready-to-show', () => win.show());
    // Invites wait while the page (and with it the preload's listener) is (re)loading.
    win.webContents.on('did-start-loading', () => invites.setTarget(null));
    win.webContents.on('did-finish-load', () => invites.setTarget(win.webContents));
    win.on('closed', () => {
      invites.setTarget(null);
      if (mainWindow === win) mainWindow = null;
    });
    void win.loadURL(devServerUrl ?? APP_ENTRY_URL);
    return win;
  };

  const showMainWindow = (): void => {
    if (!mainWindow) {
      if (app.isReady()) mainWindow = createMainWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, { isAppUrl }));
  // macOS delivers links as events, possibly before 'ready'; the dispatcher queues them.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseInviteLink(url);
    if (link.ok) invites.deliver(link.value);
    showMainWindow();
  });
  app.on('second-instance', (_event, secondArgv) => {
    showMainWindow();
    const link = findInviteInArgv(secondArgv);
    if (link) invites.deliver(link);
  });
  const launchInvite = findInviteInArgv(argv);
  if (launchInvite) invites.deliver(launchInvite);

  await app.whenReady();
  registerInviteProtocol(app);

  const log = (message: string) => console.error(`[tally] ${message}`);
  // The relays run in utility processes: a crash there never takes the window down.
  const forkRelay: ForkRelayChild =
    options.forkRelay ??
    (() =>
      utilityProcess.fork(join(mainDir, 'relay.js'), [], { serviceName: 'Tally relay', stdio: 'inherit' }));
  const relayConfig = resolveRelayConfig(env, app.getPath('userData'));
  if (!relayConfig.ok) console.error(`[tally] ${relayConfig.error.message} Running without a relay.`);
  const externalRelay =
    relayConfig.ok && relayConfig.value.mode === 'external' ? relayConfig.value.url : null;
  // Started alongside the window, not before it: the window needs no relay to open (offline-first).
  const relay: Promise<EmbeddedRelay | null> =
    relayConfig.ok && relayConfig.value.mode === 'embedded'
      ? startEmbeddedRelay(relayConfig.value, forkRelay, log).catch((e: unknown) => {
          console.error('[tally] The built-in relay did not start:', e);
          return null;
        })
      : Promise.resolve(null);
  const relayInfo = async (): Promise<RelayInfo | null> => {
    if (externalRelay) return { url: externalRelay, embedded: false };
    const address = (await relay)?.address();
    return address ? { url: address.url, embedded: true } : null;
  };

  // "Sync with devices on this network": off unless the person switched it on.
  const lanFile = lanSettingPath(app.getPath('userData'));
  let lanEnabled = await readLanSetting(lanFile);
  const lanHost = new LanHost({
    startRelay: options.startLanRelay ?? lanRelayStarter(forkRelay, log),
    discovery: options.lanDiscovery ?? (() => bonjourDiscovery()),
    onPeers: (peers) => {
      if (mainWindow && !mainWindow.isDestroyed?.()) mainWindow.webContents.send(LAN_PEERS_EVENT, peers);
    },
    onNearby: (nearby) => {
      if (mainWindow && !mainWindow.isDestroyed?.()) mainWindow.webContents.send(LAN_NEARBY_EVENT, nearby);
    },
  });
  const lan: LanControl = {
    setEnabled: async (enabled) => {
      const status = await lanHost.setEnabled(enabled);
      if (enabled !== lanEnabled) {
        lanEnabled = enabled;
        await writeLanSetting(lanFile, enabled);
        // The page's connection policy changed with the setting: it applies from the next load.
        mainWindow?.webContents.reload();
      }
      return status;
    },
    setRooms: (rooms) => lanHost.setRooms(rooms),
    status: () => lanHost.status(),
    nearby: () => lanHost.nearby(),
  };
  // While LAN sync is off, look (browse only) for members' devices, to offer it (docs/desktop.md).
  void lanHost.setScouting(true).catch(() => undefined);
  if (lanEnabled) {
    void lanHost.setEnabled(true).catch((e: unknown) => console.error('[tally] LAN sync did not start:', e));
  }

  const csp = () => buildCsp({ relayUrl: externalRelay, devServerUrl, lan: lanEnabled });
  installCspHeader(session.defaultSession, csp);
  installPermissionHandlers(session.defaultSession, isAppUrl);
  serveAppProtocol({
    rendererDir: join(mainDir, '../renderer'),
    csp,
    config: async () => ({ relayUrl: (await relayInfo())?.url ?? null }),
  });
  // Automatic updates: signed builds only, a setting, never mid-write (updater.ts).
  const updateFile = updateSettingPath(app.getPath('userData'));
  const eligibility = updateEligibility({
    platform,
    isPackaged: app.isPackaged,
    updateConfig: await (options.updateConfig ?? readPackagedUpdateConfig)(),
  });
  const loadUpdater = options.autoUpdater ?? loadElectronUpdater;
  const autoUpdater = eligibility.ok ? await loadUpdater().catch(() => null) : null;
  const updates = new UpdateController({
    eligibility: autoUpdater
      ? eligibility
      : { ok: false, reason: eligibility.ok ? 'the updater did not load' : eligibility.reason },
    updater: () => autoUpdater!,
    readSetting: () => readUpdateSetting(updateFile),
    writeSetting: (enabled) => writeUpdateSetting(updateFile, enabled),
    onStatus: (status) => {
      if (mainWindow && !mainWindow.isDestroyed?.()) mainWindow.webContents.send(UPDATE_STATUS_EVENT, status);
    },
    log,
  });
  void updates.start().catch((e: unknown) => console.error('[tally] Updates did not start:', e));
  registerIpcHandlers({
    isAppUrl,
    relayInfo,
    lan,
    updates,
    onNotificationClick: (target) => {
      showMainWindow();
      mainWindow?.webContents.send(NOTIFICATION_CLICK_EVENT, target);
    },
  });
  // The app lock: Touch ID calls, and "lock now" on system sleep, screen lock, the menu and CmdOrCtrl+L.
  registerAppLockIpc({ ipcMain, touchId: systemPreferences, platform, isAppUrl });
  watchSystemLock(powerMonitor, () => requestLock(mainWindow));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(buildMenuTemplate(platform, devServerUrl !== null, () => requestLock(mainWindow))),
  );

  mainWindow = createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createMainWindow();
  });
  app.on('window-all-closed', () => {
    if (platform !== 'darwin') app.quit();
  });

  // Hold the quit until the relays have flushed their stores, a few seconds at most (each relay
  // process is ended after 3 s; this bounds the rest), then quit for real.
  let relayStopped = false;
  app.on('will-quit', (event) => {
    if (relayStopped) return;
    event.preventDefault();
    updates.dispose();
    const stopped = Promise.all([relay.then((hosted) => hosted?.close()), lanHost.close()]);
    withDeadline(stopped, QUIT_DEADLINE_MS)
      .catch((e: unknown) => console.error('[tally] Relay shutdown failed:', e))
      .finally(() => {
        relayStopped = true;
        app.quit();
      });
  });

  return { relayInfo };
}
