/**
 * The chat timeline: messages interleaved with expense, payment, request and red-envelope cards, in the
 * group's total order (lamport, then author, then id), so every device shows the same sequence.
 */
import type {
  ChatMessageState,
  EntryId,
  ExpenseState,
  GroupState,
  PaymentState,
  RedEnvelopeState,
  RequestState,
} from '../../../shared/ledger/types';
import type { MemberId } from '../../../shared/money/types';

export type TimelineItem =
  | {
      readonly kind: 'message';
      readonly key: EntryId;
      readonly author: MemberId;
      readonly message: ChatMessageState;
    }
  | {
      readonly kind: 'expense';
      readonly key: EntryId;
      readonly author: MemberId;
      readonly expense: ExpenseState;
    }
  | {
      readonly kind: 'payment';
      readonly key: EntryId;
      readonly author: MemberId;
      readonly payment: PaymentState;
    }
  | {
      readonly kind: 'request';
      readonly key: EntryId;
      readonly author: MemberId;
      readonly request: RequestState;
    }
  | {
      readonly kind: 'envelope';
      readonly key: EntryId;
      readonly author: MemberId;
      readonly envelope: RedEnvelopeState;
    };

interface Sortable {
  readonly item: TimelineItem;
  readonly lamport: number;
}

export function buildTimeline(state: GroupState, limit = Number.POSITIVE_INFINITY): TimelineItem[] {
  const all: Sortable[] = [];
  for (const m of state.chat) {
    all.push({ lamport: m.lamport, item: { kind: 'message', key: m.id, author: m.author, message: m } });
  }
  for (const e of state.expenses) {
    const first = e.versions[0];
    all.push({
      lamport: first?.lamport ?? 0,
      item: { kind: 'expense', key: e.id, author: e.createdBy, expense: e },
    });
  }
  for (const p of state.payments) {
    all.push({ lamport: p.lamport, item: { kind: 'payment', key: p.id, author: p.author, payment: p } });
  }
  for (const r of state.requests) {
    all.push({ lamport: r.lamport, item: { kind: 'request', key: r.id, author: r.author, request: r } });
  }
  for (const e of state.redEnvelopes ?? []) {
    all.push({ lamport: e.lamport, item: { kind: 'envelope', key: e.id, author: e.author, envelope: e } });
  }
  all.sort((a, b) => {
    if (a.lamport !== b.lamport) return a.lamport - b.lamport;
    if (a.item.author !== b.item.author) return a.item.author < b.item.author ? -1 : 1;
    return a.item.key < b.item.key ? -1 : a.item.key > b.item.key ? 1 : 0;
  });
  const items = all.map((s) => s.item);
  return items.length > limit ? items.slice(items.length - limit) : items;
}

/**
 * Who last changed an expense after creating it (an edit or a restore), or null when it is
 * unchanged: the chat card shows the current amount, so it must say that it was edited.
 */
export function lastEditor(expense: ExpenseState): MemberId | null {
  for (let i = expense.versions.length - 1; i >= 1; i--) {
    const v = expense.versions[i]!;
    if (v.data !== null) return v.author;
  }
  return null;
}
