/**
 * Accessibility (issue 13): axe-core checks the main screens, light and dark; no serious or
 * critical violation is allowed. Each violation is printed with its rule and the elements.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { addExpense, createGroup, expect, firstRun, openTab, test } from './fixtures';

async function expectAccessible(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = serious.map(
    (v) =>
      `${screen}: ${v.id} (${v.impact}) ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(report, report.join('\n')).toEqual([]);
}

for (const theme of ['light', 'dark'] as const) {
  test(`main screens have no serious accessibility violations (${theme})`, async ({ device }) => {
    const { page } = await device('Ann', { theme });
    await page.goto('/');
    await expect(page.getByTestId('welcome-name')).toBeVisible();
    await expectAccessible(page, 'welcome');
    await firstRun(page, 'Ann');
    await expectAccessible(page, 'groups');
    await createGroup(page, 'Flat 3B', 'CNY');
    await expectAccessible(page, 'invite');
    await addExpense(page, { description: 'Groceries', amount: '42.00' });
    await expectAccessible(page, 'expenses');
    for (const tab of ['balances', 'chat', 'reconcile', 'export'] as const) {
      await openTab(page, tab);
      await expectAccessible(page, tab);
    }
    await page.getByTestId('tab-analysis').click();
    await expect(page.getByTestId('chart-category-chart').locator('svg').first()).toBeVisible();
    await expectAccessible(page, 'analysis');
    await page.getByTestId('chart-category-table-toggle').click();
    await expectAccessible(page, 'analysis table');
    await page.goto('/#/home');
    await expect(page.getByTestId('home-screen').getByTestId('chart-category-chart')).toBeVisible();
    await expectAccessible(page, 'home');
    await page.goto('/#/settings');
    await expect(page.getByTestId('settings')).toBeVisible();
    await expectAccessible(page, 'settings');
  });
}
