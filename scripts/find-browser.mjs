// Finds a Chromium for the end-to-end tests and benchmarks: an explicit env var first,
// then Playwright's own download (absent on machines without internet), then the system one.
import { existsSync } from 'node:fs';

async function playwrightChromium() {
  try {
    const { chromium } = await import('playwright-core');
    return chromium.executablePath();
  } catch {
    // No Playwright browser downloaded (the registry throws): fall through to system browsers.
    return undefined;
  }
}

export async function findBrowser() {
  const candidates = [
    process.env.CHROMIUM_PATH,
    process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH,
    await playwrightChromium(),
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ];
  return candidates.find((p) => typeof p === 'string' && p.length > 0 && existsSync(p)) ?? null;
}

/** Flags that keep headless Chromium quiet on a machine with no outside network. */
export const BROWSER_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const NO_BROWSER_MESSAGE =
  'No Chromium found: set CHROMIUM_PATH, or install one (Debian/Ubuntu: apt-get install -y chromium).';

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = await findBrowser();
  if (!found) {
    console.error(NO_BROWSER_MESSAGE);
    process.exit(1);
  }
  console.log(found);
}
