import type { DesktopResult, LanNearby, LanPeerInfo, TallyDesktopApi, UpdateStatus } from './api';
import {
  INVITE_EVENT,
  IPC,
  type InvokeChannel,
  LAN_NEARBY_EVENT,
  LAN_PEERS_EVENT,
  LOCK_EVENT,
  LOCK_IPC,
  NOTIFICATION_CLICK_EVENT,
  UPDATE_STATUS_EVENT,
} from './channels';

/** The slice of ipcRenderer the API needs; kept narrow so the API can never leak the rest. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Invite links received before anyone subscribed; bounded so a flood cannot grow memory. */
const MAX_QUEUED_INVITES = 8;

/**
 * Builds the object exposed as `window.tally`. Each method forwards to one fixed channel; the
 * renderer never chooses a channel name and never sees ipcRenderer itself.
 */
export function createTallyApi(ipc: IpcRendererLike): TallyDesktopApi {
  const call = async <T>(
    channel: InvokeChannel | (typeof LOCK_IPC)[keyof typeof LOCK_IPC],
    ...args: unknown[]
  ): Promise<DesktopResult<T>> => {
    try {
      return (await ipc.invoke(channel, ...args)) as DesktopResult<T>;
    } catch {
      // Only reachable if the main process has no handler (a build mismatch): still a value, not a throw.
      return { ok: false, error: { code: 'INTERNAL', message: `Desktop call ${channel} failed.` } };
    }
  };

  const listeners = new Set<(url: string) => void>();
  const queued: string[] = [];
  ipc.on(INVITE_EVENT, (_event, url) => {
    if (typeof url !== 'string') return;
    if (listeners.size === 0) {
      if (queued.length < MAX_QUEUED_INVITES) queued.push(url);
      return;
    }
    for (const listener of listeners) listener(url);
  });

  const lanListeners = new Set<(peers: readonly LanPeerInfo[]) => void>();
  ipc.on(LAN_PEERS_EVENT, (_event, peers) => {
    if (!Array.isArray(peers)) return;
    for (const listener of lanListeners) listener(peers as LanPeerInfo[]);
  });
  const updateListeners = new Set<(status: UpdateStatus) => void>();
  ipc.on(UPDATE_STATUS_EVENT, (_event, status) => {
    if (typeof status !== 'object' || status === null) return;
    for (const listener of updateListeners) listener(status as UpdateStatus);
  });

  const nearbyListeners = new Set<(nearby: readonly LanNearby[]) => void>();
  ipc.on(LAN_NEARBY_EVENT, (_event, nearby) => {
    if (!Array.isArray(nearby)) return;
    for (const listener of nearbyListeners) listener(nearby as LanNearby[]);
  });

  const lockListeners = new Set<() => void>();
  ipc.on(LOCK_EVENT, () => {
    for (const listener of lockListeners) listener();
  });
  const clickListeners = new Set<(target: string) => void>();
  ipc.on(NOTIFICATION_CLICK_EVENT, (_event, target) => {
    if (typeof target !== 'string' || !target.startsWith('#/')) return;
    for (const listener of clickListeners) listener(target);
  });

  return {
    saveFile: (request) => call(IPC.saveFile, request),
    saveBinaryFile: (request) => call(IPC.saveBinaryFile, request),
    touchIdAvailable: () => call(LOCK_IPC.touchIdAvailable),
    promptTouchId: (reason) => call(LOCK_IPC.touchIdPrompt, reason),
    onLock(listener) {
      if (typeof listener !== 'function') throw new TypeError('onLock needs a function');
      lockListeners.add(listener);
      return () => {
        lockListeners.delete(listener);
      };
    },
    onNotificationClick(listener) {
      if (typeof listener !== 'function') throw new TypeError('onNotificationClick needs a function');
      clickListeners.add(listener);
      return () => {
        clickListeners.delete(listener);
      };
    },
    protectSecret: (plaintext) => call(IPC.protectSecret, plaintext),
    unprotectSecret: (ciphertext) => call(IPC.unprotectSecret, ciphertext),
    secretStatus: () => call(IPC.secretStatus),
    notify: (request) => call(IPC.notify, request),
    relayInfo: () => call(IPC.relayInfo),
    version: () => call(IPC.version),
    lanSetEnabled: (enabled) => call(IPC.lanSetEnabled, enabled),
    lanSetRooms: (rooms) => call(IPC.lanSetRooms, rooms),
    lanStatus: () => call(IPC.lanStatus),
    lanNearby: () => call(IPC.lanNearby),
    updateStatus: () => call(IPC.updateStatus),
    updateSetEnabled: (enabled) => call(IPC.updateSetEnabled, enabled),
    updateInstall: () => call(IPC.updateInstall),
    reportPendingWrites: (count) => call(IPC.pendingWrites, count),
    onUpdateStatus(listener) {
      if (typeof listener !== 'function') throw new TypeError('onUpdateStatus needs a function');
      updateListeners.add(listener);
      return () => {
        updateListeners.delete(listener);
      };
    },
    onLanNearby(listener) {
      if (typeof listener !== 'function') throw new TypeError('onLanNearby needs a function');
      nearbyListeners.add(listener);
      return () => {
        nearbyListeners.delete(listener);
      };
    },
    onLanPeers(listener) {
      if (typeof listener !== 'function') throw new TypeError('onLanPeers needs a function');
      lanListeners.add(listener);
      return () => {
        lanListeners.delete(listener);
      };
    },
    onInvite(listener) {
      if (typeof listener !== 'function') throw new TypeError('onInvite needs a function');
      listeners.add(listener);
      for (const url of queued.splice(0)) listener(url);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
