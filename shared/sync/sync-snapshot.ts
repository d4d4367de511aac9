/**
 * What GroupSync publishes about itself: status, counts and the one problem the person should
 * know about. Pure functions of the binding's parts, so the rules are in one place and tested
 * without a network.
 */
import type { LoggedEntry } from '../ledger/group-log';
import type { EntryId } from '../ledger/types';
import type { TransportError, TransportErrorCode, TransportStatus } from './transport';

export type SyncStatus = 'offline' | 'connecting' | 'syncing' | 'synced';

/**
 * A problem with this group's sync, typed so the app can explain it and offer the way out:
 * the transport's codes (transport.ts) plus two found after a full exchange with the relay:
 * - `relay_has_no_group`: the relay holds nothing for this group and this device never had
 *   anything of it (a joiner's invite names a group this relay does not know);
 * - `history_incomplete`: entries wait for predecessors that nobody supplied.
 */
export type SyncProblemCode = TransportErrorCode | 'relay_has_no_group' | 'history_incomplete';

export interface SyncProblem {
  readonly code: SyncProblemCode;
  /** Plain words (English); the app translates by code. */
  readonly message: string;
  /** When the transport tries again by itself (ms since the epoch). */
  readonly retryAt?: number;
  /** For `history_incomplete`: how many entries wait for earlier ones. */
  readonly count?: number;
}

export interface SyncSnapshot {
  readonly status: SyncStatus;
  /**
   * Entries this device wrote that no transport has taken yet: written while no transport was
   * linked, and no full exchange since (send-tracker.ts, docs/sync.md "Waiting to be sent").
   */
  readonly unsent: number;
  /** When the group was last known to be in sync with a relay or peer (ms); null: never. */
  readonly lastSyncedAt: number | null;
  /** Accepted entries (fork evidence included). */
  readonly entries: number;
  /** Entries waiting for their predecessor. */
  readonly pending: number;
  /** Distinct refusals recorded for this group. */
  readonly rejected: number;
  /** Authors caught with two entries at one seq. */
  readonly forks: number;
  readonly lastError?: string;
  /** The problem to show, if any (see SyncProblemCode). */
  readonly problem?: SyncProblem;
  /**
   * Each transport on its own, present only while the group has extra transports
   * (GroupSync.addTransport): the usual relay first, under the id `relay`.
   */
  readonly transports?: readonly TransportSummary[];
}

/** Id of the group's usual relay in `SyncSnapshot.transports`. */
export const USUAL_TRANSPORT = 'relay';

/** One transport's state: its own status (work in hand not counted) and what it reported. */
export interface TransportSummary {
  readonly id: string;
  readonly status: SyncStatus;
  readonly problem?: SyncProblem;
}

export interface StatusInputs {
  /** A transport session exists (connect was called and not undone). */
  readonly session: boolean;
  readonly transport: TransportStatus;
  /** The transport finished its first full exchange. */
  readonly synced: boolean;
  /** Work in hand: batches queued or running, keys received and not yet checked. */
  readonly busy: boolean;
}

export function statusOf(s: StatusInputs): SyncStatus {
  if (!s.session || s.transport === 'disconnected') return 'offline';
  if (s.transport === 'connecting') return 'connecting';
  if (!s.synced || s.busy) return 'syncing';
  return 'synced';
}

const RANK: Readonly<Record<SyncStatus, number>> = { offline: 0, connecting: 1, syncing: 2, synced: 3 };

/**
 * The group's status over several transports: the best of them. One transport that finished its
 * exchange is enough for the document to be complete, whatever the others are doing.
 */
export function bestStatus(statuses: readonly SyncStatus[]): SyncStatus {
  let best: SyncStatus = 'offline';
  for (const s of statuses) if (RANK[s] > RANK[best]) best = s;
  return best;
}

export interface GroupFacts {
  readonly status: SyncStatus;
  /** Keys in the shared map. */
  readonly mapSize: number;
  /** Entries in the log (this device's own included: writing once puts one here). */
  readonly entries: number;
  readonly pendingCount: number;
  /** Entries the log holds back; read only when some are (after a full sync). */
  readonly pendingEntries: () => readonly LoggedEntry[];
  /** True for an accepted entry (pending ones are not). */
  readonly accepted: (id: EntryId) => boolean;
}

/**
 * Pending entries whose chain, followed back through other pending entries, reaches a
 * predecessor nobody supplied. Entries that wait only for the lamport rule (their predecessor
 * is accepted) are not missing anything.
 */
export function waitingForMissing(
  pending: readonly LoggedEntry[],
  accepted: (id: EntryId) => boolean,
): number {
  const byId = new Map(pending.map((e) => [e.id, e]));
  const verdict = new Map<EntryId, boolean>();
  const missingBelow = (start: LoggedEntry): boolean => {
    const path: EntryId[] = [];
    let e: LoggedEntry | undefined = start;
    let result = false;
    while (e) {
      const known = verdict.get(e.id);
      if (known !== undefined) {
        result = known;
        break;
      }
      path.push(e.id);
      const prev = e.header.prev;
      if (prev === null || accepted(prev)) break;
      const below = byId.get(prev);
      if (!below) {
        result = true;
        break;
      }
      e = path.includes(below.id) ? undefined : below; // a cycle cannot happen (ids are hashes); stay safe
    }
    for (const id of path) verdict.set(id, result);
    return result;
  };
  let count = 0;
  for (const e of pending) if (missingBelow(e)) count++;
  return count;
}

/**
 * The problem a full exchange with the relay reveals. Only when `synced`: before that, an empty
 * map or a missing predecessor just means it has not arrived yet.
 */
export function groupProblem(f: GroupFacts): SyncProblem | undefined {
  if (f.status !== 'synced') return undefined;
  if (f.mapSize === 0 && f.entries === 0 && f.pendingCount === 0) {
    // A creator or a member always has its own entries here, and the relay would have them too.
    return { code: 'relay_has_no_group', message: 'This relay has no such group.' };
  }
  if (f.pendingCount === 0) return undefined;
  const waiting = waitingForMissing(f.pendingEntries(), f.accepted);
  if (waiting > 0) {
    return {
      code: 'history_incomplete',
      message:
        `This group's history is incomplete: ${waiting} ${waiting === 1 ? 'entry waits' : 'entries wait'} ` +
        'for earlier ones that no device has supplied yet.',
      count: waiting,
    };
  }
  return undefined;
}

/** The transport's error as a problem (the transport's own words and retry time). */
export function transportProblem(error: TransportError): SyncProblem {
  return {
    code: error.code,
    message: error.message,
    ...(error.retryAt !== undefined ? { retryAt: error.retryAt } : {}),
  };
}

function sameProblem(a: SyncProblem | undefined, b: SyncProblem | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.code === b.code && a.message === b.message && a.retryAt === b.retryAt && a.count === b.count;
}

function sameTransports(
  a: readonly TransportSummary[] | undefined,
  b: readonly TransportSummary[] | undefined,
): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((t, i) => {
    const u = b[i]!;
    return t.id === u.id && t.status === u.status && sameProblem(t.problem, u.problem);
  });
}

/** True when publishing `next` would tell listeners nothing new. */
export function sameSnapshot(prev: SyncSnapshot, next: SyncSnapshot): boolean {
  return (
    prev.status === next.status &&
    prev.unsent === next.unsent &&
    prev.lastSyncedAt === next.lastSyncedAt &&
    prev.entries === next.entries &&
    prev.pending === next.pending &&
    prev.rejected === next.rejected &&
    prev.forks === next.forks &&
    prev.lastError === next.lastError &&
    sameProblem(prev.problem, next.problem) &&
    sameTransports(prev.transports, next.transports)
  );
}
