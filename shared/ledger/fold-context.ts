/**
 * The mutable working state of one fold. Kept in Maps while entries are applied; `fold` turns it
 * into the read-only GroupState arrays once at the end.
 */
import type { CurrencyCode, MemberId } from '../money/types';
import type {
  ChatMessageState,
  ConflictState,
  EntryId,
  ExpenseState,
  ExpenseVersion,
  GroupId,
  IgnoredEntry,
  MemberState,
  PaymentState,
  RateState,
  RequestState,
} from './types';

export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type ExpenseRecord = Mutable<ExpenseState> & { versions: ExpenseVersion[] };
export type ConflictRecord = Mutable<ConflictState> & { versions: EntryId[] };

export interface FoldContext {
  readonly groupId: GroupId;
  created: boolean;
  name: string;
  currency: CurrencyCode;
  createdBy: MemberId | null;
  readonly members: Map<MemberId, Mutable<MemberState>>;
  /** In creation order (entries are applied in total order). */
  readonly expenses: ExpenseRecord[];
  /**
   * The expense of every version entry id (creation, updates, deletes). An expense is found by
   * its id here too: its creating entry is the version whose id equals the record's id.
   */
  readonly versions: Map<EntryId, ExpenseRecord>;
  /** Version entries that deleted their expense. */
  readonly deletes: Set<EntryId>;
  /** Unresolved conflicts per expense id. */
  readonly openConflicts: Map<EntryId, ConflictRecord[]>;
  readonly conflicts: ConflictRecord[];
  readonly payments: Map<EntryId, Mutable<PaymentState>>;
  readonly requests: Map<EntryId, Mutable<RequestState>>;
  /** Payments (in total order) that name each request, so deleting one can hand over to the next; created on the first such payment. */
  readonly requestPayments: Map<EntryId, EntryId[]>;
  readonly chat: ChatMessageState[];
  readonly rates: RateState[];
  readonly ignored: IgnoredEntry[];
}

/** Why an entry was ignored; the driver adds the entry id and author. */
export interface Problem {
  readonly code: string;
  readonly message: string;
}

export function problem(code: string, message: string): Problem {
  return { code, message };
}

export function newFoldContext(groupId: GroupId): FoldContext {
  return {
    groupId,
    created: false,
    name: '',
    currency: '',
    createdBy: null,
    members: new Map(),
    expenses: [],
    versions: new Map(),
    deletes: new Set(),
    openConflicts: new Map(),
    conflicts: [],
    payments: new Map(),
    requests: new Map(),
    requestPayments: new Map(),
    chat: [],
    rates: [],
    ignored: [],
  };
}

/** Short form of a 64-hex id for messages. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
