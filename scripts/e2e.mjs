// Runs the Playwright end-to-end suite against the system's Chromium (Playwright's own browser
// download does not work offline). Fails with one clear line when no browser is found.
import { spawnSync } from 'node:child_process';
import { findBrowser, NO_BROWSER_MESSAGE } from './find-browser.mjs';

const browser = await findBrowser();
if (!browser) {
  console.error(NO_BROWSER_MESSAGE);
  process.exit(1);
}

// The config writes a list to the terminal and JSON to out/test-results/e2e.json (read by
// scripts/summarize-tests.mjs); extra arguments go to Playwright (a file, --grep, ...).
const result = spawnSync(
  'npx',
  ['playwright', 'test', '-c', 'e2e/playwright.config.ts', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { ...process.env, CHROMIUM_PATH: browser },
  },
);
process.exit(result.status ?? 1);
