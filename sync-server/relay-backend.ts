/**
 * The seam between the relay's room logic (relay.ts, room.ts: auth, limits, budgets, sync
 * replies) and where rooms live. One process uses the LevelDB/memory ManagedRoomStore and its
 * local access checks; a cluster node (cluster-backend.ts) plugs in Redis for the same jobs, so
 * hardening is written once and holds in both.
 */
import type { HandOverOutcome } from '../shared/sync/relay-handover';
import type { AddressBudgets } from './address-budgets';
import type { AccessVerdict } from './room-access';
import type { RoomStore } from './room-store';
import type { HandOver, TokenSet } from './token-set';

/** What the relay needs of its store beyond a RoomStore (ManagedRoomStore has all of it). */
export interface RelayStore extends RoomStore {
  readonly healingCount: number;
  readonly damageCount: number;
  readonly expiredCount: number;
  readonly lifecycle: {
    readonly provisionalCount: number;
    secondsUntilProvisionalExpiry(): number | null;
  };
  /** Resolves when the room is not being deleted. */
  settled(roomId: string): Promise<void>;
  isTokenDamaged(roomId: string): boolean;
  /** The room's last connection closed (or its first opened): restart its idle clock. */
  roomTouched(roomId: string, unloaded: boolean): void;
  sweep(inUse: (roomId: string) => boolean, forgetAccess: (roomId: string) => void): Promise<number>;
}

/** Token check plus every creation limit, and the room's token set, decided in one place shared by all nodes. */
export interface SharedAccess {
  authorize(roomId: string, token: string, ip: string): Promise<AccessVerdict>;
  forget(roomId: string): void;
  /** The room's token set as the backend knows it now (undefined: no such room). */
  tokenSet(roomId: string): Promise<TokenSet | undefined>;
  /** Applies a hand-over whose signature and author were checked; resolves once it is stored. */
  handOver(roomId: string, request: HandOver): Promise<HandOverOutcome>;
}

/**
 * Updates other nodes wrote to a room this node has loaded. `follow` starts right after the
 * point the room was loaded from (the store remembers it), so nothing falls in between.
 */
export interface RemoteUpdates {
  follow(roomId: string, onUpdate: (update: Uint8Array) => void): () => void;
}

/**
 * Presence (awareness updates) of clients connected to other nodes, and this node's clients'
 * presence for them. Never stored: a node that dies takes its clients' states with it, and the
 * other nodes drop them when they stop being renewed (y-protocols' 30 s timeout).
 */
export interface RemotePresence {
  /** Sends an awareness update of this node's clients in `roomId` to the other nodes. */
  publish(roomId: string, update: Uint8Array): void;
  /** Calls `onUpdate` with other nodes' awareness updates for `roomId`; returns the unfollow. */
  follow(roomId: string, onUpdate: (update: Uint8Array) => void): () => void;
}

/** The parts a cluster node swaps in; absent parts keep the single-process behaviour. */
export interface RelayBackend {
  readonly store: RelayStore;
  readonly access?: SharedAccess;
  readonly budgets?: AddressBudgets;
  readonly remote?: RemoteUpdates;
  readonly presence?: RemotePresence;
}
