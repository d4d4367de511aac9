/**
 * Decides what an `appendEntries` call writes, before anything is written, so both stores
 * enforce the same rules and a refused batch leaves no trace.
 */
import { WalletError } from '../errors';
import type { EntryId, GroupId } from '../ledger/types';
import type { MemberId } from '../money/types';
import type { AuthorHead, StoredEntry } from './store';

type MaybePromise<T> = T | PromiseLike<T>;

/** Entry ids by author and seq (the applied slots an append checks and fills), no key strings built per entry. */
export class AuthorSlots {
  readonly #byAuthor = new Map<MemberId, Map<number, EntryId>>();

  get(author: MemberId, seq: number): EntryId | undefined {
    return this.#byAuthor.get(author)?.get(seq);
  }

  set(author: MemberId, seq: number, id: EntryId): void {
    let bySeq = this.#byAuthor.get(author);
    if (!bySeq) {
      bySeq = new Map();
      this.#byAuthor.set(author, bySeq);
    }
    bySeq.set(seq, id);
  }

  delete(author: MemberId, seq: number): void {
    this.#byAuthor.get(author)?.delete(seq);
  }
}

/** A thenable (Dexie's promises are not `Promise` instances, so instanceof would miss them). */
function isThenable<T>(value: MaybePromise<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/**
 * What the plan needs to know about rows already stored: async so Dexie can answer inside its
 * transaction, or plain values (the memory store), which the plan does not await — three awaits
 * per entry were a third of a 10k-entry append.
 */
export interface AppendLookups {
  hasEntry(id: EntryId): MaybePromise<boolean>;
  /** Id of the applied entry at author+seq, if any. */
  appliedAt(groupId: GroupId, author: MemberId, seq: number): MaybePromise<EntryId | undefined>;
  head(groupId: GroupId, author: MemberId): MaybePromise<AuthorHead | undefined>;
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
  const appliedInBatch = new AuthorSlots();
  for (const entry of batch) {
    if (entry.groupId !== groupId) {
      throw new WalletError('store_wrong_group', `Entry ${entry.id} belongs to another group`, {
        entry: entry.id,
        groupId,
      });
    }
    if (fresh.has(entry.id)) continue;
    // Inline rather than a helper: an async helper would cost the await it avoids.
    const known = lookups.hasEntry(entry.id);
    if (isThenable(known) ? await known : known) continue;
    if (entry.status === 'applied') {
      let taken = appliedInBatch.get(entry.author, entry.seq);
      if (taken === undefined) {
        const stored = lookups.appliedAt(groupId, entry.author, entry.seq);
        taken = isThenable(stored) ? await stored : stored;
      }
      if (taken !== undefined) {
        throw new WalletError(
          'store_conflict',
          `Author ${entry.author.slice(0, 8)} already has entry ${taken.slice(0, 8)} at seq ${entry.seq}`,
          { entry: entry.id, existing: taken },
        );
      }
      appliedInBatch.set(entry.author, entry.seq, entry.id);
    }
    fresh.set(entry.id, entry);
  }

  const moved = new Map<MemberId, AuthorHead>();
  for (const entry of fresh.values()) {
    if (entry.status !== 'applied') continue;
    let current = moved.get(entry.author);
    if (current === undefined) {
      const stored = lookups.head(groupId, entry.author);
      current = isThenable(stored) ? await stored : stored;
    }
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
