import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RateState } from '../ledger/types';
import type { MemberId } from '../money/types';
import type { Balances } from './balances';
import { convertBalances, findRate } from './convert';

const id = (i: number): MemberId => i.toString(16).padStart(64, '0');
const [A, B, C] = [id(1), id(2), id(3)];

let lamport = 0;
const rate = (from: string, to: string, num: string, den: string, at = ++lamport): RateState => ({
  id: id(1000 + at),
  from,
  to,
  rate: { num, den },
  date: '2025-03-01',
  lamport: at,
});

const balances = (perCurrency: Record<string, Record<MemberId, number>>): Balances =>
  new Map(Object.entries(perCurrency).map(([code, m]) => [code, new Map(Object.entries(m))]));

describe('findRate', () => {
  it('uses the latest rate for the pair in either direction, inverting when needed', () => {
    const old = rate('EUR', 'CNY', '780', '100', 1);
    const inverse = rate('CNY', 'EUR', '10', '79', 5);
    const stale = rate('EUR', 'CNY', '700', '100', 3);
    expect(findRate([old], 'EUR', 'CNY')).toEqual({ num: 780n, den: 100n });
    expect(findRate([old], 'CNY', 'EUR')).toEqual({ num: 100n, den: 780n });
    expect(findRate([old, inverse, stale], 'EUR', 'CNY')).toEqual({ num: 79n, den: 10n });
    expect(findRate([old], 'EUR', 'USD')).toBeUndefined();
    expect(findRate([], 'JPY', 'JPY')).toEqual({ num: 1n, den: 1n });
  });
});

describe('convertBalances', () => {
  it('converts exactly across currencies with different minor units', () => {
    const b = balances({
      CNY: { [A]: 1000, [B]: -1000, [C]: 0 },
      EUR: { [A]: -250, [B]: 0, [C]: 250 }, // €2.50
      JPY: { [A]: 100, [B]: -100 }, // ¥100
    });
    const rates = [rate('EUR', 'CNY', '78', '10'), rate('CNY', 'JPY', '20', '1')];
    const r = convertBalances(b, 'CNY', rates);
    // €2.50 = ¥19.50 CNY = 1950 fen; JP¥100 = CN¥5.00 = 500 fen.
    expect(r).toEqual({
      ok: true,
      value: new Map([
        [A, 1000 - 1950 + 500],
        [B, -1000 - 500],
        [C, 1950],
      ]),
    });
  });

  it('rounds by largest remainder so the result still sums to zero', () => {
    const b = balances({ EUR: { [A]: 1, [B]: 1, [C]: -2 } });
    // 1 cent = 1/3 fen each, −2 cents = −2/3 fen: floors 0, 0, −1; the missing fen goes to the
    // smallest id among the equal remainders (1/3 each).
    const r = convertBalances(b, 'CNY', [rate('EUR', 'CNY', '1', '3')]);
    expect(r.ok && [...r.value]).toEqual([
      [A, 1],
      [B, 0],
      [C, -1],
    ]);
  });

  it('reports a missing rate, an unknown currency, or balances that do not sum to zero', () => {
    const b = balances({ CNY: { [A]: 5, [B]: -5 }, USD: { [A]: 1, [B]: -1 } });
    const missing = convertBalances(b, 'CNY', []);
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error.code).toBe('missing_rate');
      expect(missing.error.details).toEqual({ from: 'USD', to: 'CNY' });
    }
    expect(convertBalances(b, 'XXY', [])).toMatchObject({ ok: false, error: { code: 'unknown_currency' } });
    const lopsided = balances({ CNY: { [A]: 5, [B]: -4 } });
    expect(convertBalances(lopsided, 'CNY', [])).toMatchObject({ ok: false, error: { code: 'unbalanced' } });
    const huge = balances({ KWD: { [A]: 1e15, [B]: -1e15 } });
    expect(convertBalances(huge, 'JPY', [rate('KWD', 'JPY', '50000', '1')])).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
  });

  it('property: converted balances sum to zero and stay within one minor unit of the exact value', () => {
    const CODES = ['CNY', 'JPY', 'KWD'] as const; // exponents 2, 0, 3
    const EXP: Record<string, number> = { CNY: 2, JPY: 0, KWD: 3 };
    const perCurrency = fc
      .array(fc.integer({ min: -1e9, max: 1e9 }), { minLength: 1, maxLength: 5 })
      .map((v) => [...v, -v.reduce((s, x) => s + x, 0)]);
    fc.assert(
      fc.property(
        fc.tuple(perCurrency, perCurrency, perCurrency),
        fc.tuple(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 })),
        fc.tuple(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 10_000 })),
        (lists, r1, r2) => {
          const b = new Map(CODES.map((code, c) => [code, new Map(lists[c]!.map((v, i) => [id(i + 1), v]))]));
          const rates = [
            rate('JPY', 'CNY', String(r1[0]), String(r1[1])),
            rate('CNY', 'KWD', String(r2[0]), String(r2[1])),
          ];
          const r = convertBalances(b, 'CNY', rates);
          expect(r.ok).toBe(true);
          if (!r.ok) return;
          let sum = 0;
          for (const [member, v] of r.value) {
            sum += v;
            // Exact value in fen × D, as a rational n/d; |v − n/d| < 1.
            let n = 0n;
            let d = 1n;
            for (const code of CODES) {
              const amount = BigInt(b.get(code)!.get(member) ?? 0);
              const [num, den] =
                code === 'CNY'
                  ? [1n, 1n]
                  : code === 'JPY'
                    ? [BigInt(r1[0]), BigInt(r1[1])]
                    : [BigInt(r2[1]), BigInt(r2[0])];
              const fNum = num * 100n;
              const fDen = den * 10n ** BigInt(EXP[code]!);
              n = n * fDen + amount * fNum * d;
              d *= fDen;
            }
            const diff = BigInt(v) * d - n;
            expect(diff < d && -diff < d).toBe(true);
          }
          expect(sum).toBe(0);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
