/**
 * The group statement: one row per non-deleted expense and payment, with every member's share
 * of each expense in a column of its own. Columns and conventions: docs/csv.md.
 */
import type { GroupState } from '../ledger/types';
import type { MemberId } from '../money/types';
import { toDecimalString } from '../money/format';
import { escapeTextCell, writeCsv } from './csvCells';
import { itemSelected, statementItems } from './csvItems';
import type { StatementLabels } from './csvLabels';
import { memberNames, nameOf } from './csvMembers';
import { resolveOptions, type StatementOptions } from './csvOptions';

/** Columns before the share columns, and after them. */
const HEAD = 7;
const TAIL = 4;

/** Header of a group statement whose share columns are for these member names, in order. */
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
  ].map(escapeTextCell);
}

/**
 * CSV of the group's expenses and payments between `from` and `to` (inclusive), optionally in
 * one currency. Throws WalletError `statement.bad-option` for invalid options.
 */
export function groupStatementCsv(state: GroupState, opts: StatementOptions = {}): string {
  const o = resolveOptions(opts);
  const labels = o.labels;
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
  const columnOf = new Map(columns.map((id, i) => [id, HEAD + i]));
  const width = HEAD + columns.length + TAIL;
  const typeExpense = escapeTextCell(labels.expense);
  const typePayment = escapeTextCell(labels.payment);

  const rows: string[][] = new Array(items.length);
  for (let r = 0; r < items.length; r++) {
    const item = items[r]!;
    const row: string[] = new Array(width).fill('');
    row[0] = item.date;
    row[4] = item.currency;
    row[5] = toDecimalString(item.amount, item.currency);
    row[width - 1] = item.id;
    if (item.kind === 'expense') {
      const { data } = item;
      row[1] = typeExpense;
      row[2] = escapeTextCell(data.description);
      row[3] = escapeTextCell(data.category);
      row[6] = escapeTextCell(paidByText(data.payers, names, item.currency));
      for (const id of Object.keys(item.shares)) {
        row[columnOf.get(id)!] = toDecimalString(item.shares[id]!, item.currency);
      }
      row[width - 2] = escapeTextCell(data.note ?? '');
    } else {
      const { payment } = item;
      const from = nameOf(names, payment.from);
      const to = nameOf(names, payment.to);
      row[1] = typePayment;
      row[2] = escapeTextCell(`${from} → ${to}`);
      row[width - 4] = escapeTextCell(from);
      row[width - 3] = escapeTextCell(to);
      row[width - 2] = escapeTextCell(payment.note ?? '');
    }
    rows[r] = row;
  }
  return writeCsv(
    groupStatementHeader(
      labels,
      columns.map((id) => nameOf(names, id)),
    ),
    rows,
    o.bom,
  );
}

/** "Ann" for a single payer; "Ann 10.00; Bo 5.00" when several paid (in the order entered). */
function paidByText(
  payers: readonly { readonly member: MemberId; readonly amount: number }[],
  names: ReadonlyMap<MemberId, string>,
  currency: string,
): string {
  if (payers.length === 1) return nameOf(names, payers[0]!.member);
  return payers.map((p) => `${nameOf(names, p.member)} ${toDecimalString(p.amount, currency)}`).join('; ');
}
