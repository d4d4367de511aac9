/**
 * The view cache's rows: checking one against the stored entries and decoding it, or encoding
 * one. Kept free of the app's other modules so the start-up prefetch (boot/prefetch.ts) can
 * decode views while the app's code is still loading. Why using them is safe: viewCache.ts.
 */
import type { LoggedEntry } from '../../../shared/ledger/group-log';
import type {
  EntryId,
  ExpenseState,
  ExpenseVersion,
  GroupId,
  GroupState,
} from '../../../shared/ledger/types';
import type { ViewRow } from '../../../shared/sync/dexie-schema';
import type { CurrencySheet } from '../lib/balances';
import { packState, unpackState } from './stateCodec';

/** Bump when the folded state or the balance sheets change shape or meaning, so older caches are ignored. */
export const VIEW_FORMAT = 2;

/** What a view row's `state` text holds. */
export interface ViewPayload {
  readonly state: GroupState;
  readonly sheets: CurrencySheet[];
}

/**
 * Which stored entries a state was folded from: how many, and each author's head. Each author's
 * entries form one hash-linked chain (seq 1, 2, … each naming the id of the one before), so
 * with no fork (every entry applied: the count is the sum of the heads' seqs) the heads pin the
 * whole set, and any entry added anywhere changes both.
 */
export interface EntrySetDigest {
  readonly entries: number;
  /** The heads, written out in author order. */
  readonly digest: string;
}

export interface Head {
  readonly author: string;
  readonly seq: number;
  readonly id: EntryId;
}

/** The digest of `count` entries with these author heads; undefined unless they form fork-free chains. */
export function digestOf(count: number, heads: readonly Head[]): EntrySetDigest | undefined {
  let sum = 0;
  for (const h of heads) sum += h.seq;
  if (sum !== count) return undefined;
  const digest = [...heads]
    .sort((a, b) => (a.author < b.author ? -1 : a.author > b.author ? 1 : 0))
    .map((h) => `${h.author}:${h.seq}:${h.id}`)
    .join(',');
  return { entries: count, digest };
}

/** The digest of a log's accepted entries (each author's highest seq is its head). */
export function digestOfEntries(entries: readonly LoggedEntry[]): EntrySetDigest | undefined {
  const heads = new Map<string, Head>();
  for (const e of entries) {
    const { author, seq } = e.header;
    const head = heads.get(author);
    if (!head || seq > head.seq) heads.set(author, { author, seq, id: e.id });
  }
  return digestOf(entries.length, [...heads.values()]);
}

export interface CachedView {
  readonly state: GroupState;
  /** The stored entries it was folded from. */
  readonly set: EntrySetDigest;
}

export interface CachedView {
  readonly state: GroupState;
  /** Its balance sheets, computed with it. */
  readonly sheets: CurrencySheet[];
  /** The stored entries it was folded from. */
  readonly set: EntrySetDigest;
}

/**
 * Most expenses were never edited: their one version repeats the expense (its id, author, data)
 * and only adds when it was written. Such a version is kept as [lamport, time], which halves
 * the objects a view holds and the time it takes to decode. Anything else is kept as it is.
 */
const VERSION_FIELDS = 'entryId,author,lamport,time,base,data';

function isPlainFirstVersion(e: ExpenseState): boolean {
  const v = e.versions.length === 1 ? e.versions[0] : undefined;
  return (
    v !== undefined &&
    v.entryId === e.id &&
    v.author === e.createdBy &&
    v.base === null &&
    v.data === e.data &&
    Object.keys(v).join() === VERSION_FIELDS
  );
}

function compactState(state: GroupState): GroupState {
  const expenses = state.expenses.map((e) =>
    isPlainFirstVersion(e) ? { ...e, versions: [e.versions[0]!.lamport, e.versions[0]!.time] as const } : e,
  );
  return { ...state, expenses: expenses as unknown as ExpenseState[] };
}

function expandState(state: GroupState): GroupState {
  for (const e of state.expenses) {
    const versions: readonly unknown[] = e.versions;
    const [lamport, time] = versions;
    if (versions.length === 2 && typeof lamport === 'number' && typeof time === 'number') {
      const version: ExpenseVersion = {
        entryId: e.id,
        author: e.createdBy,
        lamport,
        time,
        base: null,
        data: e.data,
      };
      (e as { versions: readonly ExpenseVersion[] }).versions = [version];
    }
  }
  return state;
}

/**
 * The cached state of a group when its row still matches the stored entries (`entries` of them,
 * with these author heads); undefined otherwise (no row, another format, another entry set, a
 * row that does not decode).
 */
export function decodeView(
  groupId: GroupId,
  row: ViewRow | undefined,
  entries: number,
  heads: readonly Head[],
): CachedView | undefined {
  const set = digestOf(entries, heads);
  if (!row || !set || row.groupId !== groupId || row.format !== VIEW_FORMAT) return undefined;
  if (row.entries !== set.entries || row.digest !== set.digest) return undefined;
  let payload: ViewPayload;
  try {
    payload = unpackState(row.state) as ViewPayload;
  } catch {
    return undefined;
  }
  const { state, sheets } = payload ?? {};
  if (state?.groupId !== groupId || state.entryCount !== set.entries || !Array.isArray(sheets)) {
    return undefined;
  }
  if (!Array.isArray(state.expenses)) return undefined;
  return { state: expandState(state), sheets, set };
}

/** The row caching `payload`, folded from the entry set `set`. Throws StateCodecError when it cannot be encoded. */
export function encodeView(groupId: GroupId, payload: ViewPayload, set: EntrySetDigest): ViewRow {
  const compact: ViewPayload = { ...payload, state: compactState(payload.state) };
  return {
    groupId,
    format: VIEW_FORMAT,
    entries: set.entries,
    digest: set.digest,
    state: packState(compact),
  };
}
