/**
 * Optional conversion of multi-currency balances into one currency, with the rates the group
 * recorded (no live rates: the app works offline).
 *
 * Decisions:
 * - The rate for a pair is the latest recorded for it in either direction (highest lamport; on a
 *   tie, the later in the state's total order); a rate recorded the other way round is inverted.
 * - Arithmetic is exact (BigInt rationals). Each member's converted balance is rounded to the target
 *   currency's minor unit by largest remainder: everyone gets the floor, and the units still missing
 *   for a zero sum go to the largest fractional parts (ties: smaller member id). The converted
 *   balances therefore still sum to exactly zero.
 */
import { err, ok, type Result } from '../errors';
import type { RateState } from '../ledger/types';
import { isCurrency, getCurrency } from '../money/currencies';
import type { CurrencyCode, MemberId, Minor } from '../money/types';
import type { Balances } from './balances';

export type ConvertErrorCode = 'missing_rate' | 'unknown_currency' | 'unbalanced' | 'out_of_range';

/** 1 major unit of `from` = num/den major units of `to`. */
export interface ExactRate {
  readonly num: bigint;
  readonly den: bigint;
}

/** The group's current rate from one currency to another, or undefined when none was recorded. */
export function findRate(
  rates: readonly RateState[],
  from: CurrencyCode,
  to: CurrencyCode,
): ExactRate | undefined {
  if (from === to) return { num: 1n, den: 1n };
  let best: RateState | undefined;
  for (const r of rates) {
    const direct = r.from === from && r.to === to;
    if (!direct && !(r.from === to && r.to === from)) continue;
    if (!best || r.lamport >= best.lamport) best = r;
  }
  if (!best) return undefined;
  const num = BigInt(best.rate.num);
  const den = BigInt(best.rate.den);
  return best.from === from ? { num, den } : { num: den, den: num };
}

const floorDiv = (n: bigint, d: bigint): bigint => (n >= 0n ? n / d : -((-n + d - 1n) / d));

/**
 * Every member's balance across all currencies, in minor units of `target`, summing to zero.
 * Errors: `missing_rate` (names the pair), `unknown_currency`, `unbalanced` (a currency's balances
 * do not sum to zero), `out_of_range` (a converted balance is not a safe integer).
 */
export function convertBalances(
  balances: Balances,
  target: CurrencyCode,
  rates: readonly RateState[],
): Result<ReadonlyMap<MemberId, Minor>, ConvertErrorCode> {
  if (!isCurrency(target))
    return err('unknown_currency', `“${target}” is not a currency code we know.`, { target });
  const targetScale = 10n ** BigInt(getCurrency(target).exponent);

  // Exact value of each member = Σ over currencies of amount · num·10^eT / (den·10^eF), kept as
  // numerator over the common denominator `den`.
  const numerators = new Map<MemberId, bigint>();
  let den = 1n;
  for (const [code, perMember] of balances) {
    if (!isCurrency(code))
      return err('unknown_currency', `“${code}” is not a currency code we know.`, { code });
    const rate = findRate(rates, code, target);
    if (!rate) {
      return err('missing_rate', `There is no exchange rate between ${code} and ${target} yet.`, {
        from: code,
        to: target,
      });
    }
    const factorNum = rate.num * targetScale;
    const factorDen = rate.den * 10n ** BigInt(getCurrency(code).exponent);
    let sum = 0n;
    for (const [id, amount] of numerators) numerators.set(id, amount * factorDen);
    for (const [id, amount] of perMember) {
      sum += BigInt(amount);
      numerators.set(id, (numerators.get(id) ?? 0n) + BigInt(amount) * factorNum * den);
    }
    if (sum !== 0n) return err('unbalanced', `The ${code} balances do not add up to zero.`, { code });
    den *= factorDen;
  }

  const ids = [...numerators.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const floors = ids.map((id) => floorDiv(numerators.get(id)!, den));
  const remainders = ids.map((id, i) => numerators.get(id)! - floors[i]! * den);
  let missing = -floors.reduce((s, v) => s + v, 0n);
  // Largest remainder first; ids are sorted, so equal remainders go to the smaller id.
  const order = ids
    .map((_, i) => i)
    .sort((i, j) => (remainders[j]! > remainders[i]! ? 1 : remainders[j]! < remainders[i]! ? -1 : i - j));
  for (const i of order) {
    if (missing === 0n) break;
    floors[i]! += 1n;
    missing -= 1n;
  }

  const out = new Map<MemberId, Minor>();
  for (let i = 0; i < ids.length; i++) {
    const v = Number(floors[i]!);
    if (!Number.isSafeInteger(v)) {
      return err('out_of_range', `A converted balance is too large to represent in ${target}.`, {
        member: ids[i],
      });
    }
    out.set(ids[i]!, v === 0 ? 0 : v);
  }
  return ok(out);
}
