/**
 * The app benchmark's browser side: the web build served with its relay, a Chromium found on the
 * machine, and the few UI steps that set a group up (as a user would, through the app).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { BROWSER_ARGS, findBrowser, NO_BROWSER_MESSAGE } from '../scripts/find-browser.mjs';
import { serveWeb } from '../scripts/serve-web.mjs';
import { startRelay } from '../sync-server/relay';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB_DIR = join(ROOT, 'out', 'web');

export interface AppRig {
  readonly url: string;
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Builds out/web only when it is missing (the benchmark measures the app, not the build). */
function ensureWebBuild(): void {
  if (existsSync(join(WEB_DIR, 'index.html'))) return;
  const r = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.web.config.ts'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0)
    throw new Error('the web build failed (npx vite build --config renderer/vite.web.config.ts)');
}

/** In-memory relay + static server on free ports + headless Chromium. */
export async function startAppRig(): Promise<AppRig> {
  ensureWebBuild();
  const executablePath = await findBrowser();
  if (!executablePath) throw new Error(NO_BROWSER_MESSAGE);
  const relay = await startRelay({ port: 0, dataDir: null });
  const web = await serveWeb({ dir: WEB_DIR, port: 0, relayUrl: relay.url });
  const browser = await chromium
    .launch({ executablePath, args: BROWSER_ARGS.filter((a) => a !== '--headless') })
    .catch(async (e: unknown) => {
      await web.close();
      await relay.close();
      throw e;
    });
  return {
    url: web.url,
    browser,
    async close() {
      await browser.close();
      await web.close();
      await relay.close();
    },
  };
}

const LONG = { timeout: 60_000 };

export async function firstRun(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('welcome-name').fill(name);
  await page.getByTestId('welcome-submit').click();
  await page.getByTestId('groups-screen').waitFor(LONG);
}

/** Creates a group through the UI; returns its id and key (from the invite link). */
export async function createGroup(
  page: Page,
  url: string,
  name: string,
): Promise<{ groupId: string; groupKey: Uint8Array }> {
  await page.goto(`${url}#/new`);
  await page.getByTestId('new-group-name').fill(name);
  await page.getByTestId('new-group-currency').selectOption('CNY');
  await page.getByTestId('new-group-submit').click();
  await page.getByTestId('invite-tab').waitFor(LONG);
  const link = await page.getByTestId('invite-app-link').inputValue();
  const m = /group=([0-9a-f]{32}).*#key=([A-Za-z0-9_-]{43})$/.exec(link);
  if (!m?.[1] || !m[2]) throw new Error(`unexpected invite link: ${link}`);
  return { groupId: m[1], groupKey: new Uint8Array(Buffer.from(m[2], 'base64url')) };
}

/** The group's entries as the app backs them up (Export → Download backup). */
export async function downloadBackup(page: Page, url: string, groupId: string): Promise<Uint8Array[]> {
  await page.goto(`${url}#/g/${groupId}/export`);
  const [download] = await Promise.all([
    page.waitForEvent('download', LONG),
    page.getByTestId('export-backup').click(),
  ]);
  const json = JSON.parse(await readFile(await download.path(), 'utf8')) as { entries: string[] };
  return json.entries.map((hex) => new Uint8Array(Buffer.from(hex, 'hex')));
}

/** Export → Restore from backup, waiting (up to `timeoutMs`) for the app's report. */
export async function restoreBackup(
  page: Page,
  url: string,
  groupId: string,
  json: string,
  timeoutMs: number,
): Promise<string> {
  await page.goto(`${url}#/g/${groupId}/export`);
  await page.getByTestId('restore-file').setInputFiles({
    name: 'backup.json',
    mimeType: 'application/json',
    buffer: Buffer.from(json),
  });
  const msg = page.getByTestId('backup-msg');
  await msg.waitFor({ timeout: timeoutMs });
  const text = (await msg.textContent()) ?? '';
  if (!text.startsWith('Restored:')) throw new Error(`restore failed: ${text}`);
  return text;
}

/** What one timed open measured (milliseconds). */
export interface OpenTimes {
  /**
   * In the page, from the navigation's time origin (`performance.timeOrigin`) to the first frame
   * after the DOM held the expense list with all expenses counted and every member's balance
   * (both laid out with a non-empty box).
   */
  readonly inPage: number;
  /** In Node, from before `page.goto` until Playwright saw the probe's verdict (adds CDP round trips and polling). */
  readonly node: number;
  /** In the page, from the click on the Balances tab to the frame after every member's balance-sheet row was there. */
  readonly balancesTab: number;
}

/**
 * The in-page probe (open-probe.js), read as text: a function handed to addInitScript would be
 * serialised after tsx's transform, which wraps inner functions in a helper the page lacks.
 */
const OPEN_PROBE = readFileSync(join(ROOT, 'bench', 'open-probe.js'), 'utf8');

/**
 * Opens a fresh tab on the group and times until its expense list shows all `expenses` (first
 * rows drawn) and every member's balance is on screen (the group screen shows them above the
 * tabs); then clicks the Balances tab and times until every member's row of the full sheet is
 * there.
 *
 * The tab is opened first and left to settle before navigating, as a person opens a tab and
 * then types the address: headless Chromium 156 starts a new window's omnibox-popup WebUI
 * renderer with each tab (about a second of CPU), which on a 2-core machine would otherwise be
 * timed as part of the app's start.
 */
export async function timeOpenGroup(
  browserPage: () => Promise<Page>,
  url: string,
  groupId: string,
  expected: { readonly expenses: number; readonly members: number },
): Promise<OpenTimes> {
  const page = await browserPage();
  try {
    await page.addInitScript({
      content: `window.__openExpected = ${JSON.stringify(expected)};\n${OPEN_PROBE}`,
    });
    await page.waitForTimeout(2_000);
    const t0 = performance.now();
    await page.goto(`${url}#/g/${groupId}/expenses`);
    // The probe (open-probe.js) decides when the screen is complete; Node waits for its verdict.
    await page.waitForFunction(
      () => (window as unknown as { __openProbe?: { dom?: number } }).__openProbe?.dom !== undefined,
      undefined,
      { polling: 'raf', ...LONG },
    );
    const node = performance.now() - t0;
    await page.getByTestId('tab-balances').click();
    // The probe notes the tab once every member's balance-sheet row is there.
    const probe = await page.waitForFunction(
      () => {
        const p = (window as unknown as { __openProbe?: Record<string, number> }).__openProbe;
        return p?.shown !== undefined && p.tab !== undefined ? p : null;
      },
      undefined,
      LONG,
    );
    const { shown, click, tab } = (await probe.jsonValue()) as Record<string, number>;
    return { inPage: shown as number, node, balancesTab: (tab as number) - (click as number) };
  } finally {
    await page.close();
  }
}
