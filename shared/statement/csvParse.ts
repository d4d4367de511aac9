/**
 * Reading a group statement back (round trips, and the basis of a future importer).
 * Strict: it accepts what groupStatementCsv writes, and reports anything else as a typed error
 * naming the record (1 = header) and column, rather than guessing.
 */
import Papa from 'papaparse';
import { err, isWalletError, ok, type Result } from '../errors';
import { dateSchema } from '../ledger/events';
import { isCurrency } from '../money/currencies';
import { fromDecimalString } from '../money/format';
import type { CurrencyCode, Minor } from '../money/types';
import { UTF8_BOM, unescapeTextCell } from './csvCells';
import type { StatementLabels } from './csvLabels';
import { resolveLabels, type StatementErrorCode } from './csvOptions';

export interface ParsedPayer {
  readonly name: string;
  readonly amount: Minor;
}

export interface ParsedStatementRow {
  readonly date: string;
  /** `red-envelope`: one claim of lucky money; From is the sender, To the opener, who is owed the amount. */
  readonly type: 'expense' | 'payment' | 'red-envelope';
  readonly description: string;
  readonly category: string;
  readonly currency: CurrencyCode;
  readonly amount: Minor;
  /** Expenses: who paid what (sums to amount). Payments: empty. */
  readonly paidBy: readonly ParsedPayer[];
  /** Expenses: share per member name (sums to amount); members with an empty cell are absent. Payments: empty. */
  readonly shares: Readonly<Record<string, Minor>>;
  /** Payments: sender and receiver names. Expenses: "". */
  readonly from: string;
  readonly to: string;
  readonly note: string;
  /** "" when the row has no entry id (e.g. typed in by hand). */
  readonly entryId: string;
}

export interface ParsedStatement {
  /** Member names of the share columns, in column order. */
  readonly members: readonly string[];
  readonly rows: readonly ParsedStatementRow[];
}

type Failure = ReturnType<typeof err<StatementErrorCode>>;

const HEAD = 7;
const TAIL = 4;
const ENTRY_ID = /^[0-9a-f]{64}$/;
const PAYER_PART = /^(.*\S) (-?\d+(?:\.\d+)?)$/;

/** Parses a group statement CSV written with `labels` (English by default). */
export function parseStatementCsv(
  text: string,
  opts: { readonly labels?: Partial<StatementLabels> } = {},
): Result<ParsedStatement, StatementErrorCode> {
  if (typeof text !== 'string' || text.replace(UTF8_BOM, '').trim() === '') {
    return err('statement.empty', 'The file is empty.');
  }
  let labels: StatementLabels;
  try {
    labels = resolveLabels(opts.labels);
  } catch (e) {
    return err(
      'statement.bad-option',
      isWalletError(e) ? e.message : 'The column titles given are not usable.',
    );
  }
  const body = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  const parsed = Papa.parse<string[]>(body, { delimiter: ',', skipEmptyLines: true });
  const syntax = parsed.errors[0];
  if (syntax) {
    const record = (syntax.row ?? 0) + 1;
    return err('statement.csv-syntax', `Record ${record} is not valid CSV: ${syntax.message}.`, {
      record,
      papa: syntax.code,
    });
  }
  const [headerCells, ...records] = parsed.data;
  const header = readHeader(headerCells ?? [], labels);
  if (!header.ok) return header;
  const members = header.value;
  const rows: ParsedStatementRow[] = [];
  for (let i = 0; i < records.length; i++) {
    const row = readRow(records[i]!, i + 2, members, labels);
    if (!row.ok) return row;
    rows.push(row.value);
  }
  return ok({ members, rows });
}

/** The share columns' member names of a header row; used row by row by shared/import/tally-csv.ts. */
export function readHeader(
  cells: readonly string[],
  labels: StatementLabels,
): Result<string[], StatementErrorCode> {
  const titles = cells.map(unescapeTextCell);
  const head = [labels.date, labels.type, labels.description, labels.category, labels.currency];
  head.push(labels.amount, labels.paidBy);
  const tail = [labels.from, labels.to, labels.note, labels.entryId];
  const mismatch = (column: number, expected: string): Failure =>
    err('statement.bad-header', `Column ${column + 1} should be “${expected}”; is this a group statement?`, {
      column: column + 1,
      expected,
      found: titles[column] ?? null,
    });
  if (titles.length < HEAD + TAIL) {
    return err('statement.bad-header', 'The header has too few columns for a group statement.', {
      columns: titles.length,
    });
  }
  for (let c = 0; c < HEAD; c++) if (titles[c] !== head[c]) return mismatch(c, head[c]!);
  const shareEnd = titles.length - TAIL;
  for (let c = shareEnd; c < titles.length; c++) {
    if (titles[c] !== tail[c - shareEnd]) return mismatch(c, tail[c - shareEnd]!);
  }
  const members: string[] = [];
  for (let c = HEAD; c < shareEnd; c++) {
    const title = titles[c]!;
    const name = title.slice(labels.sharePrefix.length);
    if (!title.startsWith(labels.sharePrefix) || name === '')
      return mismatch(c, `${labels.sharePrefix}<name>`);
    if (members.includes(name)) {
      return err('statement.bad-header', `Two share columns are both for “${name}”.`, {
        column: c + 1,
        name,
      });
    }
    members.push(name);
  }
  return ok(members);
}

/** One record of a group statement (`record` numbers it in errors). */
export function readRow(
  cells: readonly string[],
  record: number,
  members: readonly string[],
  labels: StatementLabels,
): Result<ParsedStatementRow, StatementErrorCode> {
  const width = HEAD + members.length + TAIL;
  const fail = (code: StatementErrorCode, message: string, column?: number): Failure =>
    err(code, `Record ${record}: ${message}`, {
      record,
      ...(column === undefined ? {} : { column: column + 1 }),
    });
  if (cells.length !== width) {
    return fail('statement.bad-row', `expected ${width} columns, found ${cells.length}.`);
  }
  const text = (c: number) => unescapeTextCell(cells[c]!);
  const date = cells[0]!;
  if (!dateSchema.safeParse(date).success)
    return fail('statement.bad-date', `“${date}” is not a YYYY-MM-DD date.`, 0);
  const typeWord = text(1);
  const type =
    typeWord === labels.expense
      ? 'expense'
      : typeWord === labels.payment
        ? 'payment'
        : typeWord === labels.redEnvelope
          ? 'red-envelope'
          : undefined;
  if (!type) {
    return fail(
      'statement.bad-type',
      `the type must be “${labels.expense}”, “${labels.payment}” or “${labels.redEnvelope}”.`,
      1,
    );
  }
  const currency = cells[4]!;
  if (!isCurrency(currency))
    return fail('statement.bad-currency', `“${currency}” is not a currency code.`, 4);
  const money = (c: number, cell: string): Result<Minor, StatementErrorCode> => {
    const r = fromDecimalString(cell, currency);
    return r.ok ? r : fail('statement.bad-amount', r.error.message, c);
  };
  const amount = money(5, cells[5]!);
  if (!amount.ok) return amount;
  if (amount.value <= 0) return fail('statement.bad-amount', 'the amount must be positive.', 5);
  const entryId = cells[width - 1]!;
  if (entryId !== '' && !ENTRY_ID.test(entryId)) {
    return fail('statement.bad-row', 'the entry id must be 64 hex characters.', width - 1);
  }
  const from = text(width - 4);
  const to = text(width - 3);
  const base = { date, description: text(2), category: text(3), currency, amount: amount.value };
  const rest = { note: text(width - 2), entryId };

  if (type === 'payment' || type === 'red-envelope') {
    if (from === '' || to === '' || from === to) {
      return fail('statement.bad-row', `a ${typeWord} needs two different people in From and To.`, width - 4);
    }
    for (let c = 6; c < HEAD + members.length; c++) {
      if (cells[c] !== '') return fail('statement.bad-row', `a ${typeWord} has no payers or shares.`, c);
    }
    return ok({ ...base, type, paidBy: [], shares: {}, from, to, ...rest });
  }

  if (from !== '' || to !== '') return fail('statement.bad-row', 'an expense has no From or To.', width - 4);
  const paidBy = readPayers(
    text(6),
    amount.value,
    members,
    (cell) => money(6, cell),
    (message) => fail('statement.bad-row', message, 6),
  );
  if (!paidBy.ok) return paidBy;
  if (sum(paidBy.value.map((p) => p.amount)) !== BigInt(amount.value)) {
    return fail('statement.bad-amount', 'what the payers paid does not add up to the amount.', 6);
  }
  const shares: Record<string, Minor> = {};
  for (let m = 0; m < members.length; m++) {
    const cell = cells[HEAD + m]!;
    if (cell === '') continue;
    const share = money(HEAD + m, cell);
    if (!share.ok) return share;
    shares[members[m]!] = share.value;
  }
  if (sum(Object.values(shares)) !== BigInt(amount.value)) {
    return fail('statement.bad-amount', 'the shares do not add up to the amount.', HEAD);
  }
  return ok({ ...base, type, paidBy: paidBy.value, shares, from, to, ...rest });
}

/** "Ann" (one payer, paid everything) or "Ann 10.00; Bo 5.00". */
function readPayers(
  cell: string,
  amount: Minor,
  members: readonly string[],
  money: (cell: string) => Result<Minor, StatementErrorCode>,
  fail: (message: string) => Failure,
): Result<ParsedPayer[], StatementErrorCode> {
  if (cell === '') return fail('an expense needs someone in “Paid by”.');
  // A member's own name is a single payer even if it happens to contain "; ".
  if (members.includes(cell) || !cell.includes('; ')) return ok([{ name: cell, amount }]);
  const payers: ParsedPayer[] = [];
  for (const part of cell.split('; ')) {
    const m = PAYER_PART.exec(part);
    if (!m) return fail(`“${part}” is not a name followed by an amount.`);
    const value = money(m[2]!);
    if (!value.ok) return value;
    payers.push({ name: m[1]!, amount: value.value });
  }
  return ok(payers);
}

/** Exact sum (bigint), so that huge hostile values cannot round their way to a match. */
function sum(values: readonly Minor[]): bigint {
  let total = 0n;
  for (const v of values) total += BigInt(v);
  return total;
}
