/** What the screens see of a group's sync: its phase, counts and the problem to explain. */
import type { SyncSnapshot } from '../../../shared/sync/group-sync';
import type { PresenceState } from '../../../shared/sync/presence';
import type { SyncView } from './types';

export function syncView(s: SyncSnapshot): SyncView {
  return {
    phase: s.status,
    pending: s.pending,
    rejected: s.rejected + s.forks,
    unsent: s.unsent,
    lastSyncedAt: s.lastSyncedAt,
    ...(s.problem ? { problem: s.problem } : {}),
  };
}

/**
 * The words for the group's error banner: the sync's lastError only when the problem (shown
 * in the sync status with its own words and action) does not already say it.
 */
export function syncErrorText(s: SyncSnapshot): string | null {
  if (s.lastError === undefined) return null;
  if (s.problem && s.problem.message === s.lastError) return null;
  return s.lastError;
}

/**
 * The member whose device the group syncs with on the local network, for "Syncing with Bo's
 * laptop on this network": a LAN transport (`lan:…`) that is synced, and who is on its other end,
 * learned from presence after connecting. Undefined when none.
 */
export function lanPeerName(
  s: SyncSnapshot,
  presenceVia: (transportId: string) => readonly PresenceState[],
): string | undefined {
  for (const t of s.transports ?? []) {
    if (!t.id.startsWith('lan:') || t.status !== 'synced') continue;
    const name = presenceVia(t.id)[0]?.name;
    if (name) return name;
  }
  return undefined;
}
