/**
 * Encryption at rest over a real Chromium profile (docs/threat-model.md, "Encryption at rest"):
 * a group with a known name, an expense description, a chat text and its key are written through
 * the UI; the browser is closed, and every file of the profile directory is scanned for them (the
 * texts in UTF-8, UTF-16LE and Latin-1, the key as bytes, base64url, base64 and hex). None may be
 * found. A control proves the scan reads the database: the group's id, which is stored in the
 * clear (an index key), is found.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { chromium, test } from '@playwright/test';
import { BROWSER_ARGS } from '../scripts/find-browser.mjs';
import { addExpense, createGroup, expect, firstRun, openTab } from './fixtures';

const GROUP = 'Zebra Lounge 7731';
const DESCRIPTION = 'Quokka tacos für Ärzte';
const CHAT = 'meet at the blue door 鸟';
const NAME = 'Quentin Xylophone';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    const st = statSync(full, { throwIfNoEntry: false });
    if (!st) return [];
    return st.isDirectory() ? files(full) : st.isFile() ? [full] : [];
  });
}

const latin1 = (s: string) => Buffer.from(s, 'latin1');
const utf16le = (s: string) => Buffer.from(s, 'utf16le');

function needles(texts: Record<string, string>, keys: Record<string, Buffer>): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  for (const [label, text] of Object.entries(texts)) {
    out.push([`${label} utf-8`, Buffer.from(text, 'utf8')], [`${label} utf-16le`, utf16le(text)]);
    if ([...text].every((c) => c.charCodeAt(0) < 256)) out.push([`${label} latin-1`, latin1(text)]);
  }
  for (const [label, key] of Object.entries(keys)) {
    out.push(
      [`${label} bytes`, key],
      [`${label} base64url`, Buffer.from(key.toString('base64url'))],
      [`${label} base64`, Buffer.from(key.toString('base64').replace(/=+$/, ''))],
      [`${label} hex`, Buffer.from(key.toString('hex'))],
    );
  }
  return out;
}

function scan(dir: string, wanted: [string, Buffer][]): string[] {
  const hits: string[] = [];
  for (const file of files(dir)) {
    const bytes = readFileSync(file);
    for (const [label, needle] of wanted) {
      if (bytes.includes(needle)) hits.push(`${label} in ${relative(dir, file)}`);
    }
  }
  return hits;
}

// The persistent context is this test's own; Playwright's trace recording would write into it.
test.use({ trace: 'off' });

test('nothing sensitive is in the browser profile on disk', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'tally-at-rest-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH,
      args: BROWSER_ARGS.filter((a) => a !== '--headless'),
      baseURL: `http://127.0.0.1:${process.env.E2E_WEB_PORT ?? 4173}/`,
      viewport: { width: 1280, height: 800 },
      locale: 'en-US',
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await firstRun(page, NAME);
    await expect(page.getByTestId('at-rest-notice')).toBeVisible();
    const { groupId, invite } = await createGroup(page, GROUP, 'EUR');
    const key = Buffer.from(/#key=([A-Za-z0-9_-]+)/.exec(invite)?.[1] ?? '', 'base64url');
    expect(key).toHaveLength(32);
    await addExpense(page, { description: DESCRIPTION, amount: '42.50' });
    await openTab(page, 'chat');
    await page.getByTestId('chat-input').fill(CHAT);
    await page.getByTestId('chat-send').click();
    await expect(page.getByTestId('chat-log')).toContainText(CHAT);
    // Leave the form empty (Chromium keeps form state for session restore), let the view cache be
    // written (a couple of seconds after the state settles), then close so everything is flushed.
    await page.goto('/#/');
    await expect(page.getByTestId('groups-screen')).toBeVisible();
    await page.waitForTimeout(5_000);
    await context.close();

    const wanted = needles(
      { group: GROUP, description: DESCRIPTION, chat: CHAT, name: NAME },
      { groupKey: key },
    );
    expect(scan(profile, wanted)).toEqual([]);
    const control = scan(profile, [['group id', Buffer.from(groupId)]]);
    expect(control.some((hit) => hit.includes('IndexedDB'))).toBe(true);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});
