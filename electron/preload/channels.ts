/** IPC channel names, shared by the preload (sender) and the main process (handlers). */
export const IPC = {
  saveFile: 'file:save',
  protectSecret: 'secret:protect',
  unprotectSecret: 'secret:unprotect',
  secretStatus: 'secret:status',
  notify: 'notify',
  relayInfo: 'relay:info',
  version: 'app:version',
} as const;

/** Main → renderer: a validated wallet://join link to open. */
export const INVITE_EVENT = 'invite';

export type InvokeChannel = (typeof IPC)[keyof typeof IPC];
