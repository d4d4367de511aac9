/**
 * Putting entries into the fold's total order: lamport, author, seq, then id (the id only matters
 * for forked entries, which share author and seq). This is the largest single cost of a fold, so
 * the common case never calls a comparator on the whole list: lamports are small, dense integers
 * (every entry takes max seen + 1), so entries are bucketed by lamport in linear time and only the
 * few that share a lamport (concurrent writers) are compared.
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
 * `lamports` holds each entry's lamport, already checked to be safe integers in [min, max].
 */
function sortByLamportBuckets<E extends VerifiedEntry>(
  entries: readonly E[],
  lamports: Float64Array,
  min: number,
  max: number,
): E[] {
  const n = entries.length;
  const starts = new Int32Array(max - min + 2);
  for (let i = 0; i < n; i++) starts[lamports[i]! - min + 1]!++;
  for (let b = 1; b < starts.length; b++) starts[b]! += starts[b - 1]!;
  const out = new Array<E>(n);
  const next = starts.slice(0, starts.length - 1);
  for (let i = 0; i < n; i++) out[next[lamports[i]! - min]!++] = entries[i]!;
  for (let b = 0; b < starts.length - 1; b++) {
    if (starts[b + 1]! - starts[b]! > 1) sortRun(out, starts[b]!, starts[b + 1]!);
  }
  return out;
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

/** The entries in total order (the input itself when already sorted, as stored entries usually are). */
export function inTotalOrder<E extends VerifiedEntry>(entries: readonly E[]): readonly E[] {
  if (isSorted(entries)) return entries;
  // One pass over the (possibly scattered in memory) entries for their lamports.
  const n = entries.length;
  const lamports = new Float64Array(n);
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const lamport = entries[i]!.header.lamport;
    if (!(Number.isSafeInteger(lamport) && lamport >= 0)) return entries.slice().sort(compareEntries);
    lamports[i] = lamport;
    if (lamport < min) min = lamport;
    if (lamport > max) max = lamport;
  }
  if (max - min < MAX_SLOTS_PER_ENTRY * n) return sortByLamportBuckets(entries, lamports, min, max);
  return sortByPackedKey(entries, lamports) ?? entries.slice().sort(compareEntries);
}
