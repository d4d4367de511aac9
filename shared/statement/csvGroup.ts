/**
 * The group statement: one row per non-deleted expense and payment, with every member's share
 * of each expense in a column of its own. Columns and conventions: docs/csv.md.
 */
import type { GroupState } from '../ledger/types';
import { toDecimalString } from '../money/format';
import type { MemberId, Payer } from '../money/types';
import { csvDocument, csvLine, textCell } from './csvCells';
import {
  type ExpenseItem,
  itemSelected,
  type PaymentItem,
  type RedEnvelopeItem,
  statementItems,
} from './csvItems';
import type { StatementLabels } from './csvLabels';
import { memberNames, nameOf } from './csvMembers';
import { resolveOptions, type StatementOptions } from './csvOptions';

/** Header cells (ready to write) of a group statement with share columns for these member names. */
export function groupStatementHeader(labels: StatementLabels, memberColumns: readonly string[]): string[] {
  return [
    labels.date,
    labels.type,
    labels.description,
    labels.category,
    labels.currency,
    labels.amount,
    labels.paidBy,
    ...memberColumns.map((name) => labels.sharePrefix + name),
    labels.from,
    labels.to,
    labels.note,
    labels.entryId,
  ].map(textCell);
}

/**
 * CSV of the group's expenses and payments between `from` and `to` (inclusive), optionally in
 * one currency. Throws WalletError `statement.bad-option` for invalid options.
 */
export function groupStatementCsv(state: GroupState, opts: StatementOptions = {}): string {
  const o = resolveOptions(opts);
  const names = memberNames(state);
  const items = statementItems(state).filter((item) => itemSelected(item, o));

  // One column per member, in join order; anyone in a split who is not a member (should not
  // happen, but a statement must not drop money) gets a column at the end.
  const columns: MemberId[] = [...names.keys()];
  const strangers = new Set<MemberId>();
  for (const item of items) {
    if (item.kind !== 'expense') continue;
    for (const id of Object.keys(item.shares)) if (!names.has(id)) strangers.add(id);
  }
  columns.push(...[...strangers].sort());

  // Everything that repeats across rows is formatted once: names, type words, empty share cells.
  const cellNames = new Map<MemberId, string>();
  const cellName = (id: MemberId): string => {
    let cell = cellNames.get(id);
    if (cell === undefined) {
      cell = textCell(nameOf(names, id));
      cellNames.set(id, cell);
    }
    return cell;
  };
  const ctx: RowContext = {
    columns,
    names,
    cellName,
    expense: textCell(o.labels.expense),
    payment: textCell(o.labels.payment),
    redEnvelope: textCell(o.labels.redEnvelope),
    noShares: ','.repeat(columns.length),
  };

  const lines: string[] = new Array(items.length + 1);
  lines[0] = csvLine(
    groupStatementHeader(
      o.labels,
      columns.map((id) => nameOf(names, id)),
    ),
  );
  for (let r = 0; r < items.length; r++) {
    const item = items[r]!;
    lines[r + 1] =
      item.kind === 'expense'
        ? expenseLine(item, ctx)
        : item.kind === 'payment'
          ? paymentLine(item, ctx)
          : redEnvelopeLine(item, ctx);
  }
  return csvDocument(lines, o.bom);
}

/** Columns before the share columns (Date … Paid by), and after them (From, To, Note, Entry id). */
const HEAD = 7;
const TAIL = 4;

interface RowContext {
  readonly columns: readonly MemberId[];
  readonly names: ReadonlyMap<MemberId, string>;
  readonly cellName: (id: MemberId) => string;
  readonly expense: string;
  readonly payment: string;
  readonly redEnvelope: string;
  /** Paid by and share cells of a payment row, all empty, pre-joined. */
  readonly noShares: string;
}

// Rows are arrays of finished cells joined once (cheaper than string concatenation, which leaves
// V8 a rope per row to flatten). Dates, codes, amounts and ids never need quoting.
function expenseLine(item: ExpenseItem, ctx: RowContext): string {
  const { data, currency } = item;
  const n = ctx.columns.length;
  const cells: string[] = new Array(HEAD + n + TAIL);
  cells[0] = item.date;
  cells[1] = ctx.expense;
  cells[2] = textCell(data.description);
  cells[3] = textCell(data.category);
  cells[4] = currency;
  cells[5] = toDecimalString(item.amount, currency);
  cells[6] = paidByCell(data.payers, ctx, currency);
  // Equal splits repeat the same share across a row: format each distinct value once.
  let lastShare: number | undefined;
  let lastCell = '';
  for (let c = 0; c < n; c++) {
    const share = item.shares[ctx.columns[c]!];
    if (share !== undefined && share !== lastShare) {
      lastShare = share;
      lastCell = toDecimalString(share, currency);
    }
    cells[HEAD + c] = share === undefined ? '' : lastCell;
  }
  cells[HEAD + n] = '';
  cells[HEAD + n + 1] = '';
  cells[HEAD + n + 2] = textCell(data.note ?? '');
  cells[HEAD + n + 3] = item.id;
  return csvLine(cells);
}

function paymentLine(item: PaymentItem, ctx: RowContext): string {
  const { payment } = item;
  const from = nameOf(ctx.names, payment.from);
  const to = nameOf(ctx.names, payment.to);
  return csvLine([
    item.date,
    ctx.payment,
    textCell(`${from} → ${to}`),
    '',
    item.currency,
    toDecimalString(item.amount, item.currency),
    ctx.noShares,
    ctx.cellName(payment.from),
    ctx.cellName(payment.to),
    textCell(payment.note ?? ''),
    item.id,
  ]);
}

/** One claim: From is the sender, To the opener, who is owed the share (docs/csv.md). */
function redEnvelopeLine(item: RedEnvelopeItem, ctx: RowContext): string {
  const { envelope, claim } = item;
  return csvLine([
    item.date,
    ctx.redEnvelope,
    textCell(envelope.note ?? ''),
    '',
    item.currency,
    toDecimalString(item.amount, item.currency),
    ctx.noShares,
    ctx.cellName(envelope.author),
    ctx.cellName(claim.member),
    textCell(envelope.note ?? ''),
    item.id,
  ]);
}

/** "Ann" for a single payer; "Ann 10.00; Bo 5.00" when several paid (in the order entered). */
function paidByCell(payers: readonly Payer[], ctx: RowContext, currency: string): string {
  if (payers.length === 1) return ctx.cellName(payers[0]!.member);
  return textCell(
    payers.map((p) => `${nameOf(ctx.names, p.member)} ${toDecimalString(p.amount, currency)}`).join('; '),
  );
}
