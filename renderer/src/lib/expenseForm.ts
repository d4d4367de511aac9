/**
 * The expense form as people fill it in (strings, as typed) and its translation into an
 * ExpenseInput. Every problem is reported per field; nothing is half-converted: either the whole
 * form is valid and yields data, or it yields errors only.
 */
import type { ExpenseData, ExpenseInput } from '../../../shared/ledger/events';
import { toDecimalString } from '../../../shared/money/format';
import { parseAmount } from '../../../shared/money/parse';
import { splitAmount, splitPayers } from '../../../shared/money/split';
import type { MemberId, Minor, SplitMode, SplitSpec } from '../../../shared/money/types';

export interface PayerRow {
  readonly member: MemberId;
  /** Ignored when there is a single payer (they paid the total). */
  readonly amount: string;
}

export interface ExpenseForm {
  readonly description: string;
  readonly category: string;
  readonly currency: string;
  readonly amount: string;
  readonly date: string;
  readonly note: string;
  readonly payers: readonly PayerRow[];
  readonly mode: SplitMode;
  /** Who takes part in an equal or adjustment split. */
  readonly participants: readonly MemberId[];
  /** Per-mode values as typed, kept apart so switching modes loses nothing. */
  readonly exact: Readonly<Record<MemberId, string>>;
  readonly percent: Readonly<Record<MemberId, string>>;
  readonly shares: Readonly<Record<MemberId, string>>;
  readonly adjustments: Readonly<Record<MemberId, string>>;
}

/** A problem to show next to a field: an i18n key suffix and its values. */
export interface FieldError {
  readonly code: string;
  readonly values?: Readonly<Record<string, string | number>>;
}

export interface FormErrors {
  description?: FieldError;
  category?: FieldError;
  amount?: FieldError;
  date?: FieldError;
  note?: FieldError;
  payers?: FieldError;
  payerRows?: Record<number, FieldError>;
  split?: FieldError;
  splitRows?: Record<MemberId, FieldError>;
}

export type FormResult =
  | { readonly ok: true; readonly data: ExpenseInput }
  | { readonly ok: false; readonly errors: FormErrors };

export function emptyExpenseForm(
  members: readonly MemberId[],
  me: MemberId,
  currency: string,
  date: string,
): ExpenseForm {
  return {
    description: '',
    category: 'general',
    currency,
    amount: '',
    date,
    note: '',
    payers: [{ member: me, amount: '' }],
    mode: 'equal',
    participants: [...members],
    exact: {},
    percent: {},
    shares: Object.fromEntries(members.map((m) => [m, '1'])),
    adjustments: {},
  };
}

/** Basis points (1250) as a percentage people read ("12.5"). */
export function basisPointsToText(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const frac = String(bp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** "12.5", "12,5", "12.5%" → 1250; at most two decimals, 0..100. */
export function parsePercent(text: string): number | null {
  const m = /^\s*(\d{1,3})(?:[.,](\d{1,2}))?\s*[%％]?\s*$/.exec(text);
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : null;
}

/** Non-negative whole-number weights, up to the schema's limit. */
export function parseWeight(text: string): number | null {
  const m = /^\s*(\d{1,7})\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  return n <= 1_000_000 ? n : null;
}

/** Fills the form from stored data, for editing (amounts in plain decimals, which parse in any UI locale). */
export function expenseFormFrom(data: ExpenseData, members: readonly MemberId[]): ExpenseForm {
  const c = data.currency;
  const base = emptyExpenseForm(members, data.payers[0]!.member, c, data.date);
  const split = data.split;
  const fill = <T>(rec: Readonly<Record<MemberId, T>>, f: (v: T) => string) =>
    Object.fromEntries(Object.entries(rec).map(([m, v]) => [m, f(v)]));
  return {
    ...base,
    description: data.description,
    category: data.category,
    amount: toDecimalString(data.amount, c),
    note: data.note ?? '',
    payers: data.payers.map((p) => ({ member: p.member, amount: toDecimalString(p.amount, c) })),
    mode: split.mode,
    participants:
      split.mode === 'equal' || split.mode === 'adjustment' ? [...split.members] : base.participants,
    exact: split.mode === 'exact' ? fill(split.amounts, (v) => toDecimalString(v, c)) : {},
    percent: split.mode === 'percent' ? fill(split.basisPoints, basisPointsToText) : {},
    shares: split.mode === 'shares' ? fill(split.weights, String) : base.shares,
    adjustments: split.mode === 'adjustment' ? fill(split.adjustments, (v) => toDecimalString(v, c)) : {},
  };
}

function amountError(code: string): FieldError {
  return { code: `amount_${code}` };
}

/** Builds the split spec from the form; per-member parse problems go to `rowErrors`. */
function buildSplit(
  form: ExpenseForm,
  members: readonly MemberId[],
  locale: string,
  rowErrors: Record<MemberId, FieldError>,
): ExpenseInput['split'] {
  const record = (source: Readonly<Record<MemberId, string>>, read: (s: string) => number | FieldError) => {
    const out: Record<MemberId, number> = {};
    for (const m of members) {
      const text = (source[m] ?? '').trim();
      if (text === '') continue;
      const v = read(text);
      if (typeof v === 'number') out[m] = v;
      else rowErrors[m] = v;
    }
    return out;
  };
  const money = (s: string): number | FieldError => {
    const r = parseAmount(s, form.currency, locale);
    return r.ok ? r.value : amountError(r.error.code);
  };
  switch (form.mode) {
    case 'equal':
      return { mode: 'equal', members: members.filter((m) => form.participants.includes(m)) };
    case 'exact':
      return { mode: 'exact', amounts: record(form.exact, money) };
    case 'percent':
      return {
        mode: 'percent',
        basisPoints: record(form.percent, (s) => parsePercent(s) ?? { code: 'percent_invalid' }),
      };
    case 'shares':
      return {
        mode: 'shares',
        weights: record(form.shares, (s) => parseWeight(s) ?? { code: 'weight_invalid' }),
      };
    case 'adjustment':
      return {
        mode: 'adjustment',
        members: members.filter((m) => form.participants.includes(m)),
        adjustments: record(form.adjustments, money),
      };
  }
}

/** Validates the whole form against the group's members and converts it. */
export function readExpenseForm(form: ExpenseForm, members: readonly MemberId[], locale: string): FormResult {
  const errors: FormErrors = {};
  const description = form.description.trim();
  if (!description) errors.description = { code: 'description_required' };
  else if (description.length > 200) errors.description = { code: 'description_too_long' };
  const category = form.category.trim() || 'general';
  if (category.length > 40) errors.category = { code: 'category_too_long' };
  if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(form.date))
    errors.date = { code: 'date_invalid' };
  if (form.note.length > 2000) errors.note = { code: 'note_too_long' };

  let total: Minor | null = null;
  const parsed = parseAmount(form.amount, form.currency, locale);
  if (!parsed.ok) errors.amount = amountError(parsed.error.code);
  else if (parsed.value <= 0) errors.amount = { code: 'amount_not_positive' };
  else total = parsed.value;

  // Payers: a single payer paid it all; several must each say how much.
  const payerRows: Record<number, FieldError> = {};
  const payers: { member: MemberId; amount: Minor }[] = [];
  if (form.payers.length === 0) errors.payers = { code: 'no_payers' };
  else if (form.payers.length === 1) {
    if (total !== null) payers.push({ member: form.payers[0]!.member, amount: total });
  } else {
    form.payers.forEach((p, i) => {
      const r = parseAmount(p.amount, form.currency, locale);
      if (!r.ok) payerRows[i] = amountError(r.error.code);
      else if (r.value <= 0) payerRows[i] = { code: 'amount_not_positive' };
      else payers.push({ member: p.member, amount: r.value });
    });
  }
  if (Object.keys(payerRows).length > 0) errors.payerRows = payerRows;
  if (total !== null && !errors.payers && !errors.payerRows && form.payers.length > 1) {
    const r = splitPayers(total, payers);
    if (!r.ok) {
      const sum = payers.reduce((a, p) => a + p.amount, 0);
      errors.payers = {
        code: r.error.code,
        values: {
          assigned: toDecimalString(sum, form.currency),
          total: toDecimalString(total, form.currency),
        },
      };
    }
  }

  const splitRows: Record<MemberId, FieldError> = {};
  const split = buildSplit(form, members, locale, splitRows);
  if (Object.keys(splitRows).length > 0) errors.splitRows = splitRows;
  else if (total !== null) {
    const r = splitAmount(total, split);
    if (!r.ok)
      errors.split = { code: r.error.code, values: splitMismatchValues(split, total, form.currency) };
  }

  if (Object.keys(errors).length > 0 || total === null) return { ok: false, errors };
  const data: ExpenseInput = {
    description,
    category,
    currency: form.currency,
    amount: total,
    date: form.date,
    payers,
    split,
    ...(form.note.trim() ? { note: form.note.trim() } : {}),
  };
  return { ok: true, data };
}

/** What the split adds up to, so an error can say "¥10.00 of ¥12.00" or "90% of 100%". */
function splitMismatchValues(split: SplitSpec, total: Minor, currency: string): Record<string, string> {
  if (split.mode === 'exact') {
    const sum = Object.values(split.amounts).reduce((a, b) => a + b, 0);
    return { assigned: toDecimalString(sum, currency), total: toDecimalString(total, currency) };
  }
  if (split.mode === 'percent') {
    const sum = Object.values(split.basisPoints).reduce((a, b) => a + b, 0);
    return { assigned: basisPointsToText(sum), total: '100' };
  }
  return {};
}

/** Live preview: each member's share when the form is valid so far, else null. */
export function previewShares(
  form: ExpenseForm,
  members: readonly MemberId[],
  locale: string,
): Readonly<Record<MemberId, Minor>> | null {
  const total = parseAmount(form.amount, form.currency, locale);
  if (!total.ok || total.value <= 0) return null;
  const rowErrors: Record<MemberId, FieldError> = {};
  const split = buildSplit(form, members, locale, rowErrors);
  if (Object.keys(rowErrors).length > 0) return null;
  const r = splitAmount(total.value, split);
  return r.ok ? r.value : null;
}

/** How much of the total the typed amounts or percentages cover so far (exact and percent modes). */
export type SplitProgress =
  | { readonly unit: 'money'; readonly assigned: Minor; readonly left: Minor }
  | { readonly unit: 'percent'; readonly assigned: number; readonly left: number };

/**
 * "Left to assign", live while typing an exact or percent split: rows that do not read yet count
 * as nothing, a negative `left` means over-assigned. Null for the other modes (they always add
 * up) and, in exact mode, while the total does not read.
 */
export function splitProgress(
  form: ExpenseForm,
  members: readonly MemberId[],
  locale: string,
): SplitProgress | null {
  if (form.mode !== 'exact' && form.mode !== 'percent') return null;
  const split = buildSplit(form, members, locale, {});
  if (split.mode === 'percent') {
    const assigned = Object.values(split.basisPoints).reduce((a, b) => a + b, 0);
    return { unit: 'percent', assigned, left: 10_000 - assigned };
  }
  if (split.mode !== 'exact') return null;
  const total = parseAmount(form.amount, form.currency, locale);
  if (!total.ok || total.value <= 0) return null;
  const assigned = Object.values(split.amounts).reduce((a, b) => a + b, 0);
  return { unit: 'money', assigned, left: total.value - assigned };
}
