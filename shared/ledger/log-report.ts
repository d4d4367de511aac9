/**
 * What GroupLog tells its callers: the public result types, and the builder one call fills
 * in while it judges entries (see group-log.ts).
 */
import type { MemberId } from '../money/types';
import type { EntryErrorCode } from './entry-errors';
import type { EntryId, VerifiedEntry } from './types';

/** A verified entry together with its envelope bytes (what the store and backups keep). */
export interface LoggedEntry extends VerifiedEntry {
  readonly bytes: Uint8Array;
}

export interface Rejection {
  /** Absent when the bytes were too large or not bytes at all. */
  readonly id?: EntryId;
  /** Position in the input of the call that refused it; absent when refused later as a pending entry. */
  readonly index?: number;
  readonly code: EntryErrorCode;
  readonly message: string;
}

export interface ForkEvidence {
  readonly author: MemberId;
  /** The lowest seq at which the author has two or more accepted entries. */
  readonly seq: number;
  /** Ids of the competing entries at that seq, sorted. */
  readonly entries: readonly EntryId[];
}

export interface IngestReport {
  /** Entries that joined the log in this call (fork evidence included), in the order they were placed. */
  readonly accepted: readonly LoggedEntry[];
  readonly rejected: readonly Rejection[];
  /** Inputs already in the log or pending (or repeated in the input). */
  readonly duplicates: number;
  /** Size of the pending set after the call (entries waiting for a predecessor or for lower entries). */
  readonly pending: number;
  /** Forks found or moved to an earlier seq by this call; canonicalEntries() changed for these authors. */
  readonly forks: readonly ForkEvidence[];
  /** Signatures verified in this call (≈ one per author chain on the batch fast path). */
  readonly signaturesVerified: number;
}

export interface Head {
  readonly seq: number;
  readonly id: EntryId;
  readonly lamport: number;
}

export interface NextHeader {
  readonly seq: number;
  readonly prev: EntryId | null;
  readonly lamport: number;
}

/** A verdict that refuses an entry for good. */
export interface Verdict {
  readonly code: EntryErrorCode;
  readonly message: string;
}

/** The report of one call, filled in as its entries are judged. */
export class ReportBuilder {
  readonly accepted: LoggedEntry[] = [];
  readonly rejected: Rejection[] = [];
  readonly forks = new Map<MemberId, ForkEvidence>();
  duplicates = 0;
  signaturesVerified = 0;

  reject(code: EntryErrorCode, message: string, id?: EntryId, index?: number): void {
    const r: { -readonly [K in keyof Rejection]: Rejection[K] } = { code, message };
    if (id !== undefined) r.id = id;
    if (index !== undefined && index >= 0) r.index = index;
    this.rejected.push(r);
  }

  finish(pending: number): IngestReport {
    return {
      accepted: this.accepted,
      rejected: this.rejected,
      duplicates: this.duplicates,
      pending,
      forks: [...this.forks.values()],
      signaturesVerified: this.signaturesVerified,
    };
  }
}
