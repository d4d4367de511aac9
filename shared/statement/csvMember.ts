/**
 * One member's statement: every expense they paid for or share in and every payment they sent
 * or received, with the effect on their balance and a running balance per currency.
 * Columns and sign conventions: docs/csv.md.
 */
import { WalletError } from '../errors';
import type { GroupState } from '../ledger/types';
import { addMinor, subMinor } from '../money/arith';
import type { CurrencyCode, MemberId, Minor } from '../money/types';
import { toDecimalString } from '../money/format';
import { csvDocument, csvLine, textCell } from './csvCells';
import { statementItems } from './csvItems';
import type { StatementLabels } from './csvLabels';
import { memberNames, nameOf } from './csvMembers';
import { resolveOptions, type StatementErrorCode, type StatementOptions } from './csvOptions';

export function memberStatementHeader(labels: StatementLabels): string[] {
  return [
    labels.date,
    labels.type,
    labels.description,
    labels.category,
    labels.currency,
    labels.amount,
    labels.paidByMember,
    labels.memberShare,
    labels.effect,
    labels.runningBalance,
    labels.entryId,
  ].map(textCell);
}

/**
 * CSV of everything that moved `member`'s balance between `from` and `to` (inclusive).
 * The running balance starts from everything before `from`, so it always shows the real balance.
 * Throws WalletError `statement.unknown-member` or `statement.bad-option`.
 */
export function memberStatementCsv(state: GroupState, member: MemberId, opts: StatementOptions = {}): string {
  const o = resolveOptions(opts);
  if (!state.members.some((m) => m.id === member)) {
    throw new WalletError<StatementErrorCode>(
      'statement.unknown-member',
      'That person is not in this group.',
      {
        member,
      },
    );
  }
  const names = memberNames(state);
  const typeExpense = textCell(o.labels.expense);
  const typePayment = textCell(o.labels.payment);
  const typeEnvelope = textCell(o.labels.redEnvelope);
  const running = new Map<CurrencyCode, Minor>();
  const lines: string[] = [csvLine(memberStatementHeader(o.labels))];

  for (const item of statementItems(state)) {
    // Items are in date order: nothing after `to` can matter.
    if (o.to !== undefined && item.date > o.to) break;
    if (o.currency !== undefined && item.currency !== o.currency) continue;
    const paid = item.paid[member];
    const share = item.shares[member];
    if (paid === undefined && share === undefined) continue;
    const effect = subMinor(paid ?? 0, share ?? 0);
    const balance = addMinor(running.get(item.currency) ?? 0, effect);
    running.set(item.currency, balance);
    if (o.from !== undefined && item.date < o.from) continue;

    const currency = item.currency;
    const type = item.kind === 'expense' ? typeExpense : item.kind === 'payment' ? typePayment : typeEnvelope;
    const description = textCell(
      item.kind === 'expense'
        ? item.data.description
        : item.kind === 'payment'
          ? `${nameOf(names, item.payment.from)} → ${nameOf(names, item.payment.to)}`
          : `${nameOf(names, item.envelope.author)} → ${nameOf(names, item.claim.member)}`,
    );
    const category = item.kind === 'expense' ? textCell(item.data.category) : '';
    const amounts = [item.amount, paid ?? 0, share ?? 0, effect, balance].map((n) =>
      toDecimalString(n, currency),
    );
    lines.push(`${item.date},${type},${description},${category},${currency},${amounts.join(',')},${item.id}`);
  }
  return csvDocument(lines, o.bom);
}
