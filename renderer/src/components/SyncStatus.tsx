import { useTranslation } from 'react-i18next';
import { useOnline } from '../hooks/useOnline';
import { formatClock, formatDateTime } from '../lib/format';
import { honestSync } from '../lib/honestSync';
import { describeProblem, firstProblem } from '../lib/syncProblem';
import type { SyncView } from '../services/types';

/**
 * Always-visible sync indicator: offline / connecting / syncing n / synced, plus pending count,
 * the changes waiting to be sent and, when not synced, the time of the last sync. Offline while
 * the browser says so, whatever the socket says (lib/honestSync.ts). A problem (relay busy, wrong
 * invite key…) replaces the phase's words with its short form.
 */
export function SyncStatus({
  sync: view,
  scope,
  relay = '',
}: {
  sync: SyncView;
  scope: string;
  relay?: string;
}) {
  const { t, i18n } = useTranslation();
  const sync = honestSync(view, useOnline());
  const unsent = sync.unsent ?? 0;
  const problem = sync.problem
    ? describeProblem(sync.problem, { clock: (ms) => formatClock(ms, i18n.language), relay })
    : undefined;
  const label = problem
    ? t(problem.shortKey, problem.values)
    : sync.phase === 'syncing' && sync.pending > 0
      ? t('sync.syncingCount', { count: sync.pending })
      : sync.phase === 'synced' && sync.lanPeer
        ? t('sync.lanPeer', { name: sync.lanPeer })
        : t(`sync.${sync.phase}` as 'sync.offline');
  return (
    <output
      className="sync-status"
      data-testid="sync-status"
      data-status={sync.phase}
      data-pending={sync.pending}
      data-unsent={unsent}
      {...(problem ? { 'data-problem': problem.code, 'data-retrying': String(problem.retrying) } : {})}
      {...(sync.lanPeer ? { 'data-lan': 'true' } : {})}
      aria-live="polite"
      title={scope}
    >
      <span className="dot" aria-hidden="true" />
      <span data-testid="sync-label">{label}</span>
      {sync.pending > 0 && (
        <span className="muted" data-testid="sync-pending">
          {t('sync.pending', { count: sync.pending })}
        </span>
      )}
      {unsent > 0 && (
        <span className="muted" data-testid="sync-unsent" data-count={unsent}>
          {t('sync.unsent', { count: unsent })}
        </span>
      )}
      {sync.phase !== 'synced' && sync.lastSyncedAt !== undefined && (
        <span className="muted small" data-testid="sync-last">
          {sync.lastSyncedAt === null
            ? t('sync.neverSynced')
            : t('sync.lastSynced', { time: formatDateTime(sync.lastSyncedAt, i18n.language) })}
        </span>
      )}
    </output>
  );
}

const ORDER = ['offline', 'connecting', 'syncing', 'synced'] as const;

/**
 * The least-synced state across groups: what the user must know about first. Changes waiting
 * add up; the last sync is the oldest of the groups' (null when one never synced).
 */
export function combineSync(views: readonly SyncView[]): SyncView {
  if (views.length === 0) return { phase: 'offline', pending: 0, rejected: 0 };
  let phase: SyncView['phase'] = 'synced';
  let pending = 0;
  let rejected = 0;
  let unsent = 0;
  let lastSyncedAt: number | null | undefined;
  for (const v of views) {
    if (ORDER.indexOf(v.phase) < ORDER.indexOf(phase)) phase = v.phase;
    pending += v.pending;
    rejected += v.rejected;
    unsent += v.unsent ?? 0;
    if (v.lastSyncedAt === null || lastSyncedAt === null) lastSyncedAt = null;
    else if (v.lastSyncedAt !== undefined)
      lastSyncedAt = Math.min(lastSyncedAt ?? v.lastSyncedAt, v.lastSyncedAt);
  }
  const problem = firstProblem(views.map((v) => v.problem));
  return {
    phase,
    pending,
    rejected,
    unsent,
    ...(lastSyncedAt !== undefined ? { lastSyncedAt } : {}),
    ...(problem ? { problem } : {}),
  };
}
