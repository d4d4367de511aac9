/** What the screens see of the app service: plain snapshots plus the actions they may call. */
import type { EntryId, GroupId, GroupState } from '../../../shared/ledger/types';
import type { CurrencyCode, MemberId, Minor } from '../../../shared/money/types';
import type { SyncProblem } from '../../../shared/sync/sync-snapshot';

export type SyncPhase = 'offline' | 'connecting' | 'syncing' | 'synced';

export interface SyncView {
  readonly phase: SyncPhase;
  /** Entries received but waiting for a predecessor, or local entries not yet confirmed by the relay. */
  readonly pending: number;
  /** Entries refused by the verifier (kept for the reconcile screen). */
  readonly rejected: number;
  /** Changes this device wrote that no relay or peer has taken yet (docs/sync.md, "Waiting to be sent"). */
  readonly unsent?: number;
  /** When the group was last known to be in sync (ms); null: never; absent: not known yet. */
  readonly lastSyncedAt?: number | null;
  /** What stands in the way of syncing (relay busy, wrong invite key, no such group…), if anything. */
  readonly problem?: SyncProblem;
  /** A member whose device this group syncs with on the local network (LAN sync), if any. */
  readonly lanPeer?: string;
}

export interface Peer {
  readonly member: MemberId;
  readonly name: string;
  readonly typing: boolean;
}

export interface GroupSnapshot {
  readonly groupId: GroupId;
  /**
   * The folded state: the group's cached view until its sync is open, then the sync's. Null
   * while neither is there yet (`loading`), or while a joiner waits for the group's history.
   */
  readonly state: GroupState | null;
  /** True until the group's sync is open (entries loaded, verifier ready); writes wait for it. */
  readonly loading: boolean;
  readonly sync: SyncView;
  /** Other members connected right now (from Yjs awareness). */
  readonly peers: readonly Peer[];
  readonly relayUrl: string | null;
  /** Entries received since the user last looked at the reconcile screen. */
  readonly unseen: number;
  /** The Review badge: unseen arrivals plus open conflicts (lib/reviewCount.ts). */
  readonly review: number;
  /** A problem to show on the group's screens (join failed, relay refused, store error). */
  readonly error: string | null;
  /** False until this device's member.joined (or group.created) is in the folded state. */
  readonly joined: boolean;
}

export interface GroupSummary {
  readonly id: GroupId;
  readonly name: string;
  readonly currency: CurrencyCode;
  /** My net balance per currency (positive: the group owes me). */
  readonly myBalances: ReadonlyArray<{ readonly currency: CurrencyCode; readonly amount: Minor }>;
  readonly sync: SyncView;
  readonly unseen: number;
  /** The Review badge, the same number as GroupSnapshot.review. */
  readonly review: number;
}

export interface AppSnapshot {
  readonly phase: 'loading' | 'locked' | 'needs-identity' | 'ready' | 'error';
  readonly error: string | null;
  readonly me: { readonly id: MemberId; readonly name: string } | null;
  readonly groups: readonly GroupSummary[];
  /** The relay used for new groups (settings override, else the configured one). */
  readonly relayUrl: string;
  /** Stored groups still being opened at startup (not yet in `groups`). */
  readonly opening: number;
  /** False in a browser: the identity secret is stored without OS keychain protection. */
  readonly secretProtected: boolean;
}

/** One item of "what arrived since I last looked". */
export interface ArrivalItem {
  readonly entryId: EntryId;
  readonly author: MemberId;
  readonly receivedAt: number;
}
