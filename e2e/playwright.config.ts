import { defineConfig } from '@playwright/test';
import { BROWSER_ARGS } from '../scripts/find-browser.mjs';

// scripts/e2e.mjs finds the browser and passes it in; Playwright's own download is not used.
const executablePath = process.env.CHROMIUM_PATH;
const webPort = Number(process.env.E2E_WEB_PORT ?? 4173);

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '../out/test-results/e2e.json' }]],
  outputDir: '../out/e2e-artifacts',
  use: {
    baseURL: `http://127.0.0.1:${webPort}/`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath,
      // Playwright adds its own headless flag.
      args: BROWSER_ARGS.filter((a) => a !== '--headless'),
    },
  },
  webServer: {
    command: 'node e2e/server.mjs',
    cwd: '..',
    url: `http://127.0.0.1:${webPort}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
  },
});
