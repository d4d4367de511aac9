/**
 * The incoming check pipeline of one group: keys that changed in the shared map (plus pending
 * entries re-offered from the store) go through the verifier, and its verdicts are written to
 * the store — accepted entries, fork evidence, pending entries, refusals — and refused junk is
 * removed from the map (map-healing.ts). GroupSync runs it on its queue, one batch at a time.
 */
import { sha256Hex } from '../crypto/hash';
import type { EntryErrorCode } from '../ledger/entry-errors';
import { decodeHeader, lamportOf } from '../ledger/envelope';
import type { EntryPreparer } from '../ledger/entry-prep';
import type { GroupLog, IngestReport, LoggedEntry, TrustedEntry } from '../ledger/group-log';
import type { EntryId, GroupId } from '../ledger/types';
import type { MemberId } from '../money/types';
import { isInadmissible, type Junk, removeJunk } from './map-healing';
import type { PendingRecord, RejectedRecord, Store, StoredEntry } from './store';
import type * as Y from 'yjs';

/** Why something in the map was refused: the verifier's codes plus the two the map itself can break. */
export type SyncRejectCode = EntryErrorCode | 'not_bytes';

export interface Candidate {
  readonly key: string;
  readonly bytes: Uint8Array;
}

/** Parts a large incoming batch is checked in when a preparer runs ahead (see pipelineParts). */
const PIPELINE_PARTS = 4;
const utf8 = new TextEncoder();

/** A stored row as the verifier takes it: with its cached event when it has one, so nothing is decrypted. */
export function trustedEntry(e: StoredEntry): TrustedEntry {
  if (e.event === undefined) return e.bytes;
  const header = decodeHeader(e.bytes);
  // A row that no longer decodes goes in as bare bytes: restore refuses it with its own code.
  return header.ok ? { bytes: e.bytes, entry: { id: e.id, header: header.value, event: e.event } } : e.bytes;
}

export function storedEntry(
  groupId: GroupId,
  e: LoggedEntry,
  receivedAt: number,
  status: StoredEntry['status'],
): StoredEntry {
  return {
    id: e.id,
    groupId,
    author: e.header.author,
    seq: e.header.seq,
    lamport: e.header.lamport,
    bytes: e.bytes,
    receivedAt,
    status,
    event: e.event,
  };
}

function rejectedRecord(
  groupId: GroupId,
  id: EntryId | null,
  code: SyncRejectCode,
  message: string,
  bytesHash: string,
  receivedAt: number,
): RejectedRecord {
  return { groupId, id, code, message, bytesHash, receivedAt };
}

/** bytesHash of a refusal whose value was not bytes at all: one record per map key. */
function notBytesHash(key: string): string {
  return sha256Hex(utf8.encode(`not-bytes:${key}`));
}

/**
 * A large batch, when a preparer checks it on other threads, in a few parts in lamport order
 * (each author's chain then runs on from one part to the next, so each part still needs about
 * one signature per author); anything else as one part.
 */
export function pipelineParts(candidates: readonly Candidate[], minBatch: number | undefined): Candidate[][] {
  if (minBatch === undefined || candidates.length < PIPELINE_PARTS * minBatch) return [[...candidates]];
  const ordered = candidates
    .map((c) => ({ c, lamport: lamportOf(c.bytes) }))
    .sort((a, b) => a.lamport - b.lamport);
  const size = Math.ceil(ordered.length / PIPELINE_PARTS);
  const parts: Candidate[][] = [];
  for (let from = 0; from < ordered.length; from += size) {
    parts.push(ordered.slice(from, from + size).map((o) => o.c));
  }
  return parts;
}

function emptyReport(log: GroupLog): IngestReport {
  return {
    accepted: [],
    rejected: [],
    duplicates: 0,
    pending: log.pendingCount,
    forks: [],
    signaturesVerified: 0,
  };
}

export interface IncomingCheckDeps {
  readonly groupId: GroupId;
  readonly log: GroupLog;
  readonly store: Store;
  readonly doc: Y.Doc;
  readonly map: Y.Map<unknown>;
  readonly preparer?: EntryPreparer | undefined;
  /** Origin of this device's own transactions (the map observer skips local ones anyway). */
  readonly origin: unknown;
  /** A part was accepted while later parts are still being prepared: the fold may go on. */
  readonly foldSoon: () => void;
  /** A store write failed; the entries are kept and written with the next batch. */
  readonly onSaveError: (message: string) => void;
}

export interface CheckResult {
  /** Something was accepted or a fork found: the state must be folded again. */
  readonly changed: boolean;
  /** Keys refused with pending_full, to offer again after a batch that accepts something. */
  readonly deferred: readonly string[];
}

export class IncomingCheck {
  readonly #d: IncomingCheckDeps;
  /** Ids the store's pending table holds, so only changes are written. */
  #pendingIds: Set<EntryId>;
  /** Entries the log accepted that the store has not taken yet (a failed write is retried). */
  #unsaved: StoredEntry[] = [];
  /** `${bytesHash}:${code}` of every refusal recorded: the snapshot's `rejected`. */
  readonly rejectedKeys = new Set<string>();

  constructor(deps: IncomingCheckDeps, pendingIds: Iterable<EntryId>, rejected: readonly RejectedRecord[]) {
    this.#d = deps;
    this.#pendingIds = new Set(pendingIds);
    for (const r of rejected) this.rejectedKeys.add(`${r.bytesHash}:${r.code}`);
  }

  /** Checks the values under `keys` (plus `extra` candidates), then stores the verdicts and heals the map. */
  async check(keys: readonly string[], extra: readonly Candidate[], now: number): Promise<CheckResult> {
    const { log, map, groupId } = this.#d;
    const candidates: Candidate[] = [...extra];
    const notBytes: RejectedRecord[] = [];
    const junk: Junk[] = [];
    for (const key of keys) {
      const value = map.get(key);
      if (log.get(key)) continue; // known: GroupSync's repair puts the right bytes back if they changed
      if (value === undefined) continue; // a key deleted before we looked: nothing to check
      if (!(value instanceof Uint8Array)) {
        const message = `The value under ${key.slice(0, 12)}… is not bytes.`;
        notBytes.push(rejectedRecord(groupId, null, 'not_bytes', message, notBytesHash(key), now));
        junk.push({ key, value });
        continue;
      }
      candidates.push({ key, bytes: value });
    }

    const parts = pipelineParts(candidates, this.#d.preparer?.minBatch);
    // Every part goes to the log at once, so a preparer works on the next parts while this
    // thread places and stores the earlier ones; the log judges them in order.
    const reports = parts.map((part) =>
      part.length > 0
        ? log.ingest(
            part.map((c) => c.bytes),
            // The log hashes each entry anyway; it refuses one filed under another id (key_mismatch).
            { keys: part.map((c) => c.key) },
          )
        : Promise.resolve(emptyReport(log)),
    );
    // If one part fails, this call fails with it; the later parts must not go unhandled meanwhile.
    for (const r of reports) r.catch(() => undefined);
    let changed = false;
    const deferred: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const report = await reports[i]!;
      await this.#storeVerdicts(parts[i]!, report, i === 0 ? notBytes : [], now, junk, deferred);
      if (report.accepted.length > 0 || report.forks.length > 0) {
        changed = true;
        if (i < parts.length - 1) this.#d.foldSoon();
      }
    }
    // After the verdicts are stored: a value is removed only once its refusal is on record.
    removeJunk(this.#d.doc, map, junk, this.#d.origin);
    return { changed, deferred };
  }

  /** Records what the log said of one part: refusals, accepted and pending entries, forks. */
  async #storeVerdicts(
    candidates: readonly Candidate[],
    report: IngestReport,
    refusedEarlier: readonly RejectedRecord[],
    now: number,
    junk: Junk[],
    deferred: string[],
  ): Promise<void> {
    const { log, store, groupId } = this.#d;
    const rejected: RejectedRecord[] = [...refusedEarlier];
    for (const r of report.rejected) {
      // A refused entry's id is in the rejection, except when too large to hash: then its key.
      const candidate = r.index !== undefined ? candidates[r.index] : undefined;
      const id = r.id ?? candidate?.key;
      if (r.code === 'pending_full') {
        if (id !== undefined) deferred.push(id);
        continue;
      }
      if (id === undefined) continue;
      rejected.push(rejectedRecord(groupId, id, r.code, r.message, id, now));
      if (isInadmissible(r.code)) junk.push({ key: candidate?.key ?? id, value: candidate?.bytes });
    }

    // Statuses follow the log: an author's entries from its fork on are evidence, not log.
    const forkSeq = new Map(log.forks().map((f) => [f.author, f.seq]));
    const isEvidence = (author: MemberId, seq: number) =>
      seq >= (forkSeq.get(author) ?? Number.POSITIVE_INFINITY);
    const toStore: StoredEntry[] = [
      ...this.#unsaved,
      ...report.accepted.map((e) =>
        storedEntry(groupId, e, now, isEvidence(e.header.author, e.header.seq) ? 'fork-evidence' : 'applied'),
      ),
    ];
    const demoted: EntryId[] = [];
    const fresh = new Set(report.forks.length > 0 ? report.accepted.map((e) => e.id) : []);
    for (const fork of report.forks) {
      for (const e of log.entries()) {
        if (e.header.author === fork.author && e.header.seq >= fork.seq && !fresh.has(e.id))
          demoted.push(e.id);
      }
    }

    const pendingBefore = this.#pendingIds;
    const pendingNow = new Map(log.pendingEntries().map((e) => [e.id, e]));
    const newPending: PendingRecord[] = [];
    for (const [id, e] of pendingNow) {
      if (!pendingBefore.has(id)) newPending.push({ groupId, id, bytes: e.bytes, receivedAt: now });
    }
    const settled = [...pendingBefore].filter((id) => !pendingNow.has(id));
    this.#pendingIds = new Set(pendingNow.keys());

    try {
      if (demoted.length > 0) await store.markForkEvidence(groupId, demoted);
      await store.appendEntries(groupId, toStore);
      this.#unsaved = [];
    } catch (error) {
      // The log already holds them; keep them for the next batch rather than losing them.
      this.#unsaved = toStore;
      this.#d.onSaveError(
        `Could not save entries: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (newPending.length > 0) await store.addPending(newPending);
    if (settled.length > 0) await store.removePending(groupId, settled);
    if (rejected.length > 0) {
      await store.addRejected(rejected);
      for (const r of rejected) this.rejectedKeys.add(`${r.bytesHash}:${r.code}`);
    }
  }
}
