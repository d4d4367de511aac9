/**
 * On-device suggestions: time per keystroke (every prefix of held-out descriptions typed into
 * a 10k-expense group), and the one-off training after a state change. The baseline re-trains
 * on every keystroke, as a model without a per-state cache would.
 */
import { generateHistory, stateWith } from '../../shared/suggest/history-testkit';
import { buildSuggester } from '../../shared/suggest/suggester';
import { atMost, type BenchSuite, bestOf, percentile, round } from '../harness';

export const suggestSuite: BenchSuite = {
  name: 'suggest',
  async run({ quick }) {
    const count = quick ? 1_000 : 10_000;
    const history = generateHistory({ seed: 11, count: count + 200 });
    const state = stateWith(history.members, history.expenses.slice(0, count));
    const typed = history.expenses.slice(count).map((e) => e.description);
    const build = await bestOf(quick ? 1 : 5, () => buildSuggester(state, null, 'en'));
    const suggester = buildSuggester(state, null, 'en');
    // Warm up (JIT, caches) on other descriptions than the measured ones.
    for (const e of history.expenses.slice(0, 50)) suggester.suggest(`${e.description} x`);
    const perKey: number[] = [];
    for (const text of typed) {
      for (let i = 1; i <= text.length; i++) {
        const t0 = performance.now();
        suggester.suggest(text.slice(0, i));
        perKey.push(performance.now() - t0);
      }
    }
    perKey.sort((a, b) => a - b);
    const p99 = round(percentile(perKey, 99), 3);
    // Baseline: train from scratch on each keystroke (a few keys are enough to see the cost).
    const naive = await bestOf(quick ? 1 : 3, () =>
      buildSuggester(state, null, 'en').suggest(typed[0] ?? ''),
    );
    const size = quick ? '1k' : '10k';
    return [
      {
        name: 'suggest.p99.ms',
        value: p99,
        unit: 'ms',
        baseline: { name: 're-train per keystroke', value: round(naive, 2), unit: 'ms' },
        ...atMost(p99, 5),
        note: `${perKey.length} keystrokes into a ${size}-expense group`,
      },
      { name: `suggest.build.${size}.ms`, value: round(build, 1), unit: 'ms', note: 'once per state change' },
    ];
  },
};
