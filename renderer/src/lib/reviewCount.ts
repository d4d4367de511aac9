/**
 * The one number on every Review badge (sidebar, group list, the group's Review tab): what
 * arrived from others since the user last looked (`unseen`: the feed's lines, see
 * GroupSession's count and lib/arrivals.ts), plus the conflicts still open. Resolving the
 * conflicts and seeing the feed bring it back to zero.
 */
import type { GroupState } from '../../../shared/ledger/types';

export function reviewCount(state: GroupState | null, unseen: number): number {
  let open = 0;
  for (const c of state?.conflicts ?? []) if (!c.resolved) open++;
  return open + unseen;
}
