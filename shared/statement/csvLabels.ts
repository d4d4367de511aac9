/**
 * Column titles and type words of the CSV statements. English by default; the UI passes its
 * own translations. The importer must be given the same labels the statement was written with.
 */
export interface StatementLabels {
  readonly date: string;
  readonly type: string;
  readonly description: string;
  readonly category: string;
  readonly currency: string;
  readonly amount: string;
  readonly paidBy: string;
  /** Prefix of the per-member share columns of the group statement ("Share: Ann"). */
  readonly sharePrefix: string;
  readonly from: string;
  readonly to: string;
  readonly note: string;
  readonly entryId: string;
  readonly paidByMember: string;
  readonly memberShare: string;
  readonly effect: string;
  readonly runningBalance: string;
  /** Values of the Type column. */
  readonly expense: string;
  readonly payment: string;
  /** A red-envelope claim (docs/red-envelopes.md). */
  readonly redEnvelope: string;
}

export const DEFAULT_STATEMENT_LABELS: StatementLabels = Object.freeze({
  date: 'Date',
  type: 'Type',
  description: 'Description',
  category: 'Category',
  currency: 'Currency',
  amount: 'Amount',
  paidBy: 'Paid by',
  sharePrefix: 'Share: ',
  from: 'From',
  to: 'To',
  note: 'Note',
  entryId: 'Entry id',
  paidByMember: 'Paid by member',
  memberShare: 'Member share',
  effect: 'Effect on balance',
  runningBalance: 'Running balance',
  expense: 'expense',
  payment: 'payment',
  redEnvelope: 'red envelope',
});
