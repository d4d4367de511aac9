/**
 * The mutable working state of one fold. Kept in Maps while entries are applied; `fold` turns it
 * into the read-only GroupState arrays once at the end.
 */
import type { CurrencyCode, MemberId } from '../money/types';
import { type MemberSetId, memberSetWith, NO_MEMBERS } from './fold-member-sets';
import type { ExpenseFacts } from './fold-shares';
import type { OccurrenceOverride, RuleRecord } from './fold-recurring';
import type { HandoverRecord, RemovalRecord } from './fold-membership';
import type { RedEnvelopeRecord } from './fold-envelopes';
import type { DeviceRecord } from './fold-devices';
import type {
  ChatMessageState,
  ConflictState,
  EntryId,
  ExpenseState,
  ExpenseVersion,
  GroupId,
  IgnoredEntry,
  KeyRotationState,
  KeyShareState,
  MemberState,
  PaymentState,
  RateState,
  RequestState,
} from './types';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type ExpenseRecord = Mutable<ExpenseState> & { versions: ExpenseVersion[] };
export type ConflictRecord = Mutable<ConflictState> & { versions: EntryId[] };

/** One expense while the fold runs: the record the state will show and the working data around it. */
export interface ExpenseSlot {
  /** Where `record` sits in `expenses` (the incremental fold swaps in a copy there). */
  readonly index: number;
  record: ExpenseRecord;
  /** Facts of `record.data` (kept up to date), handed to the readers of the state at the end. */
  facts: ExpenseFacts;
  /** Its unresolved conflicts, oldest first; undefined when there are none. */
  open: ConflictRecord[] | undefined;
  /**
   * Its version entry ids, kept once it has more than a few versions so that finding a change's
   * base stays cheap; shorter version lists are scanned instead (see fold-expenses).
   */
  versionIds: Set<EntryId> | undefined;
}

export interface FoldContext {
  readonly groupId: GroupId;
  created: boolean;
  name: string;
  currency: CurrencyCode;
  createdBy: MemberId | null;
  readonly members: Map<MemberId, Mutable<MemberState>>;
  /** Number of the set of active members (fold-member-sets); changed by `addMember` and departures. */
  memberSet: MemberSetId;
  /** In creation order (entries are applied in total order); `slots` holds the same expenses. */
  readonly expenses: ExpenseRecord[];
  readonly slots: ExpenseSlot[];
  /**
   * Every expense by its id (the id of its creating entry). Versions are not indexed here: on a
   * large ledger one Map entry per version was the fold's most expensive line.
   */
  readonly expensesById: Map<EntryId, ExpenseSlot>;
  readonly conflicts: ConflictRecord[];
  readonly payments: Map<EntryId, Mutable<PaymentState>>;
  readonly requests: Map<EntryId, Mutable<RequestState>>;
  /** Payments (in total order) that name each request, so deleting one can hand over to the next; created on the first such payment. */
  readonly requestPayments: Map<EntryId, EntryId[]>;
  readonly chat: ChatMessageState[];
  readonly rates: RateState[];
  readonly ignored: IgnoredEntry[];
  /** Recurring rules by id, and in creation order (fold-recurring). */
  readonly rules: Map<EntryId, RuleRecord>;
  readonly ruleList: RuleRecord[];
  /** Edits and skips of occurrences, by `${rule}|${date}`. */
  readonly occurrenceOverrides: Map<string, OccurrenceOverride>;
  /** Removal approvals by target, in the order first approved; hand-overs by id (fold-membership). */
  readonly removals: Map<MemberId, RemovalRecord>;
  readonly handovers: Map<EntryId, HandoverRecord>;
  /** Red envelopes by id, in creation order (fold-envelopes). */
  readonly redEnvelopes: Map<EntryId, RedEnvelopeRecord>;
  /** Key epochs (fold-keys): the current epoch, valid rotations in order, the current one's index. */
  keyEpoch: number;
  readonly keyRotations: KeyRotationState[];
  currentRotation: number | undefined;
  readonly keyShares: KeyShareState[];
  /** Linked devices by device key, in the order linked (fold-devices). */
  readonly devices: Map<string, DeviceRecord>;
}

/** Why an entry was ignored; the driver adds the entry id and author. */
export interface Problem {
  readonly code: string;
  readonly message: string;
}

export function problem(code: string, message: string): Problem {
  return { code, message };
}

/**
 * An empty array that V8 already treats as an array of objects. `[]` starts as an array of small
 * integers and changes kind with the first object pushed, which the optimised code of the previous
 * fold does not expect: it was thrown away on every fold.
 */
export function objectList<T extends object>(): T[] {
  const list: (T | null)[] = [null];
  list.length = 0;
  return list as T[];
}

/**
 * A class rather than an object literal: V8 gives a literal's Map-valued fields a new field type
 * on its second creation, which throws away the optimised code of the whole fold once more (the
 * second fold of a process ran at half speed); a constructor's fields keep theirs.
 */
class Context implements FoldContext {
  created = false;
  name = '';
  currency: CurrencyCode = '';
  createdBy: MemberId | null = null;
  readonly members = new Map<MemberId, Mutable<MemberState>>();
  memberSet: MemberSetId = NO_MEMBERS;
  readonly expenses = objectList<ExpenseRecord>();
  readonly slots = objectList<ExpenseSlot>();
  readonly expensesById = new Map<EntryId, ExpenseSlot>();
  readonly conflicts = objectList<ConflictRecord>();
  readonly payments = new Map<EntryId, Mutable<PaymentState>>();
  readonly requests = new Map<EntryId, Mutable<RequestState>>();
  readonly requestPayments = new Map<EntryId, EntryId[]>();
  readonly chat = objectList<ChatMessageState>();
  readonly rates = objectList<RateState>();
  readonly ignored = objectList<IgnoredEntry>();
  readonly rules = new Map<EntryId, RuleRecord>();
  readonly ruleList = objectList<RuleRecord>();
  readonly occurrenceOverrides = new Map<string, OccurrenceOverride>();
  readonly removals = new Map<MemberId, RemovalRecord>();
  readonly handovers = new Map<EntryId, HandoverRecord>();
  readonly redEnvelopes = new Map<EntryId, RedEnvelopeRecord>();
  keyEpoch = 0;
  readonly keyRotations = objectList<KeyRotationState>();
  currentRotation: number | undefined = undefined;
  readonly keyShares = objectList<KeyShareState>();
  readonly devices = new Map<string, DeviceRecord>();

  constructor(readonly groupId: GroupId) {}
}

export function newFoldContext(groupId: GroupId): FoldContext {
  return new Context(groupId);
}

/** Adds a member (the group's creator or a joiner). */
export function addMember(ctx: FoldContext, member: Mutable<MemberState>): void {
  ctx.members.set(member.id, member);
  ctx.memberSet = memberSetWith(ctx.memberSet, member.id);
}

/** Short form of a 64-hex id for messages. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
