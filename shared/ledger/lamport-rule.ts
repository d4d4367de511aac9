/**
 * The lamport lead rule (docs/protocol.md §7): no entry may push a group's clock far ahead of
 * the group's history, so one signed entry cannot use up the 2^53 − 1 lamports of everyone.
 *
 *   An entry with lamport L ≤ B is fine. An entry with L > B is accepted only when at least
 *   L − B accepted entries of the group (fork evidence included) have a lamport < L; until
 *   then it waits, like an entry whose predecessor has not arrived.
 *
 * Why honest writers always pass: every accepted entry E satisfied L_E ≤ B + (accepted below
 * L_E) ≤ B + N − 1 (N accepted entries, E not below itself), so the largest accepted lamport M
 * is at most B + N − 1 and a writer's M + 1 has all N accepted entries below it: M + 1 ≤ B + N.
 * The count only grows, so an entry that passed once passes for good, and the verdict is a
 * property of the set of entries, not of their arrival order.
 */

/** How far (B) an entry's lamport may lead the number of accepted entries below it. */
export const LAMPORT_LEAD_BOUND = 2 ** 20;

/**
 * Counts of accepted lamports, enough to answer "how many accepted entries lie below L" for
 * any L > B. Lamports ≤ B are only counted: honest groups never leave that range, so the
 * common path costs one comparison and one increment.
 */
export class LamportCounts {
  #accepted = 0;
  /** Lamports > B of accepted entries, ascending, repeats kept. */
  readonly #high: number[] = [];

  get accepted(): number {
    return this.#accepted;
  }

  /** Records one newly accepted entry's lamport. */
  record(lamport: number): void {
    this.#accepted++;
    if (lamport <= LAMPORT_LEAD_BOUND) return;
    const high = this.#high;
    // Chains are placed in lamport order, so this is nearly always an append.
    if (high.length === 0 || high[high.length - 1]! <= lamport) high.push(lamport);
    else high.splice(firstAbove(high, lamport, identity), 0, lamport);
  }

  /** True when an entry with this lamport may be accepted now. */
  allows(lamport: number): boolean {
    if (lamport <= LAMPORT_LEAD_BOUND) return true;
    // Every accepted lamport ≥ `lamport` is > B, so #high holds all of them.
    const atOrAbove = this.#high.length - firstAtLeast(this.#high, lamport, identity);
    return this.#accepted - atOrAbove >= lamport - LAMPORT_LEAD_BOUND;
  }
}

const identity = (n: number): number => n;

/** Index of the first element whose key is ≥ value, in an array ascending by key. */
function firstAtLeast<T>(sorted: readonly T[], value: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(sorted[mid]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element whose key is > value, in an array ascending by key. */
export function firstAbove<T>(sorted: readonly T[], value: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(sorted[mid]!) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
