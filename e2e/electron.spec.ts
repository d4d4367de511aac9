/**
 * A short roommate story against the real desktop shell (Playwright's Electron support): the
 * desktop app creates the group and a browser device joins it through the same relay.
 * Needs the Electron binary, a display and the desktop build (out/main); without them the test
 * is skipped and the list reporter prints why. On CI (`CI` set) with an Electron binary installed,
 * it fails instead: a release must not pass on a desktop test that did not run.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type Page } from '@playwright/test';
import { findElectronBinary } from '../scripts/electron-binary.mjs';
import {
  addExpense,
  createGroup,
  expect,
  expenseRow,
  firstRun,
  joinGroup,
  openGroup,
  openTab,
  RELAY_URL,
  readBalances,
  SYNC_TIMEOUT,
  test,
} from './fixtures';

const root = fileURLToPath(new URL('..', import.meta.url));
const binary = findElectronBinary(root);
const mainEntry = join(root, 'out', 'main', 'index.js');

const unavailable = !binary.ok
  ? `Electron binary not available on this machine: ${binary.reason}`
  : !existsSync(mainEntry)
    ? 'The desktop build is missing: run `npx electron-vite build` first'
    : null;
// Installed at all (whatever the display): then CI must run the test, not skip it.
const installed = findElectronBinary(root, { env: { ...process.env, DISPLAY: ':0' } }).ok;
const mustRun = Boolean(process.env.CI) && installed;

/** Skips (with the reason printed) where the desktop test cannot run; fails instead where it must. */
function requireDesktop(): void {
  if (unavailable && mustRun) {
    throw new Error(`CI has an Electron binary, but the desktop test could not run: ${unavailable}`);
  }
  // The reason goes to the terminal too: the list reporter shows a skip without its description.
  if (unavailable) console.log(unavailable);
  test.skip(unavailable !== null, unavailable ?? '');
}

/** The welcome screen of the desktop window (no page.goto: it loads app://tally/ itself). */
async function desktopFirstRun(win: Page, name: string): Promise<void> {
  await win.getByTestId('welcome-name').fill(name);
  await win.getByTestId('welcome-submit').click();
  await expect(win.getByTestId('groups-screen')).toBeVisible();
}

test('desktop shell: create a group on the desktop, join from a browser, same balances', async ({
  device,
}) => {
  requireDesktop();
  if (!binary.ok) return; // unreachable after the skip; narrows the type
  test.setTimeout(180_000);
  const userData = mkdtempSync(join(tmpdir(), 'tally-e2e-electron-'));
  const app = await electron.launch({
    executablePath: binary.path,
    args: [mainEntry, `--user-data-dir=${userData}`],
    // Both devices must meet on one relay: the test relay instead of the shell's built-in one.
    env: { ...process.env, TALLY_RELAY_URL: RELAY_URL },
  });
  try {
    const win = await app.firstWindow();
    await expect(win).toHaveURL(/^app:\/\/tally\//);
    // The page is a sandboxed renderer: no Node, only the small preload API.
    expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await win.evaluate(() => typeof (window as { tally?: unknown }).tally)).toBe('object');

    await desktopFirstRun(win, 'Ann');
    const { groupId, invite } = await createGroup(win, 'Flat 3B', 'CNY');

    const bo = await device('Bo');
    await firstRun(bo.page, 'Bo');
    expect(await joinGroup(bo.page, invite, 'Flat 3B')).toBe(groupId);

    await openTab(win, 'expenses');
    await expect(win.getByText('2 members · CNY')).toBeVisible({ timeout: SYNC_TIMEOUT });
    await addExpense(win, { description: 'Groceries', amount: '182.40' });
    await addExpense(bo.page, { description: 'Internet', amount: '120.00' });
    await expect(expenseRow(win, 'Internet')).toBeVisible({ timeout: SYNC_TIMEOUT });
    await expect(expenseRow(bo.page, 'Groceries')).toBeVisible({ timeout: SYNC_TIMEOUT });

    const expected = { Ann: 18_240 - 15_120, Bo: 12_000 - 15_120 };
    await openTab(win, 'balances');
    await expect.poll(() => readBalances(win), { timeout: SYNC_TIMEOUT }).toEqual(expected);
    await openGroup(bo.page, groupId, 'balances');
    await expect.poll(() => readBalances(bo.page), { timeout: SYNC_TIMEOUT }).toEqual(expected);
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
});

test('desktop shell: the built-in relay runs in its own process and stops with the app', async () => {
  requireDesktop();
  if (!binary.ok) return;
  test.setTimeout(120_000);
  const userData = mkdtempSync(join(tmpdir(), 'tally-e2e-electron-relay-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && k !== 'TALLY_RELAY_URL') env[k] = v;
  const app = await electron.launch({
    executablePath: binary.path,
    args: [mainEntry, `--user-data-dir=${userData}`],
    env: { ...env, TALLY_RELAY_PORT: '0' },
  });
  let relayUrl = '';
  try {
    const win = await app.firstWindow();
    await expect
      .poll(
        () =>
          win.evaluate(() =>
            (window as unknown as { tally: { relayInfo(): Promise<unknown> } }).tally.relayInfo(),
          ),
        { timeout: 30_000 },
      )
      .toMatchObject({ ok: true, value: { embedded: true } });
    const r = await win.evaluate(() =>
      (
        window as unknown as { tally: { relayInfo(): Promise<{ value: { url: string } }> } }
      ).tally.relayInfo(),
    );
    relayUrl = r.value.url;
    expect(relayUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    // Served by the utility process, not the main process: the page reaches it over loopback.
    const health = await fetch(`${relayUrl.replace(/^ws/, 'http')}/healthz`);
    expect(health.status).toBe(200);
  } finally {
    await app.close();
    rmSync(userData, { recursive: true, force: true });
  }
  // Quitting stopped it (its store flushed) within the few seconds quitting may take.
  await expect
    .poll(
      () =>
        fetch(`${relayUrl.replace(/^ws/, 'http')}/healthz`).then(
          () => 'up',
          () => 'down',
        ),
      { timeout: 10_000 },
    )
    .toBe('down');
});
