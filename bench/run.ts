/**
 * `npm run bench [-- --quick] [--only suite,suite]`: runs every suite, prints a table and writes
 * bench/results.json (quick runs write out/bench-quick.json instead, so a smoke run never
 * overwrites real figures).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { installNodePrimitives } from '../sync-server/node-primitives';
import type { BenchResult, BenchSuite } from './harness';
import { suites } from './suites';

// The benchmarks run in Node, so the core runs with Node's native primitives, as the headless
// client does (suites that also time the portable pure-JS path say so in their rows).
await installNodePrimitives();

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const only = onlyArg ? new Set(onlyArg.split(',')) : null;

const selected: BenchSuite[] = suites.filter((s) => !only || only.has(s.name));
const results: BenchResult[] = [];
let failedSuites = 0;

for (const suite of selected) {
  process.stdout.write(`running ${suite.name}...\n`);
  try {
    const got = await suite.run({ quick });
    results.push(...got);
  } catch (e) {
    failedSuites++;
    console.error(`suite ${suite.name} failed:`, e);
  }
}

const rows = results.map((r) => ({
  name: r.name,
  value: `${r.value} ${r.unit}`,
  baseline: r.baseline ? `${r.baseline.value} ${r.baseline.unit} (${r.baseline.name})` : '',
  target: r.target ?? '',
  ok: r.pass === undefined ? '' : r.pass ? 'yes' : 'NO',
}));
console.table(rows);

const out = quick ? join('out', 'bench-quick.json') : join('bench', 'results.json');
mkdirSync(dirname(out), { recursive: true });
const measuredAt = new Date().toISOString();
const fresh = results.map((r) => ({ ...r, measuredAt, quick }));
// With --only, keep the other suites' earlier figures: a partial run updates, never erases.
const kept: { name: string }[] =
  only && existsSync(out)
    ? (JSON.parse(readFileSync(out, 'utf8')) as { name: string }[]).filter(
        (old) => !fresh.some((r) => r.name === old.name),
      )
    : [];
writeFileSync(out, `${JSON.stringify([...kept, ...fresh], null, 2)}\n`);
console.log(`wrote ${out}`);
if (failedSuites > 0) process.exit(1);
