/** Options shared by the CSV statements, and their validation. */
import { WalletError } from '../errors';
import { currencySchema, dateSchema } from '../ledger/events';
import type { CurrencyCode } from '../money/types';
import { DEFAULT_STATEMENT_LABELS, type StatementLabels } from './csvLabels';

export type StatementErrorCode =
  | 'statement.bad-option'
  | 'statement.unknown-member'
  | 'statement.empty'
  | 'statement.csv-syntax'
  | 'statement.bad-header'
  | 'statement.bad-row'
  | 'statement.bad-date'
  | 'statement.bad-type'
  | 'statement.bad-currency'
  | 'statement.bad-amount';

export interface StatementOptions {
  /** First date included (YYYY-MM-DD, inclusive). */
  readonly from?: string;
  /** Last date included (YYYY-MM-DD, inclusive). */
  readonly to?: string;
  /** Only rows in this currency. */
  readonly currency?: CurrencyCode;
  /** Start with a UTF-8 byte order mark (default true, for Excel). */
  readonly bom?: boolean;
  /** Translated column titles and type words; missing ones stay English. */
  readonly labels?: Partial<StatementLabels>;
}

export interface ResolvedOptions {
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly currency: CurrencyCode | undefined;
  readonly bom: boolean;
  readonly labels: StatementLabels;
}

/** Checks the options a caller passed; throws WalletError `statement.bad-option` for nonsense. */
export function resolveOptions(opts: StatementOptions = {}): ResolvedOptions {
  const bad = (message: string, details: Record<string, unknown>) =>
    new WalletError<StatementErrorCode>('statement.bad-option', message, details);
  for (const key of ['from', 'to'] as const) {
    const value = opts[key];
    if (value !== undefined && !dateSchema.safeParse(value).success) {
      throw bad(`The “${key}” date must look like 2025-03-14.`, { [key]: value });
    }
  }
  if (opts.from !== undefined && opts.to !== undefined && opts.from > opts.to) {
    throw bad('The start date is after the end date.', { from: opts.from, to: opts.to });
  }
  if (opts.currency !== undefined && !currencySchema.safeParse(opts.currency).success) {
    throw bad('The currency filter must be an ISO 4217 code such as CNY.', { currency: opts.currency });
  }
  const labels = resolveLabels(opts.labels);
  return { from: opts.from, to: opts.to, currency: opts.currency, bom: opts.bom ?? true, labels };
}

/** Fills missing labels with the English defaults; labels must be non-empty and the type words distinct. */
export function resolveLabels(partial: Partial<StatementLabels> = {}): StatementLabels {
  const labels: Record<keyof StatementLabels, unknown> = { ...DEFAULT_STATEMENT_LABELS };
  for (const key of Object.keys(labels) as (keyof StatementLabels)[]) {
    // A label given as undefined keeps its default rather than erasing it; unknown keys are ignored.
    const value = partial[key];
    if (value !== undefined) labels[key] = value;
  }
  for (const [key, value] of Object.entries(labels)) {
    // An empty share prefix is allowed: the column is then just the member's name.
    if (typeof value !== 'string' || (value.trim() === '' && key !== 'sharePrefix')) {
      throw new WalletError<StatementErrorCode>('statement.bad-option', `The label “${key}” must be text.`, {
        label: key,
      });
    }
  }
  if (labels.expense === labels.payment) {
    throw new WalletError<StatementErrorCode>(
      'statement.bad-option',
      'The words for “expense” and “payment” must differ.',
      { expense: labels.expense },
    );
  }
  return labels as unknown as StatementLabels;
}
