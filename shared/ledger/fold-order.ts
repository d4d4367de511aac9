/**
 * Putting entries into the fold's total order: lamport, author, seq, then id (the id only matters
 * for forked entries, which share author and seq). This is the largest single cost of a fold, so
 * the common case sorts plain numbers instead of calling a comparator on objects.
 */
import { compareEntries, type VerifiedEntry } from './types';

function isSorted(entries: readonly VerifiedEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) {
    if (compareEntries(entries[i - 1]!, entries[i]!) > 0) return false;
  }
  return true;
}

/**
 * Sorts by one number per entry, ((lamport · authors) + author rank) · n + index, with the native
 * numeric sort; equal (lamport, author) pairs — only possible with forks — are then put in full
 * order. Returns undefined when the numbers would not stay exact (absurd lamports).
 */
function sortByPackedKey(entries: readonly VerifiedEntry[]): VerifiedEntry[] | undefined {
  const n = entries.length;
  // One pass over the (possibly scattered in memory) entries; authors numbered as first seen.
  const seen = new Map<string, number>();
  const authorOf = new Int32Array(n);
  const lamports = new Float64Array(n);
  let maxLamport = 0;
  for (let i = 0; i < n; i++) {
    const h = entries[i]!.header;
    const lamport = h.lamport;
    if (!(Number.isSafeInteger(lamport) && lamport >= 0)) return undefined;
    if (lamport > maxLamport) maxLamport = lamport;
    lamports[i] = lamport;
    let author = seen.get(h.author);
    if (author === undefined) {
      author = seen.size;
      seen.set(h.author, author);
    }
    authorOf[i] = author;
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
  const out = new Array<VerifiedEntry>(n);
  for (let k = 0; k < n; k++) out[k] = entries[keys[k]! % n]!;

  // Runs with the same (lamport, author) are ordered by arrival so far: fix them up.
  const pairOf = (k: number) => keys[k]! - (keys[k]! % n); // exact, unlike a floating division
  let start = 0;
  for (let k = 1; k <= n; k++) {
    if (k < n && pairOf(k) === pairOf(start)) continue;
    if (k - start > 1) {
      const run = out.slice(start, k).sort(compareEntries);
      for (let j = 0; j < run.length; j++) out[start + j] = run[j]!;
    }
    start = k;
  }
  return out;
}

/** The entries in total order (the input itself when already sorted, as stored entries usually are). */
export function inTotalOrder(entries: readonly VerifiedEntry[]): readonly VerifiedEntry[] {
  if (isSorted(entries)) return entries;
  return sortByPackedKey(entries) ?? entries.slice().sort(compareEntries);
}
