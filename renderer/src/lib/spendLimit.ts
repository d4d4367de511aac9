/**
 * The per-device spending limit (a setting per currency): recording an expense or a payment above
 * it needs the passcode again; paying a request above it warns first. Pure; the limits live in the
 * preferences (services/prefs.ts), amounts in integer minor units.
 */
import { isCurrency } from '../../../shared/money/currencies';
import { type CurrencyCode, MAX_AMOUNT, type Minor } from '../../../shared/money/types';

/** Currency → the largest amount (minor units) that needs no second check. */
export type SpendLimits = Readonly<Record<CurrencyCode, Minor>>;

/** True when `amount` in `currency` is above this device's limit for it (no limit set: never). */
export function exceedsLimit(limits: SpendLimits, currency: CurrencyCode, amount: Minor): boolean {
  if (!Object.hasOwn(limits, currency)) return false;
  const limit = limits[currency];
  return limit !== undefined && Math.abs(amount) > limit;
}

/** Sets (or with `null`, removes) one currency's limit; a bad value changes nothing. */
export function withLimit(limits: SpendLimits, currency: CurrencyCode, limit: Minor | null): SpendLimits {
  if (!isCurrency(currency)) return limits;
  const next: Record<CurrencyCode, Minor> = { ...limits };
  if (limit === null) delete next[currency];
  else if (isLimit(limit)) next[currency] = limit;
  else return limits;
  return next;
}

function isLimit(v: unknown): v is Minor {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_AMOUNT;
}

/** Reads stored limits, keeping only known currencies with whole, non-negative amounts. */
export function parseLimits(raw: unknown): SpendLimits {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const out: Record<CurrencyCode, Minor> = {};
  for (const [currency, limit] of Object.entries(raw)) {
    if (isCurrency(currency) && isLimit(limit)) out[currency] = limit;
  }
  return out;
}
