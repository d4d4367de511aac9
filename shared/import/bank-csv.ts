/**
 * One's own bank statement as CSV: rows become draft expenses the user picks from. Banks all
 * lay their files out differently, so the columns are mapped by the user (a first guess comes
 * from common titles) and the mapping is remembered per bank, keyed by the hash of the header
 * row (`headerKey`). Nothing here leaves the device. docs/import.md, "Bank statements".
 */
import { z } from 'zod';
import { sha256Hex } from '../crypto/hash';
import { err, ok, type Result } from '../errors';
import type { EventOf } from '../ledger/events';
import { isCurrency } from '../money/currencies';
import type { CurrencyCode, MemberId, Minor } from '../money/types';
import { csvRecords } from './csvRecords';
import { canonicalJson, ContentHasher, type ImportFileErrorCode, type RowError, rowError } from './plan';
import { clip, DATE_FORMATS, type DateFormat, readDate, readDecimal } from './read';

export const bankMappingSchema = z
  .object({
    /** Column indexes (0-based) in the header row. */
    date: z.number().int().min(0),
    description: z.number().int().min(0),
    amount: z.number().int().min(0),
    /** A column with the currency code; without one every row is in `currency`. */
    currencyColumn: z.number().int().min(0).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    dateFormat: z.enum(DATE_FORMATS as [DateFormat, ...DateFormat[]]),
    decimal: z.enum(['.', ',']),
    /** Most banks write money going out as negative; some write it positive. */
    spending: z.enum(['negative', 'positive']),
  })
  .strict();

export type BankMapping = z.infer<typeof bankMappingSchema>;

export interface BankFile {
  readonly header: readonly string[];
  /** Identifies the bank's layout: SHA-256 of the header's titles. */
  readonly headerKey: string;
  readonly rows: readonly { readonly record: number; readonly cells: readonly string[] }[];
}

export interface BankDraft {
  readonly importId: string;
  readonly row: number;
  readonly date: string;
  readonly description: string;
  /** What was spent, positive, in minor units. */
  readonly amount: Minor;
  readonly currency: CurrencyCode;
}

export interface BankDrafts {
  readonly drafts: readonly BankDraft[];
  /** Rows that are money coming in (or zero): not expenses, just counted. */
  readonly incoming: number;
  readonly errors: readonly RowError[];
}

/** The header and rows of a bank CSV (any of , ; tab | as delimiter). */
export function readBankFile(text: string): Result<BankFile, ImportFileErrorCode> {
  const records = csvRecords(text);
  if (!records.ok) return records;
  const [first, ...rows] = records.value;
  const header = first!.cells.map((c) => c.trim());
  if (header.length < 3 || header.every((h) => h === '')) {
    return err('import.bad-header', 'The first line should name the columns (date, description, amount…).');
  }
  return ok({ header, headerKey: headerKey(header), rows });
}

export function headerKey(header: readonly string[]): string {
  return sha256Hex(new TextEncoder().encode(canonicalJson(header.map((h) => h.trim().toLowerCase()))));
}

const GUESS: Readonly<Record<'date' | 'description' | 'amount' | 'currency', RegExp>> = {
  date: /^(date|booking date|transaction date|posted|posting date|value date|buchungstag|datum|日期|交易日期|记账日期)$/i,
  description:
    /^(description|details|payee|memo|narrative|name|merchant|text|verwendungszweck|摘要|交易摘要|对方户名|备注|商户)$/i,
  amount: /^(amount|value|betrag|debit\/credit|transaction amount|金额|交易金额|发生额)$/i,
  currency: /^(currency|ccy|währung|币种|货币)$/i,
};

/** A first mapping from the header's titles; undefined when date, description or amount is not found. */
export function guessBankMapping(header: readonly string[], currency: CurrencyCode): BankMapping | undefined {
  const find = (re: RegExp) => header.findIndex((h) => re.test(h.trim()));
  const date = find(GUESS.date);
  const description = find(GUESS.description);
  const amount = find(GUESS.amount);
  if (date < 0 || description < 0 || amount < 0) return undefined;
  const currencyColumn = find(GUESS.currency);
  return {
    date,
    description,
    amount,
    ...(currencyColumn >= 0 ? { currencyColumn } : {}),
    currency,
    dateFormat: 'YYYY-MM-DD',
    decimal: '.',
    spending: 'negative',
  };
}

/** Draft expenses from a bank file read with `mapping`; unreadable rows are listed with why. */
export function bankDrafts(file: BankFile, mapping: BankMapping): BankDrafts {
  const drafts: BankDraft[] = [];
  const errors: RowError[] = [];
  let incoming = 0;
  const hasher = new ContentHasher('bank-csv');
  const title = (i: number) => file.header[i] ?? `#${i + 1}`;
  for (const { record, cells } of file.rows) {
    const cell = (i: number) => (cells[i] ?? '').trim();
    const needed = Math.max(mapping.date, mapping.description, mapping.amount, mapping.currencyColumn ?? 0);
    if (cells.length <= needed) {
      errors.push(rowError(record, 'row.wrong-width', `the row has only ${cells.length} columns.`));
      continue;
    }
    const date = readDate(cell(mapping.date), mapping.dateFormat);
    if (!date) {
      errors.push(
        rowError(
          record,
          'row.bad-date',
          `“${cell(mapping.date)}” is not a ${mapping.dateFormat} date.`,
          title(mapping.date),
        ),
      );
      continue;
    }
    const currency =
      mapping.currencyColumn === undefined ? mapping.currency : cell(mapping.currencyColumn).toUpperCase();
    if (!isCurrency(currency)) {
      errors.push(
        rowError(
          record,
          'row.bad-currency',
          `“${currency}” is not a currency code.`,
          title(mapping.currencyColumn ?? 0),
        ),
      );
      continue;
    }
    const amount = readDecimal(cell(mapping.amount), currency, mapping.decimal);
    if (!amount.ok) {
      errors.push(rowError(record, 'row.bad-amount', amount.error.message, title(mapping.amount)));
      continue;
    }
    const spent = mapping.spending === 'negative' ? -amount.value : amount.value;
    if (spent <= 0) {
      incoming++;
      continue;
    }
    const description = clip(cell(mapping.description), 200) || '—';
    drafts.push({
      importId: hasher.hash({ date, description, amount: amount.value, currency }),
      row: record,
      date,
      description,
      amount: spent,
      currency,
    });
  }
  return { drafts, incoming, errors };
}

/**
 * The expenses for the drafts the user picked: paid by `payer`, shared equally by `members`,
 * skipping drafts whose importId the group already has.
 */
export function bankDraftEvents(
  drafts: readonly BankDraft[],
  opts: {
    readonly payer: MemberId;
    readonly members: readonly MemberId[];
    readonly category: string;
    readonly existing: ReadonlySet<string>;
  },
): EventOf<'expense.created'>[] {
  return drafts
    .filter((d) => !opts.existing.has(d.importId))
    .map((d) => ({
      type: 'expense.created',
      expense: {
        description: d.description,
        category: opts.category,
        currency: d.currency,
        amount: d.amount,
        date: d.date,
        importId: d.importId,
        payers: [{ member: opts.payer, amount: d.amount }],
        split: { mode: 'equal', members: [...opts.members] },
      },
    }));
}

/** Reads a remembered mapping (from storage a user may have edited): undefined unless well formed. */
export function parseBankMapping(value: unknown): BankMapping | undefined {
  const parsed = bankMappingSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
