/**
 * This app's own group statement (docs/csv.md), read row by row: a row the statement reader
 * refuses becomes a row error and the others are still imported. People are the share columns'
 * names plus anyone named only as a payer or in From/To.
 */
import { err, isWalletError, ok } from '../errors';
import type { StatementErrorCode } from '../statement/csvOptions';
import { resolveLabels } from '../statement/csvOptions';
import type { StatementLabels } from '../statement/csvLabels';
import { readHeader, readRow } from '../statement/csvParse';
import { csvRecords } from './csvRecords';
import {
  ContentHasher,
  type ImportPlan,
  type ImportRowErrorCode,
  type PlanPerson,
  type PlannedItem,
  type PlanResult,
  type RowError,
  rowError,
} from './plan';

const ROW_CODES: Readonly<Partial<Record<StatementErrorCode, ImportRowErrorCode>>> = {
  'statement.bad-date': 'row.bad-date',
  'statement.bad-currency': 'row.bad-currency',
  'statement.bad-amount': 'row.bad-amount',
  'statement.bad-type': 'row.missing-field',
  'statement.bad-row': 'row.bad-split',
};

/** The label set (of those given, English always tried first) whose header the file has, if any. */
export function statementLabelsOf(
  header: readonly string[],
  labelSets: readonly Partial<StatementLabels>[] = [],
): StatementLabels | undefined {
  for (const partial of [{}, ...labelSets]) {
    let labels: StatementLabels;
    try {
      labels = resolveLabels(partial);
    } catch (e) {
      if (isWalletError(e)) continue;
      throw e;
    }
    if (readHeader(header, labels).ok) return labels;
  }
  return undefined;
}

/**
 * Plans a group statement. `labelSets` are the column titles it may have been written with
 * (the UI passes its translations); English is always tried.
 */
export function planTallyCsv(
  text: string,
  opts: { readonly labelSets?: readonly Partial<StatementLabels>[] } = {},
): PlanResult {
  const records = csvRecords(text, ',');
  if (!records.ok) return records;
  const [header, ...rows] = records.value;
  const labels = statementLabelsOf(header!.cells, opts.labelSets);
  if (!labels) {
    return err('import.bad-header', 'This is not a Tally group statement (its column titles do not match).');
  }
  const columns = readHeader(header!.cells, labels);
  if (!columns.ok) return err('import.bad-header', columns.error.message);
  const people: PlanPerson[] = columns.value.map((name) => ({ key: name, name }));
  const named = new Set(columns.value);
  const person = (name: string): string => {
    if (!named.has(name)) {
      named.add(name);
      people.push({ key: name, name });
    }
    return name;
  };
  const items: PlannedItem[] = [];
  const errors: RowError[] = [];
  const hasher = new ContentHasher('tally-csv');
  for (const { record, cells } of rows) {
    const read = readRow(cells, record, columns.value, labels);
    if (!read.ok) {
      const column = read.error.details?.column;
      const title = typeof column === 'number' ? header!.cells[column - 1] : undefined;
      errors.push(
        rowError(
          record,
          ROW_CODES[read.error.code] ?? 'row.wrong-width',
          read.error.message.replace(/^Record \d+: /, ''),
          title,
        ),
      );
      continue;
    }
    const r = read.value;
    const content = { ...r, paidBy: r.paidBy.map((p) => [p.name, p.amount]) };
    const importId = hasher.hash(content);
    const note = r.note.trim() === '' ? {} : { note: r.note.slice(0, 2000) };
    const source = r.entryId === '' ? {} : { sourceEntryId: r.entryId };
    if (r.type === 'red-envelope') {
      // A claim of lucky money: the sender owes the opener the share. Imported as what has the
      // same effect on balances, a payment from the opener to the sender (docs/import.md).
      items.push({
        kind: 'payment',
        importId,
        ...source,
        row: record,
        date: r.date,
        currency: r.currency,
        amount: r.amount,
        from: person(r.to),
        to: person(r.from),
        note: (r.note.trim() === '' ? 'Lucky money' : `Lucky money: ${r.note.trim()}`).slice(0, 2000),
      });
      continue;
    }
    if (r.type === 'payment') {
      items.push({
        kind: 'payment',
        importId,
        ...source,
        row: record,
        date: r.date,
        currency: r.currency,
        amount: r.amount,
        from: person(r.from),
        to: person(r.to),
        ...note,
      });
      continue;
    }
    if (r.description.trim() === '') {
      errors.push(rowError(record, 'row.missing-field', 'the description is empty.', labels.description));
      continue;
    }
    items.push({
      kind: 'expense',
      importId,
      ...source,
      row: record,
      date: r.date,
      description: r.description.trim().slice(0, 200),
      category: r.category,
      currency: r.currency,
      amount: r.amount,
      payers: r.paidBy.map((p) => ({ person: person(p.name), amount: p.amount })),
      split: { mode: 'exact', amounts: { ...r.shares } },
      ...note,
    });
  }
  const plan: ImportPlan = { format: 'tally-csv', people, items, errors };
  return ok(plan);
}
