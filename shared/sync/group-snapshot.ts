/**
 * What GroupSync publishes about itself (SyncSnapshot), worked out from its parts: the usual
 * relay's session, the extra transports, the verifier's counts and the send tracker. Pure: the
 * rules of status and problems live in sync-snapshot.ts.
 */
import type { GroupLog } from '../ledger/group-log';
import type { SendTracker } from './send-tracker';
import {
  bestStatus,
  groupProblem,
  type SyncProblem,
  type SyncSnapshot,
  type SyncStatus,
  statusOf,
  type TransportSummary,
  transportProblem,
  USUAL_TRANSPORT,
} from './sync-snapshot';
import type { TransportSession } from './transport-session';
import type { ExtraTransport } from './transport-set';

export interface GroupSnapshotParts {
  readonly link: TransportSession;
  readonly extras: readonly ExtraTransport[];
  /** Work in hand (a batch being checked, keys waiting). */
  readonly busy: boolean;
  readonly log: GroupLog;
  readonly mapSize: number;
  readonly rejected: number;
  readonly sent: SendTracker;
  /** A store or document problem, in words. */
  readonly lastError: string | undefined;
}

export function groupSnapshot(p: GroupSnapshotParts): SyncSnapshot {
  const { link, extras, log } = p;
  const statusOfSession = (s: TransportSession, withWork: boolean): SyncStatus =>
    statusOf({ session: s.active, transport: s.status, synced: s.synced, busy: withWork && p.busy });
  const status = bestStatus([link, ...extras.map((t) => t.session)].map((s) => statusOfSession(s, true)));
  // While another transport has the whole document, what the usual relay says does not stand in
  // the way (it stays in `transports`): a busy or unreachable relay must not block a LAN sync.
  const otherSynced = extras.some((t) => t.session.synced);
  const linkError = otherSynced ? undefined : link.error;
  // What the relay said comes first: it is what stands in the way right now.
  const problem: SyncProblem | undefined = linkError
    ? transportProblem(linkError)
    : groupProblem({
        status,
        mapSize: p.mapSize,
        entries: log.size,
        pendingCount: log.pendingCount,
        pendingEntries: () => log.pendingEntries(),
        accepted: (id) => log.get(id) !== undefined,
      });
  const error = linkError?.message ?? p.lastError;
  const summary = (id: string, s: TransportSession): TransportSummary => ({
    id,
    status: statusOfSession(s, false),
    ...(s.error ? { problem: transportProblem(s.error) } : {}),
  });
  const transports =
    extras.length > 0
      ? [summary(USUAL_TRANSPORT, link), ...extras.map((t) => summary(t.id, t.session))]
      : undefined;
  return {
    status,
    unsent: p.sent.unsent,
    lastSyncedAt: p.sent.lastSyncedAt,
    entries: log.size,
    pending: log.pendingCount,
    rejected: p.rejected,
    forks: log.forks().length,
    ...(error !== undefined ? { lastError: error } : {}),
    ...(problem !== undefined ? { problem } : {}),
    ...(transports !== undefined ? { transports } : {}),
  };
}
