/**
 * The view cache: a group's folded state, saved next to its entries, so a restart shows the
 * group at once instead of after loading, checking and folding every stored entry again.
 *
 * What is trusted, and why that is safe (docs/renderer.md, "Start-up"):
 * - The cached state was folded on this device from entries this device verified and stored;
 *   it is as trustworthy as those stored entries, which opening a group already trusts.
 * - It is used only while it matches the entries table exactly: the same number of entries and
 *   the same head for every author (see EntrySetDigest). Anything else (a newer or missing
 *   entry, a fork, an older cache format, a decoding error) and the group opens the slow way.
 * - It is only ever a first picture: the group's sync still loads the stored entries and folds
 *   them; its state replaces the cached one, and every write waits for it.
 * The balance sheets of the state are kept with it (derived from it on this device, like it), so
 * the balances and the group list need no recomputation either.
 */
import type { GroupId, GroupState } from '../../../shared/ledger/types';
import type { ViewRow } from '../../../shared/sync/dexie-schema';
import { balanceSheet, primeBalanceSheet } from '../lib/balances';
import { type CachedView, type EntrySetDigest, encodeView } from './viewRows';

export { type CachedView, digestOfEntries, type EntrySetDigest } from './viewRows';

/** What the view cache needs beyond the Store contract (DexieStore has it; tests use a map). */
export interface ViewStore {
  getView(groupId: GroupId): Promise<ViewRow | undefined>;
  putView(view: ViewRow): Promise<void>;
}

/**
 * Whether `state` accounts for exactly the accepted entries of `set`: the fold saw every one of
 * them (a fork leaves some out of the fold, and a state folded before the last batch misses it).
 * Only such a state is cached.
 */
export function isCacheable(groupId: GroupId, state: GroupState, set: EntrySetDigest): boolean {
  return state.groupId === groupId && state.createdBy !== null && state.entryCount === set.entries;
}

/** The row that caches `state` (and its balance sheets) for the entry set `set`. Throws StateCodecError when it cannot be encoded. */
export function viewRow(groupId: GroupId, state: GroupState, set: EntrySetDigest): ViewRow {
  return encodeView(groupId, { state, sheets: balanceSheet(state) }, set);
}

/** Puts a restored view's balance sheets in the cache the screens read, so nothing is recomputed. */
export function primeView(view: CachedView): void {
  primeBalanceSheet(view.state, view.sheets);
}

/** Duck-typed: stores without a view cache (the memory store, tools) simply open groups the slow way. */
export function viewStoreOf(store: object): ViewStore | undefined {
  const s = store as Partial<ViewStore>;
  return typeof s.getView === 'function' && typeof s.putView === 'function' ? (s as ViewStore) : undefined;
}

/** A store that counts "new since I last looked" from its indexes (DexieStore). */
export interface ArrivalCounter {
  countArrivals(groupId: GroupId, since: number, me: string): Promise<number>;
}

export function arrivalCounterOf(store: object): ArrivalCounter | undefined {
  const s = store as Partial<ArrivalCounter>;
  return typeof s.countArrivals === 'function' ? (s as ArrivalCounter) : undefined;
}
