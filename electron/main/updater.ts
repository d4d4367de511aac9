/**
 * Automatic updates (electron-updater, from this project's GitHub releases), with three rules:
 * - signed updates only: Windows checks each download's Authenticode publisher against the one
 *   the running app was signed with (electron-builder records it in app-update.yml only when the
 *   build was signed, so an unsigned build does not update at all); macOS's updater (Squirrel)
 *   refuses an update whose code signature does not match the app's; Linux packages are not
 *   signed, so Linux builds never update themselves;
 * - a setting turns it off (update-setting.ts);
 * - never mid-write: an update is installed only on quit, or when the person asks for it, and
 *   in both cases only while the renderer reports no unsaved writes.
 *
 * Kept free of `electron` and `electron-updater`: both are injected (app.ts), tests use fakes.
 */
import { WalletError } from '../../shared/errors';
import type { DesktopErrorCode, UpdateStatus } from '../preload/api';

/** The part of electron-updater's AppUpdater used here. */
export interface AutoUpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  checkForUpdates(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  on(event: 'checking-for-update' | 'update-not-available', listener: () => void): unknown;
  on(event: 'update-available' | 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export type Eligibility = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Whether this build may update itself at all (see the rules above). */
export function updateEligibility(context: {
  platform: NodeJS.Platform;
  isPackaged: boolean;
  /** Text of resources/app-update.yml, or null when the package has none. */
  updateConfig: string | null;
}): Eligibility {
  if (!context.isPackaged) return { ok: false, reason: 'a development build does not update itself' };
  if (context.platform === 'linux') {
    return {
      ok: false,
      reason: 'Linux packages are not signed: update with your package manager or a new AppImage',
    };
  }
  if (context.platform !== 'win32' && context.platform !== 'darwin') {
    return { ok: false, reason: 'this system has no signed update channel' };
  }
  if (context.updateConfig === null) return { ok: false, reason: 'this build has no update source' };
  // electron-builder writes publisherName only when it signed the build; without it the Windows
  // updater would install an unsigned download.
  if (context.platform === 'win32' && !/^publisherName:\s*(?:\S|\n\s*-\s*\S)/m.test(context.updateConfig)) {
    return { ok: false, reason: 'this build is not signed' };
  }
  return { ok: true };
}

export const CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

export interface UpdateControllerDeps {
  readonly eligibility: Eligibility;
  /** Created only when eligible (electron-updater reads app-update.yml as soon as it exists). */
  readonly updater: () => AutoUpdaterLike;
  readonly readSetting: () => Promise<boolean>;
  readonly writeSetting: (enabled: boolean) => Promise<void>;
  /** The status changed (the app forwards it to the page). */
  readonly onStatus?: (status: UpdateStatus) => void;
  readonly log?: (message: string) => void;
  readonly intervalMs?: number;
}

type Code = DesktopErrorCode;

export class UpdateController {
  readonly #deps: UpdateControllerDeps;
  #updater: AutoUpdaterLike | null = null;
  #enabled = false;
  #state: UpdateStatus['state'] = 'idle';
  #version: string | undefined;
  #pendingWrites = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(deps: UpdateControllerDeps) {
    this.#deps = deps;
  }

  status(): UpdateStatus {
    const e = this.#deps.eligibility;
    return {
      enabled: this.#enabled,
      supported: e.ok,
      ...(e.ok ? {} : { reason: e.reason }),
      state: this.#state,
      ...(this.#version ? { version: this.#version } : {}),
    };
  }

  /** Reads the setting and, when on and eligible, starts checking. */
  async start(): Promise<UpdateStatus> {
    this.#enabled = await this.#deps.readSetting();
    this.#apply();
    return this.status();
  }

  async setEnabled(enabled: boolean): Promise<UpdateStatus> {
    if (enabled !== this.#enabled) {
      this.#enabled = enabled;
      await this.#deps.writeSetting(enabled);
      this.#apply();
    }
    return this.status();
  }

  /** How many writes the renderer has not finished; installing waits for zero. */
  reportPendingWrites(count: number): void {
    this.#pendingWrites = count;
    this.#syncInstallOnQuit();
  }

  /** Restarts into the downloaded update, only when one is ready and nothing is being written. */
  install(): void {
    if (!this.#updater || this.#state !== 'ready') {
      throw new WalletError<Code>('UPDATE_NOT_READY', 'No update has been downloaded yet.');
    }
    if (this.#pendingWrites > 0) {
      throw new WalletError<Code>('UPDATE_BUSY', 'Changes are still being saved; try again in a moment.');
    }
    this.#updater.quitAndInstall(false, true);
  }

  dispose(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #apply(): void {
    if (!this.#enabled || !this.#deps.eligibility.ok) {
      this.dispose();
      this.#syncInstallOnQuit();
      this.#emit();
      return;
    }
    this.#ensureUpdater();
    this.#syncInstallOnQuit();
    this.#check();
    this.#timer ??= setInterval(() => this.#check(), this.#deps.intervalMs ?? CHECK_INTERVAL_MS);
  }

  #ensureUpdater(): AutoUpdaterLike {
    if (this.#updater) return this.#updater;
    const updater = this.#deps.updater();
    updater.autoDownload = true;
    updater.allowDowngrade = false;
    updater.on('checking-for-update', () => this.#set('checking'));
    updater.on('update-not-available', () => this.#set('idle'));
    updater.on('update-available', (info) => this.#set('downloading', info.version));
    updater.on('update-downloaded', (info) => this.#set('ready', info.version));
    updater.on('error', (error) => {
      this.#deps.log?.(`Update failed: ${error.message}`);
      this.#set(this.#state === 'ready' ? 'ready' : 'error');
    });
    this.#updater = updater;
    return updater;
  }

  #check(): void {
    if (this.#state === 'ready') return; // one is waiting; nothing newer is fetched meanwhile
    this.#updater?.checkForUpdates().catch((e: unknown) => {
      this.#deps.log?.(`Update check failed: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  /** Install on quit only while enabled and nothing is pending. */
  #syncInstallOnQuit(): void {
    if (!this.#updater) return;
    this.#updater.autoInstallOnAppQuit = this.#enabled && this.#pendingWrites === 0;
  }

  #set(state: UpdateStatus['state'], version?: string): void {
    this.#state = state;
    if (version) this.#version = version;
    this.#emit();
  }

  #emit(): void {
    this.#deps.onStatus?.(this.status());
  }
}
