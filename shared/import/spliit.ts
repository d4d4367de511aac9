/**
 * Spliit's JSON export (`/groups/<id>/expenses/export/json`): the group with its `participants`
 * and `expenses`. Amounts are integers in minor units of the group's `currencyCode`; each expense
 * has one payer (`paidById`) and `paidFor` rows whose `shares` mean, by `splitMode`: nothing
 * (EVENLY), weights (BY_SHARES), hundredths of a percent (BY_PERCENTAGE) or minor units
 * (BY_AMOUNT). A reimbursement to one person is a payment. docs/import.md.
 */
import { z } from 'zod';
import { err, ok } from '../errors';
import { isCurrency } from '../money/currencies';
import { allocateLargestRemainder, splitAmount } from '../money/split';
import type { CurrencyCode, Minor, SplitSpec } from '../money/types';
import {
  ContentHasher,
  type ImportPlan,
  type PersonSplit,
  type PlanPerson,
  type PlannedItem,
  type PlanResult,
  type RowError,
  rowError,
} from './plan';
import { clip, readDate } from './read';

const groupSchema = z.looseObject({
  name: z.string().optional(),
  currencyCode: z.string().nullable().optional(),
  participants: z.array(z.looseObject({ id: z.string().min(1), name: z.string() })),
  expenses: z.array(z.unknown()),
});

const expenseSchema = z.looseObject({
  id: z.string().optional(),
  expenseDate: z.string(),
  title: z.string(),
  category: z.looseObject({ grouping: z.string().optional(), name: z.string() }).nullable().optional(),
  amount: z.number().int(),
  paidById: z.string(),
  paidFor: z.array(z.looseObject({ participantId: z.string(), shares: z.number().int().min(0) })).min(1),
  isReimbursement: z.boolean().optional(),
  splitMode: z.enum(['EVENLY', 'BY_SHARES', 'BY_PERCENTAGE', 'BY_AMOUNT']).optional(),
  notes: z.string().nullable().optional(),
});

type SpliitExpense = z.infer<typeof expenseSchema>;

/** True when `value` (parsed JSON) has the shape of a Spliit export. */
export function isSpliitExport(value: unknown): boolean {
  return groupSchema.safeParse(value).success;
}

/**
 * Plans a Spliit export. `fallbackCurrency` is used when the file has no `currencyCode` (groups
 * made before Spliit recorded one keep only a symbol such as "$").
 */
export function planSpliit(
  text: string,
  opts: { readonly fallbackCurrency?: CurrencyCode } = {},
): PlanResult {
  if (text.trim() === '') return err('import.empty', 'The file is empty.');
  let json: unknown;
  try {
    json = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    return err('import.bad-json', 'The file is not valid JSON.');
  }
  const group = groupSchema.safeParse(json);
  if (!group.success) {
    const issue = group.error.issues[0];
    return err(
      'import.bad-json',
      `This is not a Spliit export (${issue?.path.join('.') || 'top level'}: ${issue?.message}).`,
    );
  }
  const code = group.data.currencyCode ?? undefined;
  const currency = code && isCurrency(code) ? code : opts.fallbackCurrency;
  if (!currency || !isCurrency(currency)) {
    return err('import.bad-json', 'The export does not say its currency; choose one and import again.', {
      needsCurrency: true,
    });
  }
  const people: PlanPerson[] = group.data.participants.map((p) => ({
    key: p.id,
    name: p.name.trim() || p.id,
  }));
  const known = new Set(people.map((p) => p.key));
  const items: PlannedItem[] = [];
  const errors: RowError[] = [];
  const hasher = new ContentHasher('spliit');
  group.data.expenses.forEach((raw, i) => {
    const row = i + 1;
    const parsed = expenseSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      errors.push(rowError(row, 'row.missing-field', issue.message, issue.path.join('.') || undefined));
      return;
    }
    const read = readExpense(row, parsed.data, currency, known, hasher);
    if ('code' in read) errors.push(read);
    else items.push(read);
  });
  const plan: ImportPlan = {
    format: 'spliit',
    people,
    items,
    errors,
    ...(code && isCurrency(code) ? { groupCurrency: code } : {}),
  };
  return ok(plan);
}

function readExpense(
  row: number,
  x: SpliitExpense,
  currency: CurrencyCode,
  known: ReadonlySet<string>,
  hasher: ContentHasher,
): PlannedItem | RowError {
  const date = readDate(x.expenseDate);
  if (!date) return rowError(row, 'row.bad-date', `“${x.expenseDate}” is not a date.`, 'expenseDate');
  const description = clip(x.title, 200);
  if (description === '') return rowError(row, 'row.missing-field', 'the title is empty.', 'title');
  if (x.amount === 0 || !Number.isSafeInteger(x.amount)) {
    return rowError(row, 'row.bad-amount', 'the amount is zero or out of range.', 'amount');
  }
  const stranger = [x.paidById, ...x.paidFor.map((p) => p.participantId)].find((id) => !known.has(id));
  if (stranger !== undefined) {
    return rowError(row, 'row.unknown-person', `“${stranger}” is not a participant of the group.`, 'paidFor');
  }
  const ids = x.paidFor.map((p) => p.participantId);
  if (new Set(ids).size !== ids.length) {
    return rowError(row, 'row.bad-split', 'someone is listed twice in “paid for”.', 'paidFor');
  }
  const mode = x.splitMode ?? 'EVENLY';
  const note = x.notes?.trim() ? clip(x.notes, 2000) : undefined;
  const importId = hasher.hash({
    id: x.id,
    date,
    title: x.title,
    amount: x.amount,
    paidById: x.paidById,
    paidFor: [...x.paidFor]
      .sort((a, b) => (a.participantId < b.participantId ? -1 : 1))
      .map((p) => [p.participantId, p.shares]),
    mode,
    reimbursement: x.isReimbursement === true,
    notes: note,
  });
  if (x.isReimbursement && x.amount > 0 && ids.length === 1 && ids[0] !== x.paidById) {
    return {
      kind: 'payment',
      importId,
      row,
      date,
      currency,
      amount: x.amount,
      from: x.paidById,
      to: ids[0]!,
      ...(note ? { note } : {}),
    };
  }
  const magnitude = Math.abs(x.amount);
  const split = splitOf(mode, x.paidFor, magnitude);
  if (!split)
    return rowError(row, 'row.bad-split', 'the shares cannot be worked out (all zero?).', 'paidFor');
  const base = {
    kind: 'expense' as const,
    importId,
    row,
    date,
    description,
    category: x.category?.name ?? 'General',
    currency,
    amount: magnitude,
    ...(note ? { note } : {}),
  };
  if (x.amount > 0) return { ...base, payers: [{ person: x.paidById, amount: magnitude }], split };
  // Income (a negative amount): the payer received money on everyone's behalf. The same balances
  // come from a positive expense the sharers "paid" in their shares, consumed by the receiver.
  const shares = splitAmount(magnitude, split as SplitSpec);
  if (!shares.ok) return rowError(row, 'row.bad-split', shares.error.message, 'paidFor');
  const payers = Object.entries(shares.value)
    .filter(([, v]) => v > 0)
    .map(([person, amount]) => ({ person, amount }));
  return { ...base, payers, split: { mode: 'exact', amounts: { [x.paidById]: magnitude } } };
}

/** The split a Spliit mode means, checked to work out; exact amounts when the stated ones do not fit. */
function splitOf(
  mode: NonNullable<SpliitExpense['splitMode']>,
  paidFor: SpliitExpense['paidFor'],
  amount: Minor,
): PersonSplit | undefined {
  const record = (f: (shares: number) => number) =>
    Object.fromEntries(paidFor.map((p) => [p.participantId, f(p.shares)]));
  const total = paidFor.reduce((a, p) => a + p.shares, 0);
  let split: PersonSplit;
  if (mode === 'EVENLY') split = { mode: 'equal', members: paidFor.map((p) => p.participantId) };
  else if (mode === 'BY_PERCENTAGE' && total === 10_000)
    split = { mode: 'percent', basisPoints: record((s) => s) };
  else if (mode === 'BY_AMOUNT' && total === amount) split = { mode: 'exact', amounts: record((s) => s) };
  else split = { mode: 'shares', weights: record((s) => s) };
  if (splitAmount(amount, split as SplitSpec).ok) return split;
  // Weights beyond what the ledger stores, or percentages that do not add up: Spliit reads them
  // as ratios (src/lib/shares.ts), so do the same, in exact amounts.
  if (total <= 0) return undefined;
  const parts = allocateLargestRemainder(
    amount,
    paidFor.map((p) => BigInt(p.shares)),
  );
  return { mode: 'exact', amounts: Object.fromEntries(paidFor.map((p, i) => [p.participantId, parts[i]!])) };
}
