/**
 * On-device suggestions in the expense editor: typing a description offers a category (from
 * the starter set at first, then from the group's own history), one key accepts it, Esc
 * dismisses it, and the form says that nothing is sent anywhere.
 */
import { createGroup, expect, firstRun, openTab, startGroup, test } from './fixtures';

test('typing a description suggests a category; Tab accepts it, Esc dismisses it', async ({ device }) => {
  const ann = await device('Ann');
  await startGroup([ann]);
  const page = ann.page;
  const category = page.getByTestId('expense-category');

  // An expense with a category of the group's own, to learn from.
  await openTab(page, 'expenses');
  await page.getByTestId('add-expense').click();
  await page.getByTestId('expense-description-input').fill('Badminton court');
  await page.getByTestId('expense-amount-input').fill('60.00');
  await category.selectOption({ label: 'New category…' });
  await page.getByTestId('expense-category-custom').fill('sport');
  await page.getByTestId('save-expense').click();
  await expect(page.getByTestId('expense-row')).toHaveCount(1);

  // Cold start: the English starter set knows a supermarket.
  await page.getByTestId('add-expense').click();
  await expect(page.getByTestId('suggestion-private')).toContainText('Nothing is sent anywhere');
  const description = page.getByTestId('expense-description-input');
  const chip = page.getByTestId('suggestion-chip');
  await description.fill('Weekly supermarket run');
  await expect(chip).toContainText('Category: Groceries');
  await expect(chip).toContainText('Tab to accept');
  await description.press('Tab');
  await expect(category).toHaveValue('groceries');
  await expect(chip).toHaveCount(0);
  await expect(description).toBeFocused();
  // With nothing left to accept, Tab moves on as usual.
  await description.press('Tab');
  await expect(description).not.toBeFocused();

  // Learned from the group: Esc dismisses (Tab then just moves on), Enter on the chip accepts.
  await description.fill('badminton with Bo');
  await expect(chip).toContainText('Category: sport');
  await description.press('Escape');
  await expect(chip).toHaveCount(0);
  await description.press('Tab');
  await expect(category).toHaveValue('groceries');
  await description.fill('badminton again');
  await expect(chip).toHaveAttribute('data-category', 'sport');
  await chip.focus();
  await chip.press('Enter');
  await expect(category).toHaveValue('sport');
  await page.getByTestId('expense-amount-input').fill('40.00');
  await page.getByTestId('save-expense').click();
  await expect(page.getByTestId('expense-row')).toHaveCount(2);
});

test('in Chinese the starter set suggests a category for 超市买菜', async ({ device }) => {
  const li = await device('Li', { language: 'zh-CN' });
  await firstRun(li.page, 'Li');
  await createGroup(li.page, '合租', 'CNY');
  await openTab(li.page, 'expenses');
  await li.page.getByTestId('add-expense').click();
  await expect(li.page.getByTestId('suggestion-private')).toContainText('不会发送到任何地方');
  const description = li.page.getByTestId('expense-description-input');
  await description.fill('周末超市买菜');
  await expect(li.page.getByTestId('suggestion-chip')).toContainText('分类：日用采购');
  await description.press('Tab');
  await expect(li.page.getByTestId('expense-category')).toHaveValue('groceries');
});
