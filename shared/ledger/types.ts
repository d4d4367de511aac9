/** Types shared by the envelope, verification, fold and everything that reads state. */
import type { CurrencyCode, MemberId, Minor } from '../money/types';
import type { EventRef, ExpenseData, ExpenseTemplate, Rate, Schedule, WalletEvent } from './events';

/** Hex SHA-256 of an entry's signed bytes. */
export type EntryId = string;
/** 32 lower-case hex chars (128-bit random). */
export type GroupId = string;

/** The plaintext, signed part of an entry. */
export interface EntryHeader {
  readonly version: number;
  readonly groupId: GroupId;
  readonly author: MemberId;
  /** 1, 2, 3… per author per group. */
  readonly seq: number;
  /** Id of the author's previous entry in this group; null for seq 1. */
  readonly prev: EntryId | null;
  readonly lamport: number;
  /** Wall-clock milliseconds at the author's device (informational only, never used for ordering). */
  readonly time: number;
}

/** An entry that passed every check: its event is decrypted and schema-valid. */
export interface VerifiedEntry {
  readonly id: EntryId;
  readonly header: EntryHeader;
  readonly event: WalletEvent;
}

/**
 * Total order of entries used by fold: lamport, then author, then seq, then id (the id only
 * matters for forked entries, which share author and seq).
 */
export function compareEntries(a: VerifiedEntry, b: VerifiedEntry): number {
  const ha = a.header;
  const hb = b.header;
  if (ha.lamport !== hb.lamport) return ha.lamport - hb.lamport;
  if (ha.author !== hb.author) return ha.author < hb.author ? -1 : 1;
  if (ha.seq !== hb.seq) return ha.seq - hb.seq;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// ---------------------------------------------------------------- state

export interface MemberState {
  readonly id: MemberId;
  readonly name: string;
  /** Entry that made this member join (group.created or member.joined). */
  readonly joinedBy: EntryId;
  readonly joinedAt: number;
  /** X25519 public key (hex) published in the join, if any. */
  readonly x25519?: string;
  /** Absent while a member; 'left' or 'removed' from `departedBy` on (docs/protocol.md §13). */
  readonly status?: 'left' | 'removed';
  /** Entry at which the departure took effect (member.left, member.removed or the deciding approval). */
  readonly departedBy?: EntryId;
}

/** A balance hand-over (docs/protocol.md §13): counts in balances once accepted. */
export interface HandoverState {
  /** Id of the `balance.handed_over` entry. */
  readonly id: EntryId;
  readonly from: MemberId;
  readonly to: MemberId;
  readonly currency: CurrencyCode;
  /** Positive: `from` hands over a credit; negative: a debt. */
  readonly amount: Minor;
  readonly status: 'pending' | 'accepted' | 'cancelled';
  /** The entry that accepted or cancelled it. */
  readonly settledBy?: EntryId;
  readonly lamport: number;
  readonly time: number;
}

/** A device linked to a person (docs/protocol.md §16): its entries count as the person's. */
export interface DeviceState {
  /** The device's author key (hex). */
  readonly device: string;
  /** The person (member id) whose certificate linked it. */
  readonly person: MemberId;
  readonly name?: string;
  /** The certificate's time (ms). */
  readonly created: number;
  /** The `device.linked` entry that took effect. */
  readonly linkedBy: EntryId;
  /** Absent while linked; the `device.unlinked` entry from which its entries no longer count. */
  readonly unlinkedBy?: EntryId;
  /** The device's own X25519 key, when it published its `device.linked` itself (§15 seals to it). */
  readonly x25519?: string;
}

/** Approvals to remove one member (docs/protocol.md §13). */
export interface RemovalState {
  readonly member: MemberId;
  /** Approving members, in total order of their approvals (departed approvers stay listed but do not count). */
  readonly approvals: readonly MemberId[];
  /** 'open' until the member is removed ('removed') or leaves first ('left'). */
  readonly status: 'open' | 'removed' | 'left';
}

/** One version of an expense: the entry that produced it and the data it set (null = deleted). */
export interface ExpenseVersion {
  readonly entryId: EntryId;
  readonly author: MemberId;
  readonly lamport: number;
  readonly time: number;
  /** The version this one was made on (null for the creation). */
  readonly base: EntryId | null;
  readonly data: ExpenseData | null;
}

export interface ExpenseState {
  /** Id of the creating entry. */
  readonly id: EntryId;
  readonly createdBy: MemberId;
  /** Current data (after the last version in total order); when deleted, the last data before deletion. */
  readonly data: ExpenseData;
  readonly deleted: boolean;
  /** Entry id of the current version (what the next edit should name as base). */
  readonly head: EntryId;
  /** Every version in total order, the creation first. */
  readonly versions: readonly ExpenseVersion[];
}

export interface PaymentState {
  readonly id: EntryId;
  readonly author: MemberId;
  readonly from: MemberId;
  readonly to: MemberId;
  readonly amount: Minor;
  readonly currency: CurrencyCode;
  readonly date: string;
  readonly note?: string;
  readonly request?: EntryId;
  readonly deleted: boolean;
  readonly lamport: number;
  readonly time: number;
}

export interface RequestState {
  readonly id: EntryId;
  readonly author: MemberId;
  readonly from: MemberId;
  readonly to: MemberId;
  readonly amount: Minor;
  readonly currency: CurrencyCode;
  readonly note?: string;
  readonly status: 'open' | 'paid' | 'cancelled';
  /** Payment that fulfilled it, when paid. */
  readonly paidBy?: EntryId;
  readonly lamport: number;
  readonly time: number;
}

export interface ChatMessageState {
  readonly id: EntryId;
  readonly author: MemberId;
  readonly text: string;
  readonly ref?: EventRef;
  readonly lamport: number;
  readonly time: number;
}

export interface RateState {
  readonly id: EntryId;
  readonly from: CurrencyCode;
  readonly to: CurrencyCode;
  readonly rate: Rate;
  readonly date: string;
  readonly lamport: number;
}

/**
 * Two operations made on the same version of an expense without seeing each other.
 * Both are applied in total order (the later one wins); the conflict is listed for review
 * until someone makes a new version on top of the winner.
 */
export interface ConflictState {
  readonly expense: EntryId;
  readonly kind: 'update-update' | 'update-delete' | 'delete-delete';
  /** The version both operations were based on. */
  readonly base: EntryId;
  /** Entry ids of the competing versions, in total order; the last one won. */
  readonly versions: readonly EntryId[];
  readonly winner: EntryId;
  readonly resolved: boolean;
}

/** One version of a recurring rule: it rules the dates from `effectiveFrom` up to the next version's. */
export interface RuleVersionState {
  /** Entry that made it (recurring.created, .updated or .stopped). */
  readonly entryId: EntryId;
  readonly author: MemberId;
  /** YYYY-MM-DD */
  readonly effectiveFrom: string;
  /** Absent: stopped from `effectiveFrom` on. */
  readonly schedule?: Schedule;
  readonly template?: ExpenseTemplate;
}

/** A recurring expense (docs/protocol.md §12). */
export interface RecurringRuleState {
  /** Id of the creating entry. */
  readonly id: EntryId;
  readonly createdBy: MemberId;
  readonly lamport: number;
  readonly time: number;
  /** The versions in force, by ascending `effectiveFrom`. */
  readonly versions: readonly RuleVersionState[];
  /** The last version stops it. */
  readonly stopped: boolean;
  /** The first occurrence after the fold's `asOf` date that is not skipped, if any. */
  readonly next?: string;
}

/**
 * An occurrence of a recurring expense, derived by the fold (never written by a device). Counts in
 * balances like an expense.
 */
export interface OccurrenceState {
  /** `${rule}|${date}`: stable on every device. */
  readonly id: string;
  readonly rule: EntryId;
  /** Its date in the rule (its identity); `data.date` may differ when an edit moved it. */
  readonly date: string;
  readonly data: ExpenseData;
  /** The `occurrence.edited` entry whose data it shows, when edited. */
  readonly editedBy?: EntryId;
}

/** One share of a red envelope taken by an opener. */
export interface RedEnvelopeClaimState {
  readonly member: MemberId;
  readonly amount: Minor;
  /** Which share (0-based): the opener's place among the openers in total order. */
  readonly index: number;
  /** The `envelope.opened` entry, and its lamport and (informational) time. */
  readonly entryId: EntryId;
  readonly lamport: number;
  readonly time: number;
}

/**
 * A red envelope (lucky money, docs/red-envelopes.md). Each claim counts in balances as a debt of
 * the sender to the opener; the unclaimed rest counts nowhere.
 */
export interface RedEnvelopeState {
  /** Id of the `envelope.created` entry (the randomness of the shares). */
  readonly id: EntryId;
  /** The sender. */
  readonly author: MemberId;
  readonly amount: Minor;
  readonly currency: CurrencyCode;
  /** Number of shares. */
  readonly count: number;
  readonly date: string;
  readonly note?: string;
  readonly lamport: number;
  readonly time: number;
  /** In total order of the open entries. */
  readonly claims: readonly RedEnvelopeClaimState[];
  /** Sum of the shares nobody has taken (returned to the sender, i.e. never owed, on reclaim). */
  readonly unclaimed: Minor;
  /** The `envelope.reclaimed` entry, once the sender took back the rest; null before. */
  readonly reclaimedBy: EntryId | null;
}

/** A valid `key.rotated` (docs/protocol.md §15). */
export interface KeyRotationState {
  readonly id: EntryId;
  readonly epoch: number;
  readonly author: MemberId;
  /** Members the key was sealed to, sorted. */
  readonly recipients: readonly MemberId[];
  /** Active members left out (no published X25519 key, or unknown to the author), sorted. */
  readonly unsealed: readonly MemberId[];
  /** First valid rotation of its epoch in total order: its key is the epoch's key. */
  readonly winner: boolean;
  readonly lamport: number;
  readonly time: number;
}

/** A valid key.shared: epoch keys sealed to one member after the fact (§15). */
export interface KeyShareState {
  readonly id: EntryId;
  readonly author: MemberId;
  readonly member: MemberId;
  /** The rotations whose keys it carries, in the entry's order. */
  readonly rotations: readonly EntryId[];
}

/** An active member who holds no box for some winning rotation: a member should share them. */
export interface MissingKeysState {
  readonly member: MemberId;
  readonly x25519: string;
  /** Winning rotations they were neither sealed nor shared, in epoch order. */
  readonly rotations: readonly EntryId[];
}

export interface KeyEpochsState {
  /** The current epoch (0: the invite's key). */
  readonly epoch: number;
  /** The rotation whose key writers use; null in epoch 0. */
  readonly current: EntryId | null;
  /** Valid rotations in total order. */
  readonly rotations: readonly KeyRotationState[];
  /** A departed member can read the current epoch: a remaining member should rotate. */
  readonly needsRotation: boolean;
  /** Valid key.shared entries in total order. Optional like the state's other late fields. */
  readonly shares?: readonly KeyShareState[];
  /**
   * Active members with a published X25519 key who lack some epoch's key (say they joined after
   * a rotation): key-sharer.ts seals them what this device holds.
   */
  readonly missingKeys?: readonly MissingKeysState[];
}

/** A verified entry whose event made no sense against state (e.g. edits an unknown expense). */
export interface IgnoredEntry {
  readonly entryId: EntryId;
  readonly author: MemberId;
  readonly code: string;
  readonly message: string;
}

export interface GroupState {
  readonly groupId: GroupId;
  readonly name: string;
  readonly currency: CurrencyCode;
  readonly createdBy: MemberId | null;
  /** Members sorted by id. */
  readonly members: readonly MemberState[];
  /** Expenses (including deleted ones) in creation order. */
  readonly expenses: readonly ExpenseState[];
  /** Payments (including deleted ones) in total order. */
  readonly payments: readonly PaymentState[];
  readonly requests: readonly RequestState[];
  readonly chat: readonly ChatMessageState[];
  readonly rates: readonly RateState[];
  readonly conflicts: readonly ConflictState[];
  readonly ignored: readonly IgnoredEntry[];
  /**
   * Recurring rules in creation order, and their occurrences up to the fold's `asOf` date sorted
   * by date then rule id (skipped ones left out). Always set by fold; optional so that states
   * built by hand (tests) need not name them.
   */
  readonly recurring?: readonly RecurringRuleState[];
  readonly occurrences?: readonly OccurrenceState[];
  /** Red envelopes in creation (total) order. Always set by fold; optional like `recurring`. */
  readonly redEnvelopes?: readonly RedEnvelopeState[];
  /** Balance hand-overs and removal approvals, in total order. Always set by fold; optional like `recurring`. */
  readonly handovers?: readonly HandoverState[];
  readonly removals?: readonly RemovalState[];
  /** Key epochs (fold-keys.ts). Always set by fold; optional like `recurring`. */
  readonly keys?: KeyEpochsState;
  /** Linked devices in the order linked (§16). Always set by fold; optional like `recurring`. */
  readonly devices?: readonly DeviceState[];
  /** Number of entries folded and the highest lamport seen (the next local entry uses lamport + 1). */
  readonly entryCount: number;
  readonly maxLamport: number;
}
