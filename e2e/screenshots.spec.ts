/**
 * @screenshots — the README's pictures of the main screens, in English and Simplified Chinese,
 * light and dark, taken from a realistic three-person group (with an open conflict to review).
 * Cheap enough to run with the suite, so the pictures always show the current app.
 * Writes <screen>-<language>-<theme>.png at 1280×800 (to docs/screenshots/ with UPDATE_SCREENSHOTS=1).
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import {
  addExpense,
  editExpenseAmount,
  expect,
  expectSynced,
  expenseRow,
  openGroup,
  recordPayment,
  SYNC_TIMEOUT,
  selectMember,
  startGroup,
  test,
} from './fixtures';

// The README's copies are refreshed on demand (UPDATE_SCREENSHOTS=1); a normal test run writes
// to out/ so it leaves the working tree clean while still exercising every screen.
const OUT = fileURLToPath(
  new URL(process.env.UPDATE_SCREENSHOTS ? '../docs/screenshots/' : '../out/screenshots/', import.meta.url),
);

type Screen = 'groups' | 'expenses' | 'balances' | 'chat' | 'reconcile' | 'settings';
type Language = 'en' | 'zh-CN';
type Theme = 'light' | 'dark';

/** Which screens in which look: every screen once in English/light, a few in the other three. */
const SHOTS: readonly [Screen, Language, Theme][] = [
  ['groups', 'en', 'light'],
  ['expenses', 'en', 'light'],
  ['balances', 'en', 'light'],
  ['chat', 'en', 'light'],
  ['reconcile', 'en', 'light'],
  ['settings', 'en', 'light'],
  ['expenses', 'en', 'dark'],
  ['balances', 'en', 'dark'],
  ['expenses', 'zh-CN', 'light'],
  ['chat', 'zh-CN', 'light'],
  ['balances', 'zh-CN', 'dark'],
  ['settings', 'zh-CN', 'dark'],
];

/** Language and theme through the settings screen, as a user switches them. */
async function setLook(page: Page, language: Language, theme: Theme): Promise<void> {
  await page.goto('/#/settings');
  await page.getByTestId('language-select').selectOption(language);
  await page.getByTestId(`theme-${theme}`).check();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

async function show(page: Page, screen: Screen, groupId: string): Promise<void> {
  if (screen === 'groups') {
    await page.goto('/#/');
    await expect(page.getByTestId('group-row')).toHaveCount(1);
  } else if (screen === 'settings') {
    await page.goto('/#/settings');
    await expect(page.getByTestId('settings')).toBeVisible();
  } else {
    await openGroup(page, groupId, screen);
  }
  await expectSynced(page);
  // Focus rings and the caret would make the pictures depend on the last click.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

test('@screenshots main screens in English and Chinese, light and dark', async ({ device }) => {
  test.setTimeout(180_000);
  mkdirSync(OUT, { recursive: true });
  const ann = await device('Ann');
  const bo = await device('Bo');
  const cy = await device('Cy');
  const { groupId } = await startGroup([ann, bo, cy]);

  // A month in Flat 3B.
  const month = new Date().toISOString().slice(0, 8); // "YYYY-MM-"
  const day = (d: number) => `${month}${String(Math.min(d, new Date().getDate())).padStart(2, '0')}`;
  await addExpense(ann.page, { description: 'Rent', amount: '4500.00', category: 'rent', date: day(1) });
  await addExpense(bo.page, {
    description: 'Groceries',
    amount: '182.40',
    category: 'groceries',
    date: day(3),
  });
  await addExpense(cy.page, {
    description: 'Internet',
    amount: '120.00',
    category: 'utilities',
    date: day(5),
  });
  await addExpense(ann.page, {
    description: 'Hotpot night',
    amount: '356.00',
    category: 'dining',
    date: day(8),
  });
  await addExpense(ann.page, {
    description: 'Electricity',
    amount: '300.00',
    category: 'utilities',
    date: day(10),
  });
  await recordPayment(cy.page, 'Cy', 'Ann', '1000.00', day(12));

  // Bo edits the electricity bill offline while Ann edits it too: a conflict to review.
  await openGroup(bo.page, groupId, 'expenses');
  await expect(expenseRow(bo.page, 'Electricity')).toBeVisible({ timeout: SYNC_TIMEOUT });
  await expectSynced(bo.page);
  await bo.network.setOffline(true);
  await editExpenseAmount(bo.page, 'Electricity', '330.00');
  await editExpenseAmount(ann.page, 'Electricity', '315.00');
  await bo.network.setOffline(false);

  // The chat: a message and an open payment request.
  await openGroup(bo.page, groupId, 'chat');
  await bo.page.getByTestId('chat-input').fill('Hotpot again on Friday?');
  await bo.page.getByTestId('chat-send').click();
  await openGroup(ann.page, groupId, 'chat');
  await expect(ann.page.getByTestId('chat-message')).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  await ann.page.getByTestId('chat-input').fill('Yes! I will book a table.');
  await ann.page.getByTestId('chat-send').click();
  await ann.page.getByTestId('open-request').click();
  await selectMember(ann.page.getByTestId('request-from'), 'Bo');
  await ann.page.getByTestId('request-amount').fill('118.67');
  await ann.page.getByTestId('send-request').click();
  await expect(ann.page.getByTestId('chat-request-card')).toHaveCount(1);
  await openGroup(ann.page, groupId, 'reconcile');
  await expect(ann.page.getByTestId('conflict')).toHaveCount(1, { timeout: SYNC_TIMEOUT });

  const written: string[] = [];
  for (const [screen, language, theme] of SHOTS) {
    await setLook(ann.page, language, theme);
    await show(ann.page, screen, groupId);
    const path = `${OUT}${screen}-${language}-${theme}.png`;
    await ann.page.screenshot({ path, animations: 'disabled', caret: 'hide' });
    written.push(path);
  }
  expect(new Set(written).size).toBe(SHOTS.length);
});
