/**
 * Issue 12 §3: reminders of recurring expenses due soon, with a setting (off, 1, 3 or 7 days ahead).
 */
import { createGroup, expect, fillExpense, firstRun, localDatePlus, openTab, test } from './fixtures';

test('a recurring expense due tomorrow is announced; the setting turns reminders off', async ({ device }) => {
  const { page } = await device('Ann');
  await firstRun(page, 'Ann');
  await createGroup(page, 'Flat 3B', 'CNY');
  await openTab(page, 'expenses');
  await page.getByTestId('add-expense').click();
  await fillExpense(page, { description: 'Internet', amount: '120.00', date: await localDatePlus(page, 1) });
  await page.getByTestId('repeat-freq').selectOption('monthly');
  await page.getByTestId('save-expense').click();
  await expect(page.getByTestId('expenses-tab')).toBeVisible();
  const reminder = page.getByTestId('upcoming-reminder');
  await expect(reminder).toHaveCount(1);
  await expect(reminder).toContainText('Internet');
  await expect(reminder).toContainText('tomorrow');

  await page.goto('/#/settings');
  await page.getByTestId('settings-reminders').selectOption('0');
  await page.goBack();
  await expect(page.getByTestId('expenses-tab')).toBeVisible();
  await expect(page.getByTestId('upcoming-reminders')).toHaveCount(0);
});
