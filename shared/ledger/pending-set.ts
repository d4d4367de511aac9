/**
 * The entries of a group that passed every check but cannot be placed yet, for one of two
 * reasons: their predecessor has not been accepted (indexed by the prev they wait for), or
 * their lamport leads the group by more than the lamport rule allows (lamport-rule.ts; kept
 * in lamport order). Both kinds count toward one bound and are exported alike, so callers
 * (the sync layer, backups) treat every waiting entry the same way.
 */
import { firstAbove, type LamportCounts } from './lamport-rule';
import type { LoggedEntry } from './log-report';
import type { EntryId } from './types';

const lamportOf = (e: LoggedEntry): number => e.header.lamport;

export class PendingSet {
  readonly max: number;
  readonly #entries = new Map<EntryId, LoggedEntry>();
  /** prev id → ids of pending entries waiting for it. */
  readonly #byPrev = new Map<EntryId, EntryId[]>();
  /** Entries waiting for enough lower entries, ascending by lamport (ties in arrival order). */
  readonly #leading: LoggedEntry[] = [];

  constructor(max: number) {
    this.max = max;
  }

  get size(): number {
    return this.#entries.size;
  }

  get isFull(): boolean {
    return this.#entries.size >= this.max;
  }

  /** Entries waiting because their lamport leads too far. */
  get leadingCount(): number {
    return this.#leading.length;
  }

  has(id: EntryId): boolean {
    return this.#entries.has(id);
  }

  get(id: EntryId): LoggedEntry | undefined {
    return this.#entries.get(id);
  }

  values(): IterableIterator<LoggedEntry> {
    return this.#entries.values();
  }

  /** Parks an entry until the entry its prev names is accepted (or refused). */
  waitForPrev(entry: LoggedEntry): void {
    const prev = entry.header.prev!;
    this.#entries.set(entry.id, entry);
    const siblings = this.#byPrev.get(prev);
    if (siblings) siblings.push(entry.id);
    else this.#byPrev.set(prev, [entry.id]);
  }

  /** Parks an entry (its predecessor is accepted) until the lamport rule lets it in. */
  waitForLower(entry: LoggedEntry): void {
    this.#entries.set(entry.id, entry);
    const leading = this.#leading;
    const lamport = entry.header.lamport;
    if (leading.length === 0 || leading[leading.length - 1]!.header.lamport <= lamport) leading.push(entry);
    else leading.splice(firstAbove(leading, lamport, lamportOf), 0, entry);
  }

  /** True when a pending entry of `author` with `seq` names `prev` as its predecessor. */
  hasChild(prev: EntryId, author: string, seq: number): boolean {
    const waiting = this.#byPrev.get(prev);
    if (waiting === undefined) return false;
    for (const childId of waiting) {
      const child = this.#entries.get(childId)?.header;
      if (child?.author === author && child.seq === seq) return true;
    }
    return false;
  }

  /** Removes and returns the entries waiting for `prev`. */
  takeChildren(prev: EntryId): LoggedEntry[] {
    const ids = this.#byPrev.get(prev);
    if (!ids) return [];
    this.#byPrev.delete(prev);
    const out: LoggedEntry[] = [];
    for (const childId of ids) {
      const child = this.#entries.get(childId);
      if (child) {
        this.#entries.delete(childId);
        out.push(child);
      }
    }
    return out;
  }

  /**
   * Hands every leading entry the rule now allows to `place`, lowest lamport first, in one
   * pass. One pass is enough: placing an entry of lamport L accepts only entries of lamport
   * ≥ L (it and its descendants), which adds nothing below any entry already passed over
   * (lamport ≤ L; "below" is strict); and whatever `place` parks again leads L, so it lands
   * ahead of the scan and is looked at in this same pass.
   */
  releaseAllowed(counts: LamportCounts, place: (entry: LoggedEntry) => void): void {
    const leading = this.#leading;
    let i = 0;
    while (i < leading.length) {
      const entry = leading[i]!;
      if (!counts.allows(entry.header.lamport)) {
        i++;
        continue;
      }
      leading.splice(i, 1);
      this.#entries.delete(entry.id);
      place(entry);
    }
  }
}
