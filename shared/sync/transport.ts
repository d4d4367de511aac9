/**
 * How a group's Yjs document reaches other devices. The binding does not care: in the app
 * and the headless client it is y-websocket through the relay; in-process tests plug in a
 * MemoryNetwork that delivers updates directly (and badly, on purpose).
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { GroupId } from '../ledger/types';
import type { RelayTokens } from './relay-tokens';

export type TransportStatus = 'connecting' | 'connected' | 'disconnected';

/**
 * Why the transport is not syncing, typed so the app can say what to do (docs/relay.md, close codes):
 * - `invite_key_mismatch`: the relay knows the group under another key (4401); retrying cannot help.
 * - `relay_busy`: the relay or this address is over a budget (4429 / 4503); next try at `retryAt`.
 * - `room_full` / `author_quota`: the group's room, or this member's share of it, is full (4413).
 * - `unreachable`: no connection could be made (network, wrong address, relay down).
 * - `refused`: any other close; the transport retries with its usual backoff.
 */
export type TransportErrorCode =
  | 'invite_key_mismatch'
  | 'relay_busy'
  | 'room_full'
  | 'author_quota'
  | 'unreachable'
  | 'refused';

export interface TransportError {
  readonly code: TransportErrorCode;
  /** The same in plain words (English; the app translates by code). */
  readonly message: string;
  /** When the transport tries again by itself (ms since the epoch); absent: backoff, or never. */
  readonly retryAt?: number;
  /** The WebSocket close code the relay sent, when there was one. */
  readonly closeCode?: number;
}

export interface TransportContext {
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly groupId: GroupId;
  /** Relay authorisation token derived from the group key (the key itself never leaves the device). */
  readonly token: string;
  /**
   * Every relay token the device holds for the group, newest first (relay-tokens.ts). A relay
   * transport presents the newest, falls back to older ones and hands the newest over; without
   * it, `token` alone is presented.
   */
  readonly relayTokens?: RelayTokens;
  onStatus(status: TransportStatus): void;
  /** True once the first full exchange with the other side finished; false after a disconnect. */
  onSynced(synced: boolean): void;
  onError(error: TransportError): void;
}

export interface Transport {
  /** Stops syncing and releases sockets and timers. */
  destroy(): void;
}

export type TransportFactory = (ctx: TransportContext) => Transport;
