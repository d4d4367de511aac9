/**
 * Moving in from other apps: Splitwise's CSV, Spliit's JSON, this app's own group statement, and
 * one's own bank CSV as drafts. Each importer makes an import plan (plan.ts); resolve.ts turns a
 * plan and the user's choices into wallet events. docs/import.md.
 */
import { err } from '../errors';
import type { CurrencyCode } from '../money/types';
import type { StatementLabels } from '../statement/csvLabels';
import { csvRecords } from './csvRecords';
import type { ImportFormat, PlanResult } from './plan';
import { planSpliit } from './spliit';
import { isSplitwiseHeader, planSplitwise } from './splitwise';
import { planTallyCsv, statementLabelsOf } from './tally-csv';

export * from './bank-csv';
export { suggestCategory } from './categories';
export * from './plan';
export { decodeImportFile } from './read';
export * from './resolve';
export { planSpliit } from './spliit';
export { planSplitwise } from './splitwise';
export { planTallyCsv } from './tally-csv';

export interface PlanOptions {
  /** For a Spliit export without a currency code. */
  readonly fallbackCurrency?: CurrencyCode;
  /** Column titles a Tally statement may have been written with (the UI's translations). */
  readonly labelSets?: readonly Partial<StatementLabels>[];
}

/** Which importer reads this text: JSON is Spliit's, a CSV by its header; undefined if none. */
export function detectFormat(
  text: string,
  labelSets: readonly Partial<StatementLabels>[] = [],
): ImportFormat | undefined {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (/^\s*[{[]/.test(body)) return 'spliit';
  const records = csvRecords(body, ',');
  if (!records.ok) return undefined;
  const header = records.value[0]!.cells.map((c) => c.trim());
  if (isSplitwiseHeader(header)) return 'splitwise';
  if (statementLabelsOf(records.value[0]!.cells, labelSets)) return 'tally-csv';
  return undefined;
}

/** Plans an import of `text` in whatever supported format it is. */
export function planImport(text: string, opts: PlanOptions = {}): PlanResult {
  const format = detectFormat(text, opts.labelSets);
  switch (format) {
    case 'spliit':
      return planSpliit(text, opts);
    case 'splitwise':
      return planSplitwise(text);
    case 'tally-csv':
      return planTallyCsv(text, opts);
    default:
      if (text.replace('\uFEFF', '').trim() === '') return err('import.empty', 'The file is empty.');
      return err(
        'import.unknown-format',
        'This file is not a Splitwise export, a Spliit export or a Tally statement. For a bank statement, use “Bank statement”.',
      );
  }
}
