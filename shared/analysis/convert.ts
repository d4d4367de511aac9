/**
 * A spending report in one currency of the user's choice, with the rates a group recorded
 * (shared/settle/convert.ts findRate: the latest recorded for the pair, either direction).
 *
 * Rounding rule (exact BigInt rationals until the last step):
 * - each currency's total is converted and rounded half up to the target's minor unit;
 * - the categories and each member's paid and share are then allocated to sum to exactly that
 *   rounded total: every part gets the floor of its exact value, and the units still missing go
 *   to the largest fractional parts (ties: the earlier part);
 * - each category's months are allocated the same way to sum to the category's converted amount,
 *   and a month's converted total is the sum of its converted cells (combineSpending derives it),
 *   so the category × month table, the categories and the months all add up to the total;
 * - several currencies converted into one are then added: the converted total is the sum of the
 *   converted totals, and every breakdown still sums to it.
 */
import { err, ok, type Result } from '../errors';
import type { RateState } from '../ledger/types';
import { getCurrency, isCurrency } from '../money/currencies';
import type { CurrencyCode, MemberId, Minor } from '../money/types';
import { findRate } from '../settle/convert';
import { type CurrencySpending, combineSpending, type MemberSpending, type SpendingReport } from './spending';

export type SpendingConvertErrorCode = 'missing_rate' | 'unknown_currency' | 'out_of_range';

interface Factor {
  readonly num: bigint;
  readonly den: bigint;
}

const toSafe = (v: bigint): Minor | undefined => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
};

/** Exact x·num/den rounded half up (x ≥ 0, as spending is). */
const roundHalfUp = (x: bigint, f: Factor): bigint => (2n * x * f.num + f.den) / (2n * f.den);

/**
 * Converts `parts` (each ≥ 0) by `f` so they sum to `total` exactly: floors, then the missing
 * units to the largest remainders (ties: earlier index).
 */
export function allocateConverted(parts: readonly Minor[], f: Factor, total: bigint): bigint[] {
  const exact = parts.map((p) => BigInt(p) * f.num);
  const floors = exact.map((x) => x / f.den);
  const rem = exact.map((x, i) => x - floors[i]! * f.den);
  let missing = total - floors.reduce((s, v) => s + v, 0n);
  const order = parts
    .map((_, i) => i)
    .sort((i, j) => (rem[j]! > rem[i]! ? 1 : rem[j]! < rem[i]! ? -1 : i - j));
  for (let k = 0; missing > 0n && k < order.length; k++, missing--) floors[order[k]!]! += 1n;
  return floors;
}

class OutOfRange extends Error {}

function convertOne(c: CurrencySpending, target: CurrencyCode, f: Factor): CurrencySpending {
  const safe = (v: bigint): Minor => {
    const n = toSafe(v);
    if (n === undefined) throw new OutOfRange();
    return n;
  };
  const total = roundHalfUp(BigInt(c.total), f);
  const mapOf = (m: ReadonlyMap<string, Minor>, sum: bigint): Map<string, Minor> => {
    const keys = [...m.keys()];
    const values = allocateConverted([...m.values()], f, sum);
    return new Map(keys.map((k, i) => [k, safe(values[i]!)]));
  };
  const byCategory = mapOf(c.byCategory, total);
  const byCategoryMonth = new Map<string, ReadonlyMap<string, Minor>>();
  for (const [cat, months] of c.byCategoryMonth) {
    byCategoryMonth.set(cat, mapOf(months, BigInt(byCategory.get(cat) ?? 0)));
  }
  const ids = [...c.byMember.keys()];
  const paid = allocateConverted(
    ids.map((id) => c.byMember.get(id)!.paid),
    f,
    total,
  );
  const share = allocateConverted(
    ids.map((id) => c.byMember.get(id)!.share),
    f,
    total,
  );
  const byMember = new Map<MemberId, MemberSpending>(
    ids.map((id, i) => [id, { paid: safe(paid[i]!), share: safe(share[i]!) }]),
  );
  return {
    currency: target,
    count: c.count,
    total: safe(total),
    byCategory,
    byMonth: mapOf(c.byMonth, total),
    byCategoryMonth,
    byMember,
  };
}

/**
 * `report` in `target` with `rates` (one group's recorded rates). Errors: `missing_rate` (names
 * the pair), `unknown_currency`, `out_of_range` (a converted figure is not a safe integer).
 */
export function convertSpending(
  report: SpendingReport,
  target: CurrencyCode,
  rates: readonly RateState[],
): Result<CurrencySpending | undefined, SpendingConvertErrorCode> {
  if (!isCurrency(target))
    return err('unknown_currency', `“${target}” is not a currency code we know.`, { target });
  const scaleT = 10n ** BigInt(getCurrency(target).exponent);
  const converted: SpendingReport[] = [];
  for (const [code, c] of report) {
    if (!isCurrency(code))
      return err('unknown_currency', `“${code}” is not a currency code we know.`, { code });
    const rate = findRate(rates, code, target);
    if (!rate) {
      return err('missing_rate', `There is no exchange rate between ${code} and ${target} yet.`, {
        from: code,
        to: target,
      });
    }
    const f = { num: rate.num * scaleT, den: rate.den * 10n ** BigInt(getCurrency(code).exponent) };
    try {
      converted.push(new Map([[target, convertOne(c, target, f)]]));
    } catch (e) {
      if (e instanceof OutOfRange)
        return err('out_of_range', `A converted amount is too large to represent in ${target}.`, {
          from: code,
        });
      throw e;
    }
  }
  try {
    return ok(combineSpending(converted).get(target));
  } catch {
    return err('out_of_range', `A converted amount is too large to represent in ${target}.`, { target });
  }
}

/**
 * Several groups' reports in one currency, each converted with its own group's rates and then
 * added. Errors as convertSpending, with the group's id in the details.
 */
export function convertAcrossGroups(
  groups: readonly {
    readonly groupId: string;
    readonly report: SpendingReport;
    readonly rates: readonly RateState[];
  }[],
  target: CurrencyCode,
): Result<CurrencySpending | undefined, SpendingConvertErrorCode> {
  const parts: SpendingReport[] = [];
  for (const g of groups) {
    const r = convertSpending(g.report, target, g.rates);
    if (!r.ok) return err(r.error.code, r.error.message, { ...r.error.details, groupId: g.groupId });
    if (r.value) parts.push(new Map([[target, r.value]]));
  }
  try {
    return ok(combineSpending(parts).get(target));
  } catch {
    return err('out_of_range', `A converted amount is too large to represent in ${target}.`, { target });
  }
}
