/** Property tests: text ↔ minor units round-trips for the locales and exponents we care about. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listCurrencies } from './currencies';
import { formatAmount, fromDecimalString, toDecimalString } from './format';
import { parseAmount } from './parse';
import { MAX_AMOUNT } from './types';

const RUNS = { numRuns: 10_000 };
const amount = fc.oneof(
  fc.integer({ min: -100_000, max: 100_000 }),
  fc.integer({ min: -MAX_AMOUNT, max: MAX_AMOUNT }),
);

describe('round-trips', () => {
  it('parseAmount(formatAmount(x)) = x across locales, exponents 0/2/3 and display styles', () => {
    fc.assert(
      fc.property(
        amount,
        fc.constantFrom('en-US', 'de-DE', 'zh-CN', 'fr-FR', 'ja-JP'),
        fc.constantFrom('JPY', 'KRW', 'CNY', 'USD', 'EUR', 'BHD', 'KWD'),
        fc.constantFrom('symbol', 'narrowSymbol', 'code') as fc.Arbitrary<'symbol' | 'narrowSymbol' | 'code'>,
        fc.boolean(),
        (x, locale, currency, currencyDisplay, useGrouping) => {
          const text = formatAmount(x, currency, locale, { currencyDisplay, useGrouping });
          const r = parseAmount(text, currency, locale);
          expect(r.ok ? r.value : `${r.error.code} for ${JSON.stringify(text)}`).toBe(x);
        },
      ),
      RUNS,
    );
  });

  it('fromDecimalString(toDecimalString(x)) = x for every currency; parseAmount reads it too (en-US)', () => {
    fc.assert(
      fc.property(amount, fc.constantFrom(...listCurrencies()), (x, { code }) => {
        const text = toDecimalString(x, code);
        const back = fromDecimalString(text, code);
        expect(back.ok && back.value).toBe(x);
        const parsed = parseAmount(text, code, 'en-US');
        expect(parsed.ok && parsed.value).toBe(x);
      }),
      RUNS,
    );
  });
});
