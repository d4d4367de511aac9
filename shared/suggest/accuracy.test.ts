/**
 * How good the suggestions are on a generated history: train on the first 80%, ask about the
 * held-out 20%, and compare with the best answer that ignores the description (the most
 * common category / payer in the training part).
 */
import { describe, expect, it } from 'vitest';
import { generateHistory, stateWith } from './history-testkit';
import { buildSuggester } from './suggester';

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
}

describe('suggestion accuracy on a generated history (80/20 split)', () => {
  for (const seed of [7, 2026]) {
    it(`seed ${seed}: category and payer beat the majority baseline by far`, () => {
      const history = generateHistory({ seed, count: 1500 });
      const cut = Math.floor(history.expenses.length * 0.8);
      const train = history.expenses.slice(0, cut);
      const test = history.expenses.slice(cut);
      const suggester = buildSuggester(stateWith(history.members, train), null, 'en');

      const baselineCategory = mostCommon(train.map((e) => e.category));
      const baselinePayer = mostCommon(train.map((e) => e.payer));
      let categoryHits = 0;
      let categoryBaselineHits = 0;
      let payerHits = 0;
      let payerBaselineHits = 0;
      for (const e of test) {
        const s = suggester.suggest(e.description);
        if (s.category?.category === e.category) categoryHits++;
        if (baselineCategory === e.category) categoryBaselineHits++;
        if (s.usual?.payer === e.payer) payerHits++;
        if (baselinePayer === e.payer) payerBaselineHits++;
      }
      const pct = (n: number) => n / test.length;
      const report = {
        seed,
        train: train.length,
        test: test.length,
        category: pct(categoryHits).toFixed(3),
        categoryBaseline: pct(categoryBaselineHits).toFixed(3),
        payer: pct(payerHits).toFixed(3),
        payerBaseline: pct(payerBaselineHits).toFixed(3),
      };
      console.log('suggestion accuracy (held-out 20%)', report);
      // Label noise is 5%, so ~0.9 is near the ceiling; the baseline is about 0.3.
      expect(pct(categoryHits)).toBeGreaterThan(0.8);
      expect(pct(categoryHits)).toBeGreaterThan(pct(categoryBaselineHits) + 0.4);
      expect(pct(payerHits)).toBeGreaterThan(pct(payerBaselineHits) + 0.2);
    });
  }
});
