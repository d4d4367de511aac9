/** Month over month: every month from the first to the last with spending, and its change. */
import type { Minor } from '../money/types';

export interface TrendPoint {
  /** `YYYY-MM` */
  readonly month: string;
  readonly total: Minor;
  /** total − the previous month's total; null for the first month. */
  readonly change: Minor | null;
  /**
   * The change in basis points of the previous month (1% = 100), rounded half away from zero;
   * null for the first month and after a month with nothing spent (no finite ratio).
   */
  readonly changeBasisPoints: number | null;
}

/** The month after `YYYY-MM`. */
export function nextMonth(month: string): string {
  let y = Number(month.slice(0, 4));
  let m = Number(month.slice(5, 7)) + 1;
  if (m > 12) {
    m = 1;
    y++;
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

/** Integer n/d rounded half away from zero (d > 0), exact for any size. */
function roundedRatio(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = neg ? -n : n;
  const q = (2n * a + d) / (2n * d);
  return neg ? -q : q;
}

/**
 * The trend of monthly totals (ascending `YYYY-MM` keys, as in CurrencySpending.byMonth): months
 * with nothing spent between the first and the last are filled in with 0.
 */
export function monthlyTrend(byMonth: ReadonlyMap<string, Minor>): TrendPoint[] {
  const months = [...byMonth.keys()].sort();
  if (months.length === 0) return [];
  const last = months[months.length - 1]!;
  const out: TrendPoint[] = [];
  let prev: Minor | null = null;
  for (let month = months[0]!; ; month = nextMonth(month)) {
    const total = byMonth.get(month) ?? 0;
    const change = prev === null ? null : total - prev;
    const changeBasisPoints =
      prev === null || prev === 0 || change === null
        ? null
        : Number(roundedRatio(BigInt(change) * 10_000n, BigInt(prev)));
    out.push({ month, total, change, changeBasisPoints });
    prev = total;
    if (month >= last) break;
  }
  return out;
}
