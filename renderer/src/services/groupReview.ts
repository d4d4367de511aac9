/** The review screen's lists of one group: what arrived since the user last looked, and what went wrong. */
import type { EntryId, GroupId, GroupState } from '../../../shared/ledger/types';
import type { MemberId } from '../../../shared/money/types';
import type { Store } from '../../../shared/sync/store';
import type { ArrivalItem } from './types';

/** One problem to explain on the review screen: a refused entry, a fork, or an ignored event. */
export interface Problem {
  readonly kind: 'rejected' | 'fork' | 'ignored';
  readonly key: string;
  readonly code: string;
  readonly message: string;
  readonly entryId: EntryId | null;
  readonly author: MemberId | null;
  readonly at: number | null;
}

/** Entries from other members received after `since`. */
export async function arrivalsSince(
  store: Store,
  groupId: GroupId,
  since: number,
  me: MemberId | undefined,
): Promise<ArrivalItem[]> {
  const entries = await store.listEntries(groupId, { receivedAfter: since, status: 'applied' });
  return entries
    .filter((e) => e.author !== me)
    .map((e) => ({ entryId: e.id, author: e.author, receivedAt: e.receivedAt }));
}

/** Everything that did not make it into `state`, explained by code. */
export async function problemsOf(store: Store, groupId: GroupId, state: GroupState): Promise<Problem[]> {
  const out: Problem[] = [];
  for (const r of await store.listRejected(groupId)) {
    out.push({
      kind: 'rejected',
      key: `${r.bytesHash}:${r.code}`,
      code: r.code,
      message: r.message,
      entryId: r.id,
      author: null,
      at: r.receivedAt,
    });
  }
  for (const e of await store.listEntries(groupId, { status: 'fork-evidence' })) {
    out.push({
      kind: 'fork',
      key: e.id,
      code: 'fork',
      message: '',
      entryId: e.id,
      author: e.author,
      at: e.receivedAt,
    });
  }
  for (const i of state.ignored) {
    out.push({
      kind: 'ignored',
      key: i.entryId,
      code: i.code,
      message: i.message,
      entryId: i.entryId,
      author: i.author,
      at: null,
    });
  }
  return out;
}
