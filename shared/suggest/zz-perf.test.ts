import { it } from 'vitest';
import { generateHistory, stateWith } from './history-testkit';
import { buildSuggester } from './suggester';
it('perf', () => {
  const h = generateHistory({ seed: 1, count: 10_000 });
  const state = stateWith(h.members, h.expenses);
  for (let k = 0; k < 4; k++) {
    let t = performance.now();
    const s = buildSuggester(state, null, 'en');
    const build = performance.now() - t;
    const times: number[] = [];
    for (const e of h.expenses.slice(0, 2000)) {
      t = performance.now();
      s.suggest(`${e.description}x`);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    process.stdout.write(`build ${build.toFixed(1)}ms p50 ${times[1000]!.toFixed(3)} p99 ${times[1980]!.toFixed(3)} max ${times[1999]!.toFixed(3)}\n`);
  }
});
