/**
 * Issue 13 §5: a click on an expense shows it (amount, shares, history) and editing is one more
 * click; while splitting by exact amounts the editor says what is left to assign, live.
 */
import { addExpense, createGroup, expect, firstRun, openTab, test } from './fixtures';

test('an expense opens as a detail view; the editor shows what is left to assign', async ({ device }) => {
  const { page } = await device('Ann');
  await firstRun(page, 'Ann');
  await createGroup(page, 'Flat 3B', 'CNY');
  await addExpense(page, { description: 'Groceries', amount: '42.00', note: 'Market' });
  await openTab(page, 'expenses');
  await page.getByTestId('expense-description').getByText('Groceries', { exact: true }).click();

  const detail = page.getByTestId('expense-detail');
  await expect(detail.getByTestId('detail-description')).toHaveText('Groceries');
  await expect(detail.getByTestId('detail-amount')).toContainText('42.00');
  await expect(detail.getByTestId('detail-note')).toHaveText('Market');
  await expect(detail.getByTestId('detail-share')).toHaveAttribute('data-minor', '4200');
  await expect(detail.getByTestId('detail-history')).toContainText('Ann');
  // Nothing on the detail view edits; the editor is one click away.
  await expect(page.getByTestId('save-expense')).toHaveCount(0);
  await detail.getByTestId('expense-edit').click();
  await expect(page.getByTestId('save-expense')).toBeVisible();

  await page.getByTestId('split-mode-exact').check();
  const left = page.getByTestId('split-left');
  await expect(left).toHaveAttribute('data-left', '4200');
  await page.getByTestId('split-value').first().fill('40');
  await expect(left).toHaveAttribute('data-left', '200');
  await page.getByTestId('split-value').first().fill('50');
  await expect(left).toHaveAttribute('data-left', '-800');
  await page.getByTestId('split-value').first().fill('42');
  await expect(left).toHaveAttribute('data-left', '0');
});

test("dates are typed in the app's language, not the browser's", async ({ device }) => {
  // An English browser; the person picked 简体中文 in the app.
  const { page } = await device('Li');
  await page.goto('/');
  await page.getByTestId('language-select').selectOption('zh-CN');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await firstRun(page, '李');
  await createGroup(page, 'Flat 3B', 'CNY');
  await openTab(page, 'expenses');
  await page.getByTestId('add-expense').click();
  const date = page.getByTestId('expense-date');
  await expect(date).toHaveAttribute('placeholder', 'yyyy/mm/dd');
  await expect(date).toHaveValue(/^\d{4}\/\d{2}\/\d{2}$/);
  await date.fill('2025/3/1');
  await expect(date).toHaveAttribute('data-value', '2025-03-01');
  await date.blur();
  await expect(date).toHaveValue('2025/03/01');
});
