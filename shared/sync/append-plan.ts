/**
 * Decides what an `appendEntries` call writes, before anything is written, so both stores
 * enforce the same rules and a refused batch leaves no trace.
 */
import { WalletError } from '../errors';
import type { EntryId, GroupId } from '../ledger/types';
import type { MemberId } from '../money/types';
import type { AuthorHead, StoredEntry } from './store';

/** What the plan needs to know about rows already stored (async so Dexie can answer inside its transaction). */
export interface AppendLookups {
  hasEntry(id: EntryId): Promise<boolean>;
  /** Id of the applied entry at author+seq, if any. */
  appliedAt(groupId: GroupId, author: MemberId, seq: number): Promise<EntryId | undefined>;
  head(groupId: GroupId, author: MemberId): Promise<AuthorHead | undefined>;
}

export interface AppendPlan {
  readonly entries: StoredEntry[];
  /** Heads that move (one per author at most). */
  readonly heads: AuthorHead[];
}

export async function planAppend(
  groupId: GroupId,
  batch: readonly StoredEntry[],
  lookups: AppendLookups,
): Promise<AppendPlan> {
  const fresh = new Map<EntryId, StoredEntry>();
  const appliedInBatch = new Map<string, EntryId>();
  for (const entry of batch) {
    if (entry.groupId !== groupId) {
      throw new WalletError('store_wrong_group', `Entry ${entry.id} belongs to another group`, {
        entry: entry.id,
        groupId,
      });
    }
    if (fresh.has(entry.id) || (await lookups.hasEntry(entry.id))) continue;
    if (entry.status === 'applied') {
      const slot = `${entry.author}:${entry.seq}`;
      const taken = appliedInBatch.get(slot) ?? (await lookups.appliedAt(groupId, entry.author, entry.seq));
      if (taken !== undefined) {
        throw new WalletError(
          'store_conflict',
          `Author ${entry.author.slice(0, 8)} already has entry ${taken.slice(0, 8)} at seq ${entry.seq}`,
          { entry: entry.id, existing: taken },
        );
      }
      appliedInBatch.set(slot, entry.id);
    }
    fresh.set(entry.id, entry);
  }

  const moved = new Map<MemberId, AuthorHead>();
  for (const entry of fresh.values()) {
    if (entry.status !== 'applied') continue;
    const current = moved.get(entry.author) ?? (await lookups.head(groupId, entry.author));
    if (current === undefined || entry.seq > current.seq) {
      moved.set(entry.author, {
        groupId,
        author: entry.author,
        seq: entry.seq,
        id: entry.id,
        lamport: entry.lamport,
      });
    }
  }
  return { entries: [...fresh.values()], heads: [...moved.values()] };
}
