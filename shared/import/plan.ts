/**
 * The import plan: what reading another app's export (or our own CSV) yields before anything is
 * written. Every importer (splitwise.ts, spliit.ts, tally-csv.ts) turns a file into one of these;
 * resolve.ts turns a plan plus the user's choices into ordinary wallet events. docs/import.md.
 *
 * People in a plan are the file's people (a Splitwise column, a Spliit participant, a statement
 * share column), named by a `key` that is only meaningful inside the plan; the user maps each to
 * a member of the group or to a new member.
 */
import { sha256Hex } from '../crypto/hash';
import type { Result } from '../errors';
import type { CurrencyCode, Minor } from '../money/types';

export type ImportFormat = 'splitwise' | 'spliit' | 'tally-csv';

/** Why a whole file cannot be read (nothing is planned then). */
export type ImportFileErrorCode =
  | 'import.empty'
  | 'import.encoding'
  | 'import.csv-syntax'
  | 'import.bad-header'
  | 'import.bad-json'
  | 'import.unknown-format';

/** Why one row of a readable file cannot be imported (the other rows still can). */
export type ImportRowErrorCode =
  | 'row.bad-date'
  | 'row.bad-amount'
  | 'row.bad-currency'
  | 'row.bad-split'
  | 'row.bad-payment'
  | 'row.missing-field'
  | 'row.unknown-person'
  | 'row.no-effect'
  | 'row.wrong-width';

export interface RowError {
  /** Where in the file: the CSV record (1 = header) or the JSON array position (1-based). */
  readonly row: number;
  readonly code: ImportRowErrorCode;
  readonly message: string;
  /** The column title (CSV) or field name (JSON) at fault, when one is. */
  readonly column?: string;
}

export interface PlanPerson {
  /** Identifies the person inside the plan (a participant id, or the column's name). */
  readonly key: string;
  /** The name the file gives them. */
  readonly name: string;
}

/** A split keyed by person key, in the same modes as the ledger's SplitSpec. */
export type PersonSplit =
  | { readonly mode: 'equal'; readonly members: readonly string[] }
  | { readonly mode: 'exact'; readonly amounts: Readonly<Record<string, Minor>> }
  | { readonly mode: 'percent'; readonly basisPoints: Readonly<Record<string, number>> }
  | { readonly mode: 'shares'; readonly weights: Readonly<Record<string, number>> };

export interface PlannedExpense {
  readonly kind: 'expense';
  /** Content hash (64 hex): stored in the written entry, so the same row is never imported twice. */
  readonly importId: string;
  /** A Tally statement row's entry id: the item is already in a group that holds that entry. */
  readonly sourceEntryId?: string;
  readonly row: number;
  readonly date: string;
  readonly description: string;
  /** The category as the file names it; resolve.ts maps it to one of the group's. */
  readonly category: string;
  readonly currency: CurrencyCode;
  readonly amount: Minor;
  readonly note?: string;
  readonly payers: readonly { readonly person: string; readonly amount: Minor }[];
  readonly split: PersonSplit;
}

export interface PlannedPayment {
  readonly kind: 'payment';
  readonly importId: string;
  readonly sourceEntryId?: string;
  readonly row: number;
  readonly date: string;
  readonly currency: CurrencyCode;
  readonly amount: Minor;
  readonly from: string;
  readonly to: string;
  readonly note?: string;
}

export type PlannedItem = PlannedExpense | PlannedPayment;

export interface ImportPlan {
  readonly format: ImportFormat;
  /** Everyone the file names, in the file's order. */
  readonly people: readonly PlanPerson[];
  /** Items to create, in file order. */
  readonly items: readonly PlannedItem[];
  /** Rows that cannot be imported, with why, in file order. */
  readonly errors: readonly RowError[];
  /** The file's group currency, when it says (Spliit does). */
  readonly groupCurrency?: CurrencyCode;
}

export type PlanResult = Result<ImportPlan, ImportFileErrorCode>;

export function rowError(row: number, code: ImportRowErrorCode, message: string, column?: string): RowError {
  return column === undefined ? { row, code, message } : { row, code, message, column };
}

/** Counts per currency and per category over a plan's items, for the preview. */
export function planSummary(plan: ImportPlan): {
  readonly currencies: readonly { readonly code: CurrencyCode; readonly count: number }[];
  readonly categories: readonly { readonly name: string; readonly count: number }[];
  readonly expenses: number;
  readonly payments: number;
} {
  const currencies = new Map<string, number>();
  const categories = new Map<string, number>();
  let expenses = 0;
  for (const item of plan.items) {
    currencies.set(item.currency, (currencies.get(item.currency) ?? 0) + 1);
    if (item.kind === 'expense') {
      expenses++;
      categories.set(item.category, (categories.get(item.category) ?? 0) + 1);
    }
  }
  const list = (m: Map<string, number>) => [...m].map(([k, count]) => ({ k, count }));
  return {
    currencies: list(currencies).map(({ k, count }) => ({ code: k, count })),
    categories: list(categories).map(({ k, count }) => ({ name: k, count })),
    expenses,
    payments: plan.items.length - expenses,
  };
}

// ------------------------------------------------------------------ content hashes

const encoder = new TextEncoder();

/**
 * Gives each item of one file its content hash. Two rows with identical content (two coffees on
 * the same day) are different items, so the n-th copy hashes its content together with n: the
 * same file always yields the same set of hashes, and a later export that repeats earlier rows
 * (Splitwise exports the whole history) yields the same hashes for them.
 */
export class ContentHasher {
  readonly #seen = new Map<string, number>();

  constructor(private readonly format: ImportFormat | 'bank-csv') {}

  hash(content: unknown): string {
    const canonical = canonicalJson([this.format, content]);
    const n = this.#seen.get(canonical) ?? 0;
    this.#seen.set(canonical, n + 1);
    return sha256Hex(encoder.encode(`${canonical}#${n}`));
  }
}

/** JSON with object keys sorted at every level, so equal content always has equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
