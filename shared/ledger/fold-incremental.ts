/**
 * Folding a log that grows, without starting over: what a syncing group does after every entry.
 *
 * Live entries almost always sort after everything folded so far (each takes the highest lamport
 * seen + 1), so the fold can go on from where it stopped: the new entries are applied to the kept
 * context and only the lists are copied into a new state. Anything else (an entry that sorts
 * earlier, from a device that was offline; a fork that took entries out) folds from scratch.
 * Either way the state is the one `fold` gives for the same entries; fold-incremental.test.ts
 * checks that on random ledgers cut into random batches.
 *
 * States are immutable, but the context's objects are the ones earlier states show. Before an
 * entry changes an object in place (a rename, an edit, a deletion, a request paid), that object
 * is replaced by a copy in the context, so the states already handed out never change.
 */
import { type FoldContext, type Mutable, newFoldContext } from './fold-context';
import { applyAll, type FoldProgress, newFoldProgress, stateOf } from './fold';
import { personOf } from './fold-devices';
import { inTotalOrder } from './fold-order';
import { compareEntries, type EntryId, type GroupId, type GroupState, type VerifiedEntry } from './types';

export class IncrementalFold {
  #ctx: FoldContext | undefined;
  #progress: FoldProgress = newFoldProgress();
  /** The entries folded so far, in total order (our own copy). */
  #folded: readonly VerifiedEntry[] = [];
  #state: GroupState | undefined;
  /** The `asOf` date of `#state`. */
  #asOf: string | undefined;
  /** How each call went: folded from scratch, or went on from the last fold. */
  readonly counts = { full: 0, continued: 0 };

  constructor(readonly groupId: GroupId) {}

  /** The `asOf` date of the last state. */
  get asOf(): string | undefined {
    return this.#asOf;
  }

  /**
   * The same state as `fold(groupId, entries, asOf)`; reuses the last fold when `entries` only add
   * to its end.
   */
  fold(entries: readonly VerifiedEntry[], asOf?: string): GroupState {
    const folded = this.#folded;
    let ctx = this.#ctx;
    // The usual call (the log's sorted entries, grown at the end) is recognised without sorting.
    // Each check walks the list once (a few ms for 100k entries: the entries are scattered in
    // memory), still far below folding it again.
    let ordered = entries;
    let goOn = ctx !== undefined && continues(entries, folded);
    if (!goOn) {
      ordered = inTotalOrder(entries);
      goOn = ctx !== undefined && startsWith(ordered, folded);
    }
    if (ctx !== undefined && this.#state !== undefined && goOn) {
      if (ordered.length === folded.length) {
        if (asOf === this.#asOf) return this.#state;
        // Same entries, another day: only the derived occurrences change.
        this.#asOf = asOf;
        this.#state = stateOf(ctx, this.#progress, true, asOf);
        return this.#state;
      }
      this.counts.continued++;
      applyAll(ctx, ordered, folded.length, this.#progress, detacher());
    } else {
      this.counts.full++;
      ctx = newFoldContext(this.groupId);
      this.#ctx = ctx;
      this.#progress = newFoldProgress();
      applyAll(ctx, ordered, 0, this.#progress);
    }
    // A sorted input comes back as is: the caller's array, which we must not keep.
    this.#folded = ordered === entries ? ordered.slice() : ordered;
    this.#asOf = asOf;
    this.#state = stateOf(ctx, this.#progress, true, asOf);
    return this.#state;
  }
}

/** `list` is `prefix` followed by entries in total order after its last one. */
function continues(list: readonly VerifiedEntry[], prefix: readonly VerifiedEntry[]): boolean {
  if (prefix.length === 0 || !startsWith(list, prefix)) return false;
  for (let i = prefix.length; i < list.length; i++) {
    if (compareEntries(list[i - 1]!, list[i]!) > 0) return false;
  }
  return true;
}

/** `list` begins with exactly the objects of `prefix`, in order (same set, nothing inserted). */
function startsWith(list: readonly VerifiedEntry[], prefix: readonly VerifiedEntry[]): boolean {
  if (list.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (list[i] !== prefix[i]) return false;
  return true;
}

/**
 * Before each entry of one continuation: copies what the entry may change in place and puts the
 * copy in the context. `own` holds the copies made in this continuation, which no state has yet.
 */
function detacher(): (ctx: FoldContext, entry: VerifiedEntry) => void {
  const own = new Set<object>();
  const request = (ctx: FoldContext, id: EntryId | undefined) => {
    const r = id === undefined ? undefined : ctx.requests.get(id);
    if (r === undefined || own.has(r)) return;
    const copy = { ...r };
    own.add(copy);
    ctx.requests.set(id!, copy);
  };
  return (ctx, entry) => {
    const ev = entry.event;
    switch (ev.type) {
      case 'member.renamed': {
        const member = ctx.members.get(personOf(ctx, entry.header.author));
        if (member === undefined || own.has(member)) return;
        const copy: Mutable<typeof member> = { ...member };
        own.add(copy);
        ctx.members.set(member.id, copy);
        return;
      }
      case 'expense.updated':
      case 'expense.deleted': {
        const slot = ctx.expensesById.get(ev.expense);
        if (slot === undefined || own.has(slot.record)) return;
        const record = { ...slot.record, versions: slot.record.versions.slice() };
        own.add(record);
        slot.record = record;
        ctx.expenses[slot.index] = record;
        // Open conflicts of the expense change with it (resolved, joined); closed ones never do.
        if (slot.open) {
          slot.open = slot.open.map((conflict) => {
            const copy = { ...conflict, versions: conflict.versions.slice() };
            ctx.conflicts[ctx.conflicts.lastIndexOf(conflict)] = copy;
            return copy;
          });
        }
        return;
      }
      case 'payment.recorded':
        request(ctx, ev.request);
        return;
      case 'payment.deleted': {
        const payment = ctx.payments.get(ev.payment);
        if (payment === undefined) return;
        if (!own.has(payment)) {
          const copy = { ...payment };
          own.add(copy);
          ctx.payments.set(payment.id, copy);
        }
        request(ctx, payment.request);
        return;
      }
      case 'request.cancelled':
        request(ctx, ev.request);
        return;
      default:
        return;
    }
  };
}
