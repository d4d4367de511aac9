// Runs the Playwright end-to-end suite against the system's Chromium (Playwright's own browser
// download does not work offline). Fails with one clear line when no browser is found.
import { spawnSync } from 'node:child_process';
import { findBrowser, NO_BROWSER_MESSAGE } from './find-browser.mjs';

const browser = await findBrowser();
if (!browser) {
  console.error(NO_BROWSER_MESSAGE);
  process.exit(1);
}

const args = process.argv.slice(2);
const reporterArg = args.find((a) => a.startsWith('--reporter='));
const rest = args.filter((a) => a !== reporterArg);
const env = { ...process.env, CHROMIUM_PATH: browser };
if (reporterArg) {
  env.PLAYWRIGHT_JSON_OUTPUT_NAME = 'out/test-results/e2e.json';
}
const result = spawnSync('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', ...(reporterArg ? [reporterArg] : []), ...rest], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
