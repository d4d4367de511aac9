/**
 * How a group's Yjs document reaches other devices. The binding does not care: in the app
 * and the headless client it is y-websocket through the relay; in-process tests plug in a
 * MemoryNetwork that delivers updates directly (and badly, on purpose).
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { GroupId } from '../ledger/types';

export type TransportStatus = 'connecting' | 'connected' | 'disconnected';

export interface TransportContext {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly groupId: GroupId;
  /** Relay authorisation token derived from the group key (the key itself never leaves the device). */
  readonly token: string;
  onStatus(status: TransportStatus): void;
  /** True once the first full exchange with the other side finished; false after a disconnect. */
  onSynced(synced: boolean): void;
  onError(message: string): void;
}

export interface Transport {
  /** Stops syncing and releases sockets and timers. */
  destroy(): void;
}

export type TransportFactory = (ctx: TransportContext) => Transport;
