/** IPC channel names, shared by the preload (sender) and the main process (handlers). */
export const IPC = {
  saveFile: 'file:save',
  saveBinaryFile: 'file:save-binary',
  protectSecret: 'secret:protect',
  unprotectSecret: 'secret:unprotect',
  secretStatus: 'secret:status',
  notify: 'notify',
  relayInfo: 'relay:info',
  version: 'app:version',
  lanSetEnabled: 'lan:set-enabled',
  lanSetRooms: 'lan:set-rooms',
  lanStatus: 'lan:status',
  lanNearby: 'lan:nearby',
  updateStatus: 'update:status',
  updateSetEnabled: 'update:set-enabled',
  updateInstall: 'update:install',
  pendingWrites: 'app:pending-writes',
} as const;

/** Main → renderer: the auto-update status changed (UpdateStatus). */
export const UPDATE_STATUS_EVENT = 'update-status';

/** Main → renderer: the relays found on the local network changed (LanPeerInfo[]). */
export const LAN_PEERS_EVENT = 'lan-peers';

/** Main → renderer: while LAN sync is off, the relays other devices announce changed (LanNearby[]). */
export const LAN_NEARBY_EVENT = 'lan-nearby';

/** Main → renderer: a validated wallet://join link to open. */
export const INVITE_EVENT = 'invite';

export type InvokeChannel = (typeof IPC)[keyof typeof IPC];

/** The app lock's calls (electron/main/app-lock.ts registers them; docs/desktop.md, "App lock"). */
export const LOCK_IPC = {
  touchIdAvailable: 'lock:touch-id-available',
  touchIdPrompt: 'lock:touch-id-prompt',
} as const;

/** Main → renderer: lock the app now (menu item, shortcut, system sleep or screen lock). */
export const LOCK_EVENT = 'app-lock';

/** Main → renderer: a notification was clicked; the app route it should open. */
export const NOTIFICATION_CLICK_EVENT = 'notification-click';
