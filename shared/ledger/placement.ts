/**
 * Placement: what a group's log holds once entries are known to be authentic and to decrypt,
 * and the rules that put each one in its author's chain (docs/protocol.md §7):
 *   - seq 1 must be group.created or member.joined, else `not_member` (and every later entry
 *     of that chain is refused the same way);
 *   - seq n > 1 needs prev = id of an accepted entry of the same author with seq n − 1 and a
 *     smaller lamport (else `chain_broken` / `lamport_not_increasing`); when prev is unknown
 *     it waits in the pending set (bounded);
 *   - an entry whose lamport leads the group too far waits until enough lower entries are
 *     accepted (lamport-rule.ts); it is never refused for that alone;
 *   - entries descending from a refused entry are refused too (`chain_broken`, or
 *     `not_member` when the root cause was membership);
 *   - two accepted entries with the same author and seq are a fork: both are kept as
 *     evidence and the author's entries from the lowest forked seq on are left out of
 *     `canonicalEntries()`.
 * Everything here depends only on the set of entries, never on their arrival order.
 */
import type { Result } from '../errors';
import type { MemberId } from '../money/types';
import type { ChainLink } from './chain-auth';
import type { EntryErrorCode } from './entry-errors';
import type { WalletEvent } from './events';
import { inTotalOrder } from './fold-order';
import { LAMPORT_LEAD_BOUND, LamportCounts } from './lamport-rule';
import type { ForkEvidence, Head, LoggedEntry, ReportBuilder, Verdict } from './log-report';
import { PendingSet } from './pending-set';
import type { EntryId } from './types';

export type Opened = Result<WalletEvent, 'decrypt_failed' | 'schema_invalid'>;

/** An entry of one call on its way through the checks. */
export interface Candidate extends ChainLink {
  readonly index: number;
  readonly bytes: Uint8Array;
  /** The body's verdict: decrypted ahead of authentication, or supplied by restore. */
  opened: Opened | undefined;
}

interface AuthorChain {
  /** Accepted entry ids by seq (two or more at a seq = fork). */
  readonly bySeq: Map<number, EntryId[]>;
  maxSeq: number;
  forkSeq: number | undefined;
}

/** Ids of refused authentic entries, so their descendants are refused instead of waiting forever. */
const MAX_REFUSED = 10_000;

/** What may start an author's chain: a member's join, or a linked device's own `device.linked` (§16). */
export const isJoin = (type: string): boolean =>
  type === 'group.created' || type === 'member.joined' || type === 'device.linked';

/** Map.set with a size cap: the oldest insertion goes first (Maps iterate in insertion order). */
export function boundedSet<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (!map.has(key) && map.size >= max) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

export class Placement {
  readonly #accepted = new Map<EntryId, LoggedEntry>();
  readonly pending: PendingSet;
  readonly #refused = new Map<EntryId, Verdict>();
  /**
   * prev ids named by refused authentic entries: they still vouch for their predecessor
   * (chain-auth.ts), which must not depend on whether they arrived first.
   */
  readonly #vouchedByRefused = new Map<EntryId, { author: MemberId; seq: number }>();
  readonly #authors = new Map<MemberId, AuthorChain>();
  readonly #counts = new LamportCounts();
  /** Accepted count when the leading entries were last looked at: until it grows, none can pass. */
  #leadingCheckedAt = 0;
  #maxLamport = 0;
  #canonical: readonly LoggedEntry[] | undefined;

  constructor(maxPending: number) {
    this.pending = new PendingSet(maxPending);
  }

  // ---------------------------------------------------------------- queries

  get size(): number {
    return this.#accepted.size;
  }

  get maxLamport(): number {
    return this.#maxLamport;
  }

  get(id: EntryId): LoggedEntry | undefined {
    return this.#accepted.get(id);
  }

  /** True when the entry is accepted or pending. */
  has(id: EntryId): boolean {
    return this.#accepted.has(id) || this.pending.has(id);
  }

  /** The verdict remembered for a refused entry. */
  refusal(id: EntryId): Verdict | undefined {
    return this.#refused.get(id);
  }

  /** True when a refused or pending entry of the same author with seq + 1 names `c` as prev. */
  vouchedByKnownChild(c: ChainLink): boolean {
    const { author, seq } = c.header;
    const byRefused = this.#vouchedByRefused.get(c.id);
    if (byRefused?.author === author && byRefused.seq === seq) return true;
    return this.pending.hasChild(c.id, author, seq + 1);
  }

  forkSeqOf(author: MemberId): number | undefined {
    return this.#authors.get(author)?.forkSeq;
  }

  heads(): Map<MemberId, Head> {
    const heads = new Map<MemberId, Head>();
    for (const [author, chain] of this.#authors) {
      const seq = chain.forkSeq === undefined ? chain.maxSeq : chain.forkSeq - 1;
      const id = chain.bySeq.get(seq)?.[0];
      const entry = id === undefined ? undefined : this.#accepted.get(id);
      if (entry) heads.set(author, { seq, id: entry.id, lamport: entry.header.lamport });
    }
    return heads;
  }

  canonicalEntries(): readonly LoggedEntry[] {
    if (!this.#canonical) {
      const out: LoggedEntry[] = [];
      for (const e of this.#accepted.values()) {
        const fork = this.#authors.get(e.header.author)?.forkSeq;
        if (fork === undefined || e.header.seq < fork) out.push(e);
      }
      this.#canonical = inTotalOrder(out);
    }
    return this.#canonical;
  }

  entries(): LoggedEntry[] {
    return [...inTotalOrder([...this.#accepted.values()])];
  }

  forks(): ForkEvidence[] {
    const out: ForkEvidence[] = [];
    for (const [author, chain] of this.#authors) {
      if (chain.forkSeq !== undefined) out.push(this.#forkEvidence(author, chain.forkSeq));
    }
    return out.sort((a, b) => (a.author < b.author ? -1 : 1));
  }

  // ---------------------------------------------------------------- placing

  /** Places authentic candidates (bodies already opened) in seq order, so parents come first. */
  admit(candidates: readonly Candidate[], released: readonly LoggedEntry[], report: ReportBuilder): void {
    const ready: { entry: LoggedEntry; index: number }[] = released.map((entry) => ({ entry, index: -1 }));
    for (const c of candidates) {
      const opened = c.opened!;
      if (!opened.ok) {
        this.refuse(c, opened.error.code, opened.error.message, report, c.index);
        continue;
      }
      ready.push({
        entry: { id: c.id, header: c.header, event: opened.value, bytes: c.bytes },
        index: c.index,
      });
    }
    ready.sort((a, b) => a.entry.header.seq - b.entry.header.seq);
    for (const { entry, index } of ready) this.#place(entry, report, index);
    // Only a grown count can let a leading entry in; honest groups never have any.
    if (this.pending.leadingCount > 0 && this.#counts.accepted !== this.#leadingCheckedAt) {
      this.pending.releaseAllowed(this.#counts, (entry) => this.#link(entry, report, -1));
      this.#leadingCheckedAt = this.#counts.accepted;
    }
  }

  #place(entry: LoggedEntry, report: ReportBuilder, index: number): void {
    const { seq, prev, author } = entry.header;
    if (seq === 1 || prev === null) {
      if (!isJoin(entry.event.type)) {
        this.refuse(
          entry,
          'not_member',
          `an author's first entry must be a join, not ${entry.event.type}`,
          report,
          index,
        );
      } else {
        this.#link(entry, report, index);
      }
      return;
    }
    const parent = this.#accepted.get(prev);
    if (parent) {
      const problem = linkProblem(parent, entry);
      if (problem) this.refuse(entry, problem.code, problem.message, report, index);
      else this.#link(entry, report, index);
      return;
    }
    const refusedParent = this.#refused.get(prev);
    if (refusedParent) {
      this.refuse(entry, ...inherited(prev, refusedParent), report, index);
      return;
    }
    // An unknown prev waits even when the author's seq − 1 is accepted under another id: if
    // it arrives, the author has forked and this is evidence. Refusing it here would make the
    // evidence, and with it the lamport rule's count, depend on arrival order.
    const pendingParent = this.pending.get(prev)?.header;
    if (pendingParent && (pendingParent.author !== author || pendingParent.seq !== seq - 1)) {
      this.refuse(entry, 'chain_broken', `prev does not name the author's entry ${seq - 1}`, report, index);
      return;
    }
    if (this.#refuseIfFull(entry, report, index)) return;
    this.pending.waitForPrev(entry);
  }

  /**
   * Accepts an entry whose chain checks passed, then every pending entry that was waiting for
   * it (iteratively: chains can be long). An entry whose lamport leads too far waits instead;
   * `index` ≥ 0 marks a new entry of this call (it may meet the pending bound), -1 one that
   * was pending already (it keeps its place).
   */
  #link(first: LoggedEntry, report: ReportBuilder, index: number): void {
    if (!this.#mayAccept(first, report, index)) return;
    const stack = [first];
    while (stack.length > 0) {
      const entry = stack.pop()!;
      this.#accept(entry, report);
      for (const child of this.pending.takeChildren(entry.id)) {
        const problem = linkProblem(entry, child);
        if (problem) this.refuse(child, problem.code, problem.message, report, -1);
        else if (this.#mayAccept(child, report, -1)) stack.push(child);
      }
    }
  }

  /** The lamport rule: false when the entry has to wait (or met a full pending set). */
  #mayAccept(entry: LoggedEntry, report: ReportBuilder, index: number): boolean {
    const lamport = entry.header.lamport;
    if (lamport <= LAMPORT_LEAD_BOUND || this.#counts.allows(lamport)) return true;
    if (index < 0 || !this.#refuseIfFull(entry, report, index)) this.pending.waitForLower(entry);
    return false;
  }

  #refuseIfFull(entry: LoggedEntry, report: ReportBuilder, index: number): boolean {
    if (!this.pending.isFull) return false;
    report.reject('pending_full', `${this.pending.size} entries already wait to be placed`, entry.id, index);
    return true;
  }

  #accept(entry: LoggedEntry, report: ReportBuilder): void {
    const { author, seq, lamport } = entry.header;
    this.#accepted.set(entry.id, entry);
    this.#canonical = undefined;
    this.#counts.record(lamport);
    if (lamport > this.#maxLamport) this.#maxLamport = lamport;
    let chain = this.#authors.get(author);
    if (!chain) {
      chain = { bySeq: new Map(), maxSeq: 0, forkSeq: undefined };
      this.#authors.set(author, chain);
    }
    if (seq > chain.maxSeq) chain.maxSeq = seq;
    const atSeq = chain.bySeq.get(seq);
    if (!atSeq) {
      chain.bySeq.set(seq, [entry.id]);
    } else {
      atSeq.push(entry.id);
      if (chain.forkSeq === undefined || seq <= chain.forkSeq) {
        chain.forkSeq = seq;
        report.forks.set(author, this.#forkEvidence(author, seq));
      }
    }
    report.accepted.push(entry);
  }

  /** Refuses an authentic entry and, transitively, everything pending below it. */
  refuse(
    first: ChainLink,
    code: EntryErrorCode,
    message: string,
    report: ReportBuilder,
    index: number,
  ): void {
    const stack: { entry: ChainLink; verdict: Verdict; index: number }[] = [
      { entry: first, verdict: { code, message }, index },
    ];
    while (stack.length > 0) {
      const { entry, verdict, index: at } = stack.pop()!;
      boundedSet(this.#refused, entry.id, verdict, MAX_REFUSED);
      const { prev, author, seq } = entry.header;
      if (prev !== null) boundedSet(this.#vouchedByRefused, prev, { author, seq: seq - 1 }, MAX_REFUSED);
      report.reject(verdict.code, verdict.message, entry.id, at);
      const [childCode, childMessage] = inherited(entry.id, verdict);
      for (const child of this.pending.takeChildren(entry.id)) {
        stack.push({ entry: child, verdict: { code: childCode, message: childMessage }, index: -1 });
      }
    }
  }

  #forkEvidence(author: MemberId, seq: number): ForkEvidence {
    const ids = this.#authors.get(author)?.bySeq.get(seq) ?? [];
    return { author, seq, entries: [...ids].sort() };
  }
}

function linkProblem(parent: LoggedEntry, child: LoggedEntry): Verdict | undefined {
  const p = parent.header;
  const c = child.header;
  if (p.author !== c.author || p.seq !== c.seq - 1) {
    return { code: 'chain_broken', message: `prev does not name the author's entry ${c.seq - 1}` };
  }
  if (c.lamport <= p.lamport) {
    return {
      code: 'lamport_not_increasing',
      message: `lamport ${c.lamport} does not exceed ${p.lamport} of the author's previous entry`,
    };
  }
  return undefined;
}

/** The verdict passed down to the descendants of a refused entry. */
function inherited(parentId: EntryId, verdict: Verdict): [EntryErrorCode, string] {
  if (verdict.code === 'not_member') {
    return ['not_member', `the author's chain does not start with a join (entry ${parentId})`];
  }
  return ['chain_broken', `predecessor ${parentId} was refused (${verdict.code})`];
}
