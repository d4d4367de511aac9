/**
 * Spending analysis (issue 13 §1): what the analysis tab shows agrees with the expense list, the
 * chart is drawn and exports as a PNG, and the home screen sums across groups.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { addExpense, createGroup, expect, firstRun, openTab, test, toMinor } from './fixtures';

/** Minor units of a displayed amount such as "CN¥1,042.50". */
function minorOf(text: string): number {
  const m = /-?\d[\d,]*\.\d{2}/.exec(text);
  if (!m) throw new Error(`no amount in "${text}"`);
  return toMinor(m[0].replaceAll(',', ''));
}

/** Category label → total, from the expense list as the user sees it. */
async function listTotals(page: Page): Promise<Map<string, number>> {
  await openTab(page, 'expenses');
  const totals = new Map<string, number>();
  for (const row of await page.getByTestId('expense-row').all()) {
    const category = ((await row.locator('.expense-cell .muted.small').first().textContent()) ?? '').trim();
    const amount = minorOf((await row.getByTestId('expense-amount').textContent()) ?? '');
    totals.set(category, (totals.get(category) ?? 0) + amount);
  }
  return totals;
}

test('the analysis tab agrees with the expense list, draws its charts and exports a PNG', async ({
  device,
}) => {
  test.setTimeout(120_000);
  const { page } = await device('Ann');
  await firstRun(page, 'Ann');
  await createGroup(page, 'Trip', 'CNY');
  await addExpense(page, { description: 'Market', amount: '42.00', category: 'groceries' });
  await addExpense(page, { description: 'Noodles', amount: '18.50', category: 'dining' });
  await addExpense(page, { description: 'Fruit', amount: '10.25', category: 'groceries' });
  await addExpense(page, { description: 'Dumplings', amount: '33.10', category: 'dining' });

  const fromList = await listTotals(page);
  expect(fromList.size).toBe(2);
  const listTotal = [...fromList.values()].reduce((s, v) => s + v, 0);

  await page.getByTestId('tab-analysis').click();
  await expect(page.getByTestId('analysis-tab')).toBeVisible();
  const chart = page.getByTestId('chart-category-chart');
  await expect(chart.locator('svg').first()).toBeVisible();
  await expect(page.getByTestId('analysis-total')).toHaveAttribute('data-amount', String(listTotal));

  // The PNG export: a real PNG file.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('chart-category-export').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^trip-cny-.*\.png$/);
  const bytes = await readFile(await download.path());
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  // The table view of the same chart: one row per category, each the list's total for it.
  await page.getByTestId('chart-category-table-toggle').click();
  const rows = page.getByTestId('category-row');
  await expect(rows).toHaveCount(fromList.size);
  const fromTable = new Map<string, number>();
  for (const row of await rows.all()) {
    fromTable.set(
      ((await row.locator('th').textContent()) ?? '').trim(),
      Number(await row.getAttribute('data-amount')),
    );
  }
  expect(fromTable).toEqual(fromList);
  await expect(page.getByTestId('category-total')).toHaveAttribute('data-amount', String(listTotal));

  // A date range that leaves everything out says so.
  await page.getByTestId('analysis-to').fill('2000-01-01');
  await expect(page.getByTestId('analysis-empty')).toBeVisible();

  // Home: the recent activity lists the expenses, and the spending across groups has the same total.
  await page.getByTestId('nav-home').click();
  await expect(page.getByTestId('home-screen')).toBeVisible();
  await expect(page.getByTestId('home-activity')).toHaveCount(4);
  await expect(page.getByTestId('home-screen').getByTestId('analysis-total')).toHaveAttribute(
    'data-amount',
    String(listTotal),
  );
  await page.getByTestId('home-groups-link').click();
  await expect(page.getByTestId('groups-screen')).toBeVisible();
});
