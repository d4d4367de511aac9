/**
 * Putting entries into the fold's total order: lamport, author, seq, then id (the id only matters
 * for forked entries, which share author and seq). This is the largest single cost of a fold, so
 * the common case never calls a comparator on the whole list: lamports are small, dense integers
 * (every entry takes max seen + 1), so entries are bucketed by lamport in linear time and only the
 * few that share a lamport (concurrent writers) are compared.
 *
 * Each long loop sits in a function of its own that ends with it. V8 compiles a function that is
 * called once but loops long while the loop runs, before the code after the loop has ever run,
 * and keeps that compiled code: on every later fold it then dropped to slow code right after the
 * first loop.
 */
import { compareEntries, type VerifiedEntry } from './types';

function isSorted(entries: readonly VerifiedEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) {
    if (compareEntries(entries[i - 1]!, entries[i]!) > 0) return false;
  }
  return true;
}

/** Buckets wider than this many slots per entry are not worth it; the packed-key sort takes over. */
const MAX_SLOTS_PER_ENTRY = 4;

/** Longer runs (only crafted ledgers have them) go to the library sort, which stays n log n. */
const INSERTION_SORT_MAX = 16;

/** Puts out[start, end) in full order: insertion sort, since runs of one lamport are short. */
function sortRun<E extends VerifiedEntry>(out: E[], start: number, end: number): void {
  if (end - start > INSERTION_SORT_MAX) {
    const run = out.slice(start, end).sort(compareEntries);
    for (let j = 0; j < run.length; j++) out[start + j] = run[j]!;
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const e = out[i]!;
    let j = i - 1;
    while (j >= start && compareEntries(out[j]!, e) > 0) {
      out[j + 1] = out[j]!;
      j--;
    }
    out[j + 1] = e;
  }
}

/**
 * Counting sort by lamport (stable), then each run of equal lamports put in full order.
 * `keys` holds each entry's lamport and author, read in the one pass over the entries. The sort
 * moves indices and compares through `keys.authors`, because a run's entries share their lamport
 * and (forks aside) differ by author: comparing never goes back to the scattered headers.
 */
function sortByLamportBuckets<E extends VerifiedEntry>(entries: readonly E[], keys: SortKeys): E[] {
  const starts = bucketStarts(keys);
  const order = placeInBuckets(keys, starts);
  const { authors } = keys;
  sortRuns(order, starts, (i, j) => {
    const a = authors[i]!;
    const b = authors[j]!;
    if (a !== b) return a < b ? -1 : 1;
    return compareEntries(entries[i]!, entries[j]!);
  });
  return pick(entries, order);
}

/** starts[b] is where bucket b (lamport min + b) begins; the last slot holds the entry count. */
function bucketStarts({ lamports, min, max }: SortKeys): Int32Array {
  const starts = new Int32Array(max - min + 2);
  for (let i = 0; i < lamports.length; i++) starts[lamports[i]! - min + 1]!++;
  for (let b = 1; b < starts.length; b++) starts[b]! += starts[b - 1]!;
  return starts;
}

/** Entry indices by lamport, in arrival order within a lamport. */
function placeInBuckets({ lamports, min }: SortKeys, starts: Int32Array): Int32Array {
  const order = new Int32Array(lamports.length);
  const next = starts.slice(0, starts.length - 1);
  for (let i = 0; i < lamports.length; i++) order[next[lamports[i]! - min]!++] = i;
  return order;
}

function sortRuns(order: Int32Array, starts: Int32Array, compare: (i: number, j: number) => number): void {
  for (let b = 0; b < starts.length - 1; b++) {
    if (starts[b + 1]! - starts[b]! > 1) sortIndexRun(order, starts[b]!, starts[b + 1]!, compare);
  }
}

function pick<E>(entries: readonly E[], order: Int32Array): E[] {
  const out = new Array<E>(order.length);
  for (let k = 0; k < order.length; k++) out[k] = entries[order[k]!]!;
  return out;
}

/** Puts order[start, end) in order by `compare`: insertion sort, since runs of one lamport are short. */
function sortIndexRun(
  order: Int32Array,
  start: number,
  end: number,
  compare: (i: number, j: number) => number,
): void {
  if (end - start > INSERTION_SORT_MAX) {
    order.subarray(start, end).set(Array.from(order.subarray(start, end)).sort(compare));
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const e = order[i]!;
    let j = i - 1;
    while (j >= start && compare(order[j]!, e) > 0) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = e;
  }
}

/**
 * Sorts by one number per entry, ((lamport · authors) + author rank) · n + index, with the native
 * numeric sort; equal (lamport, author) pairs — only possible with forks — are then put in full
 * order. Returns undefined when the numbers would not stay exact (absurd lamports).
 */
function sortByPackedKey<E extends VerifiedEntry>(
  entries: readonly E[],
  lamports: Float64Array,
): E[] | undefined {
  const n = entries.length;
  // Authors numbered as first seen.
  const seen = new Map<string, number>();
  const authorOf = new Int32Array(n);
  let maxLamport = 0;
  for (let i = 0; i < n; i++) {
    const author = entries[i]!.header.author;
    if (lamports[i]! > maxLamport) maxLamport = lamports[i]!;
    let a = seen.get(author);
    if (a === undefined) {
      a = seen.size;
      seen.set(author, a);
    }
    authorOf[i] = a;
  }
  const a = seen.size;
  if ((maxLamport + 1) * a * n >= Number.MAX_SAFE_INTEGER) return undefined;
  const rank = new Int32Array(a);
  [...seen.keys()].sort().forEach((author, r) => {
    rank[seen.get(author)!] = r;
  });

  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (lamports[i]! * a + rank[authorOf[i]!]!) * n + i;
  keys.sort();
  const out = new Array<E>(n);
  for (let k = 0; k < n; k++) out[k] = entries[keys[k]! % n]!;

  // Runs with the same (lamport, author) are ordered by arrival so far: fix them up.
  const pairOf = (k: number) => keys[k]! - (keys[k]! % n); // exact, unlike a floating division
  let start = 0;
  for (let k = 1; k <= n; k++) {
    if (k < n && pairOf(k) === pairOf(start)) continue;
    if (k - start > 1) sortRun(out, start, k);
    start = k;
  }
  return out;
}

/** Each entry's lamport and author, and the lamport range. */
interface SortKeys {
  readonly lamports: Float64Array;
  readonly authors: readonly string[];
  readonly min: number;
  readonly max: number;
}

/**
 * One pass over the (possibly scattered in memory) entries for their sort keys; undefined when a
 * lamport is not a non-negative safe integer (only a hand-made entry can have one).
 */
function readKeys(entries: readonly VerifiedEntry[]): SortKeys | undefined {
  const n = entries.length;
  const lamports = new Float64Array(n);
  const authors = new Array<string>(n);
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const header = entries[i]!.header;
    const lamport = header.lamport;
    if (!(Number.isSafeInteger(lamport) && lamport >= 0)) return undefined;
    lamports[i] = lamport;
    authors[i] = header.author;
    if (lamport < min) min = lamport;
    if (lamport > max) max = lamport;
  }
  return { lamports, authors, min, max };
}

/** The entries in total order (the input itself when already sorted, as stored entries usually are). */
export function inTotalOrder<E extends VerifiedEntry>(entries: readonly E[]): readonly E[] {
  if (isSorted(entries)) return entries;
  const keys = readKeys(entries);
  if (!keys) return entries.slice().sort(compareEntries);
  if (keys.max - keys.min < MAX_SLOTS_PER_ENTRY * entries.length) return sortByLamportBuckets(entries, keys);
  return sortByPackedKey(entries, keys.lamports) ?? entries.slice().sort(compareEntries);
}
