/**
 * Splitwise's group export ("Export as spreadsheet"): a CSV with the columns
 * `Date, Description, Category, Cost, Currency`, then one column per person holding the row's
 * net effect on that person (what they paid minus their share; positive = lent). A blank line
 * and a `Total balance` row end the file. Rows in category `Payment` are settle-ups: the positive
 * column paid the negative one. docs/import.md describes how shares are rebuilt from the nets.
 */
import { err, ok } from '../errors';
import { isCurrency } from '../money/currencies';
import { allocateLargestRemainder } from '../money/split';
import type { Minor } from '../money/types';
import { csvRecords } from './csvRecords';
import {
  ContentHasher,
  type ImportPlan,
  type PlanPerson,
  type PlannedItem,
  type PlanResult,
  type RowError,
  rowError,
} from './plan';
import { clip, readDate, readDecimal } from './read';

const FIXED = ['date', 'description', 'category', 'cost', 'currency'] as const;

/** True when the first record looks like a Splitwise export's header. */
export function isSplitwiseHeader(cells: readonly string[]): boolean {
  return (
    cells.length > FIXED.length && FIXED.every((name, i) => (cells[i] ?? '').trim().toLowerCase() === name)
  );
}

export function planSplitwise(text: string): PlanResult {
  const records = csvRecords(text, ',');
  if (!records.ok) return records;
  const [header, ...rows] = records.value;
  const titles = header!.cells.map((c) => c.trim());
  if (!isSplitwiseHeader(titles)) {
    return err(
      'import.bad-header',
      'This is not a Splitwise export: its first line should be “Date,Description,Category,Cost,Currency,” and the names.',
    );
  }
  const names = titles.slice(FIXED.length);
  const twice = names.find((n, i) => n === '' || names.indexOf(n) !== i);
  if (twice !== undefined) {
    return err('import.bad-header', `The column “${twice}” is empty or appears twice.`, { name: twice });
  }
  const people: PlanPerson[] = names.map((name) => ({ key: name, name }));
  const items: PlannedItem[] = [];
  const errors: RowError[] = [];
  const hasher = new ContentHasher('splitwise');
  for (const { record, cells } of rows) {
    const read = readRow(record, cells, names, hasher);
    if (read === 'skip') continue;
    if ('code' in read) errors.push(read);
    else items.push(read);
  }
  const plan: ImportPlan = { format: 'splitwise', people, items, errors };
  return ok(plan);
}

function readRow(
  row: number,
  cells: readonly string[],
  names: readonly string[],
  hasher: ContentHasher,
): PlannedItem | RowError | 'skip' {
  const cell = (i: number) => (cells[i] ?? '').trim();
  // The closing "Total balance" line has no date and no cost.
  if (cell(0) === '' && cell(3) === '') return 'skip';
  if (cells.length !== FIXED.length + names.length) {
    return rowError(
      row,
      'row.wrong-width',
      `expected ${FIXED.length + names.length} columns, found ${cells.length}.`,
    );
  }
  const date = readDate(cell(0));
  if (!date) return rowError(row, 'row.bad-date', `“${cell(0)}” is not a YYYY-MM-DD date.`, 'Date');
  const description = clip(cell(1), 200);
  if (description === '')
    return rowError(row, 'row.missing-field', 'the description is empty.', 'Description');
  const currency = cell(4).toUpperCase();
  if (!isCurrency(currency)) {
    return rowError(row, 'row.bad-currency', `“${cell(4)}” is not a currency code.`, 'Currency');
  }
  const cost = readDecimal(cell(3), currency);
  if (!cost.ok) return rowError(row, 'row.bad-amount', cost.error.message, 'Cost');
  if (cost.value <= 0) return rowError(row, 'row.bad-amount', 'the cost must be positive.', 'Cost');
  const nets: Minor[] = [];
  for (let i = 0; i < names.length; i++) {
    const raw = cell(FIXED.length + i);
    const net = raw === '' ? ({ ok: true, value: 0 } as const) : readDecimal(raw, currency);
    if (!net.ok) return rowError(row, 'row.bad-amount', net.error.message, names[i]);
    nets.push(net.value);
  }
  if (nets.reduce((a, b) => a + b, 0) !== 0) {
    return rowError(row, 'row.bad-split', 'the people’s columns do not add up to zero.');
  }
  const category = cell(2);
  const hash = hasher.hash({ date, description, category, currency, cost: cost.value, nets });
  const lent = nets.flatMap((n, i) => (n > 0 ? [i] : []));
  const owe = nets.flatMap((n, i) => (n < 0 ? [i] : []));
  if (category.toLowerCase() === 'payment') {
    if (lent.length !== 1 || owe.length !== 1 || nets[lent[0]!] !== cost.value) {
      return rowError(row, 'row.bad-payment', 'a payment needs one person who paid the cost to one other.');
    }
    return {
      kind: 'payment',
      importId: hash,
      row,
      date,
      currency,
      amount: cost.value,
      from: names[lent[0]!]!,
      to: names[owe[0]!]!,
    };
  }
  if (lent.length === 0) {
    return rowError(
      row,
      'row.no-effect',
      'nobody owes anybody for this row, so the export does not say who paid.',
    );
  }
  // What the lenders consumed themselves: the cost minus what they lent out.
  const lentTotal = lent.reduce((a, i) => a + nets[i]!, 0);
  const ownShare = cost.value - lentTotal;
  if (ownShare < 0) return rowError(row, 'row.bad-split', 'more was lent than the cost.', 'Cost');
  // With one payer this is exact; with several the export does not say how they shared their
  // own part, so it is split evenly between them (balances are the same either way).
  const own = allocateLargestRemainder(
    ownShare,
    lent.map(() => 1n),
  );
  const amounts: Record<string, Minor> = {};
  const payers = lent.map((i, k) => ({ person: names[i]!, amount: nets[i]! + own[k]! }));
  lent.forEach((i, k) => {
    if (own[k]! > 0) amounts[names[i]!] = own[k]!;
  });
  for (const i of owe) amounts[names[i]!] = -nets[i]!;
  return {
    kind: 'expense',
    importId: hash,
    row,
    date,
    description,
    category,
    currency,
    amount: cost.value,
    payers,
    split: { mode: 'exact', amounts },
  };
}
