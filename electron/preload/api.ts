/**
 * The desktop API the preload exposes as `window.tally` (types only: the renderer imports
 * these with `import type`). In a plain browser `window.tally` is undefined.
 *
 * Every call resolves (never rejects) with a result: errors cross the context bridge as plain
 * `{ code, message }` values, because Error objects lose their fields on the way.
 */

export type DesktopErrorCode =
  /** The call came from a frame that is not the app's own page. */
  | 'IPC_FORBIDDEN_SENDER'
  /** Arguments failed validation; nothing was done. */
  | 'IPC_BAD_ARGUMENT'
  /** No OS keychain (safeStorage) is available to protect secrets. */
  | 'SECRET_UNAVAILABLE'
  /** The protected secret could not be decrypted (corrupted, or from another machine/user). */
  | 'SECRET_DECRYPT_FAILED'
  /** The blob was not made by this installation (another profile or machine, tampered, or not ours at all). */
  | 'SECRET_FOREIGN'
  | 'FILE_WRITE_FAILED'
  | 'NOTIFY_UNSUPPORTED'
  /** The in-process relay is not running (it failed to start); the app still works offline. */
  | 'RELAY_UNAVAILABLE'
  /** LAN sync could not start (no network interface, port or multicast), or is not available here. */
  | 'LAN_UNAVAILABLE'
  /** No update has been downloaded (or updates are off or unsupported here). */
  | 'UPDATE_NOT_READY'
  /** The renderer reported unsaved writes: an update is never installed mid-write. */
  | 'UPDATE_BUSY'
  | 'INTERNAL';

export interface DesktopError {
  readonly code: DesktopErrorCode;
  readonly message: string;
}

export type DesktopResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: DesktopError };

export interface FileFilter {
  /** Shown in the dialog, e.g. "CSV". 1–64 characters. */
  readonly name: string;
  /** Without dots, e.g. ["csv"]; letters and digits only, or "*". */
  readonly extensions: readonly string[];
}

export interface SaveFileRequest {
  /** Suggested file name (no directories), e.g. "flat-3b-2025-06.csv". */
  readonly defaultName: string;
  /** Text written as UTF-8 exactly as given (include a BOM yourself if Excel needs one). At most 50 MiB. */
  readonly content: string;
  readonly filters?: readonly FileFilter[];
}

export interface SaveBinaryFileRequest {
  /** Suggested file name (no directories), e.g. "flat-3b-by-category.png". */
  readonly defaultName: string;
  /** The file's bytes, written exactly as given (a chart's PNG). At most 50 MiB. */
  readonly bytes: Uint8Array;
  readonly filters?: readonly FileFilter[];
}

export type SaveFileResult = { readonly saved: false } | { readonly saved: true; readonly path: string };

export interface SecretStatus {
  /** safeStorage can encrypt at all. */
  readonly available: boolean;
  /** 'keychain' (macOS), 'dpapi' (Windows), or the Linux backend, e.g. 'gnome_libsecret', 'kwallet5', 'basic_text'. */
  readonly backend: string;
  /** Available and backed by a real keychain (not Linux's 'basic_text' fallback, which only obfuscates). */
  readonly secure: boolean;
}

export interface NotifyRequest {
  /** 1–120 characters. */
  readonly title: string;
  /** Up to 1000 characters. */
  readonly body: string;
  /** An app route (`#/…`) to open when the notification is clicked. */
  readonly target?: string;
}

export interface RelayInfo {
  /** ws:// or wss:// URL of the relay this desktop app uses. */
  readonly url: string;
  /** True when the relay runs inside this app (on 127.0.0.1). */
  readonly embedded: boolean;
}

/** A group the LAN relay may serve: its id and the SHA-256 of its relay token (hex), never the key. */
export interface LanRoom {
  /** 32 lower-case hex characters. */
  readonly groupId: string;
  /** 64 lower-case hex characters. */
  readonly tokenHash: string;
  /** The group's LAN tag key (shared/sync/lan-tags.ts, 64 hex): its tag goes into the announcement. */
  readonly tagKey?: string;
}

/** Another device's LAN relay seen while LAN sync is off: its random id and membership tags. */
export interface LanNearby {
  readonly serviceId: string;
  readonly tags: readonly string[];
}

/** A relay found on the local network (or this device's own, `own: true`, over loopback). */
export interface LanPeerInfo {
  /** Random id of the announcement: says nothing about the device or its groups. */
  readonly serviceId: string;
  /** ws:// base URL. */
  readonly url: string;
  readonly own: boolean;
}

export interface LanStatus {
  /** "Sync with devices on this network" is on and this device's LAN relay runs. */
  readonly enabled: boolean;
  readonly port?: number;
  readonly serviceId?: string;
  readonly peers: readonly LanPeerInfo[];
}

/** Automatic updates (docs/desktop.md, "Updates"). */
export interface UpdateStatus {
  /** The person's setting (on by default). */
  readonly enabled: boolean;
  /** Whether this build can update itself at all (signed, packaged, not Linux). */
  readonly supported: boolean;
  /** Why not, when `supported` is false. */
  readonly reason?: string;
  readonly state: 'idle' | 'checking' | 'downloading' | 'ready' | 'error';
  /** The version being downloaded or ready to install. */
  readonly version?: string;
}

export interface TallyDesktopApi {
  saveFile(request: SaveFileRequest): Promise<DesktopResult<SaveFileResult>>;
  /** saveFile for binary content (a chart's PNG); the same dialog and overwrite confirmation. */
  saveBinaryFile?(request: SaveBinaryFileRequest): Promise<DesktopResult<SaveFileResult>>;
  /** Encrypts a secret (any string, ≤ 64 KiB) with the OS keychain; resolves base64 ciphertext. */
  protectSecret(plaintext: string): Promise<DesktopResult<string>>;
  /** Reverses protectSecret, for blobs this installation made only (others: SECRET_FOREIGN). */
  unprotectSecret(ciphertextBase64: string): Promise<DesktopResult<string>>;
  secretStatus(): Promise<DesktopResult<SecretStatus>>;
  notify(request: NotifyRequest): Promise<DesktopResult<{ readonly shown: true }>>;
  relayInfo(): Promise<DesktopResult<RelayInfo>>;
  /**
   * Calls `listener` with each wallet://join link the OS hands the app (already syntax-checked
   * by the main process; the renderer still validates its contents). Links that arrive before
   * the first listener subscribes are queued and replayed to it. Returns an unsubscribe function.
   */
  onInvite(listener: (url: string) => void): () => void;
  version(): Promise<DesktopResult<string>>;
  /**
   * Switches "Sync with devices on this network" (off by default; the choice is kept by the app).
   * The window reloads when the setting changes, so the page's connection policy admits LAN relays.
   */
  lanSetEnabled(enabled: boolean): Promise<DesktopResult<LanStatus>>;
  /** The groups this device holds (at most 1000): the only rooms its LAN relay serves. */
  lanSetRooms(rooms: readonly LanRoom[]): Promise<DesktopResult<{ readonly rooms: number }>>;
  lanStatus(): Promise<DesktopResult<LanStatus>>;
  /** Calls `listener` with the relays found on the network whenever they change; returns an unsubscribe function. */
  onLanPeers(listener: (peers: readonly LanPeerInfo[]) => void): () => void;
  /** While LAN sync is off: the relays other devices announce (for "a member is on this network"). */
  onLanNearby(listener: (nearby: readonly LanNearby[]) => void): () => void;
  updateStatus(): Promise<DesktopResult<UpdateStatus>>;
  /** Switches automatic updates on or off (kept by the app). */
  updateSetEnabled(enabled: boolean): Promise<DesktopResult<UpdateStatus>>;
  /** Restarts into a downloaded update: UPDATE_NOT_READY without one, UPDATE_BUSY while writes are pending. */
  updateInstall(): Promise<DesktopResult<{ readonly installing: true }>>;
  /**
   * Tells the shell how many local writes are unfinished (0–1,000,000). While it is not 0, no
   * update is installed, neither on request nor on quit.
   */
  reportPendingWrites(count: number): Promise<DesktopResult<{ readonly pending: number }>>;
  /** Calls `listener` with each new update status; returns an unsubscribe function. */
  onUpdateStatus(listener: (status: UpdateStatus) => void): () => void;
  lanNearby(): Promise<DesktopResult<readonly LanNearby[]>>;
  /** App lock: whether Touch ID can confirm (macOS with a sensor only; docs/desktop.md). */
  touchIdAvailable?(): Promise<DesktopResult<{ readonly available: boolean }>>;
  /** App lock: asks for Touch ID with this reason; `confirmed` false when cancelled or failed. */
  promptTouchId?(reason: string): Promise<DesktopResult<{ readonly confirmed: boolean }>>;
  /** App lock: calls `listener` when the menu, the shortcut, system sleep or the screen lock asks to lock. */
  onLock?(listener: () => void): () => void;
  /** Calls `listener` with the app route of a clicked notification (see NotifyRequest.target). */
  onNotificationClick?(listener: (target: string) => void): () => void;
}
