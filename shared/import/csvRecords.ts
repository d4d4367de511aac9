/** CSV text to records with Papa Parse, for every CSV importer: one syntax rule, one error shape. */
import Papa from 'papaparse';
import { err, ok, type Result } from '../errors';
import type { ImportFileErrorCode } from './plan';
import { stripBom } from './read';

/** A non-blank record and its 1-based position in the file (1 = the first record). */
export interface CsvRecord {
  readonly record: number;
  readonly cells: readonly string[];
}

/**
 * Splits CSV text into records, skipping blank lines (their numbers are kept, so errors name
 * the line people see in a spreadsheet). `delimiter` defaults to Papa's guess among , ; tab |.
 */
export function csvRecords(
  text: string,
  delimiter?: string,
): Result<readonly CsvRecord[], ImportFileErrorCode> {
  const body = stripBom(text);
  if (body.trim() === '') return err('import.empty', 'The file is empty.');
  const parsed = Papa.parse<string[]>(body, {
    ...(delimiter ? { delimiter } : { delimitersToGuess: [',', ';', '\t', '|'] }),
    skipEmptyLines: false,
  });
  const syntax = parsed.errors.find((e) => e.type === 'Quotes');
  if (syntax) {
    const record = (syntax.row ?? 0) + 1;
    return err('import.csv-syntax', `Record ${record} is not valid CSV: ${syntax.message}.`, { record });
  }
  const records: CsvRecord[] = [];
  parsed.data.forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    records.push({ record: i + 1, cells });
  });
  if (records.length === 0) return err('import.empty', 'The file is empty.');
  return ok(records);
}
