// Fails unless the Playwright JSON report has a test whose title contains the given text and
// that test passed. The release workflow runs it after `npm test`, so a desktop end-to-end test
// that was skipped (no Electron binary, no display) cannot pass for a green release.
// Usage: node build/check-e2e-ran.mjs out/test-results/e2e.json "desktop shell"
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Every spec in a Playwright JSON report, with its tests' overall status. */
export function specsOf(report) {
  const out = [];
  const visit = (suite) => {
    for (const spec of suite.specs ?? []) {
      out.push({ title: spec.title, statuses: (spec.tests ?? []).map((t) => t.status) });
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of report?.suites ?? []) visit(suite);
  return out;
}

/** null when a matching spec ran and passed; otherwise why not. */
export function problemWith(report, titlePart) {
  const matching = specsOf(report).filter((s) => s.title.includes(titlePart));
  if (matching.length === 0) return `no end-to-end test matching "${titlePart}" in the report`;
  for (const spec of matching) {
    if (spec.statuses.length === 0 || spec.statuses.some((s) => s !== 'expected' && s !== 'flaky')) {
      return `"${spec.title}" did not pass (${spec.statuses.join(', ') || 'no result'})`;
    }
  }
  return null;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, title] = process.argv.slice(2);
  if (!file || !title) {
    console.error('Usage: node build/check-e2e-ran.mjs <playwright-report.json> <title text>');
    process.exit(2);
  }
  const problem = problemWith(JSON.parse(readFileSync(file, 'utf8')), title);
  if (problem) {
    console.error(`::error::${problem}`);
    process.exit(1);
  }
  console.log(`The end-to-end test matching "${title}" ran and passed.`);
}
