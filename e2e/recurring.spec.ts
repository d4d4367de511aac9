/**
 * Recurring expenses as roommates use them: monthly rent entered once appears at each of its
 * dates once on every device (occurrences are derived from the signed rule, never written), a
 * skip made offline converges, and the balances count the occurrences.
 */
import {
  expect,
  expectBalancesEverywhere,
  expectSynced,
  fillExpense,
  openGroup,
  openTab,
  SYNC_TIMEOUT,
  startGroup,
  test,
} from './fixtures';

test('monthly rent appears once on every device; a skip made offline converges', async ({ device }) => {
  test.setTimeout(180_000);
  const ann = await device('Ann');
  const bo = await device('Bo');
  const { groupId } = await startGroup([ann, bo]);

  // Rent on the 31st, three times: January 31, then the last day of February, then March 31.
  await openTab(ann.page, 'expenses');
  await ann.page.getByTestId('add-expense').click();
  await fillExpense(ann.page, { description: 'Rent', amount: '3000.00', date: '2025-01-31' });
  await ann.page.getByTestId('repeat-freq').selectOption('monthly');
  await ann.page.getByTestId('repeat-end').selectOption('until');
  await ann.page.getByTestId('repeat-until').fill('2025-01-01');
  await ann.page.getByTestId('save-expense').click();
  // A last date before the first is refused in place; nothing is written.
  await expect(ann.page.getByTestId('repeat-error-until')).toBeVisible();
  await ann.page.getByTestId('repeat-end').selectOption('count');
  await ann.page.getByTestId('repeat-count').fill('3');
  await ann.page.getByTestId('save-expense').click();
  await expect(ann.page.getByTestId('expenses-tab')).toBeVisible();

  const dates = ['2025-03-31', '2025-02-28', '2025-01-31'];
  for (const d of [ann, bo]) {
    await openGroup(d.page, groupId, 'expenses');
    const rows = d.page.getByTestId('occurrence-row');
    await expect(rows).toHaveCount(3, { timeout: SYNC_TIMEOUT });
    await expect(rows.first().getByTestId('recurring-mark')).toBeVisible();
    expect(await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-occurrence-date')))).toEqual(
      dates,
    );
    await expect(d.page.getByTestId('expense-row')).toHaveCount(0);
  }
  // Ann paid 3 × 3000.00 shared by two.
  await expectBalancesEverywhere([ann, bo], groupId, { Ann: 450_000, Bo: -450_000 });

  // Bo, offline, skips February; Ann, online, sees nothing change until Bo is back.
  await expectSynced(bo.page);
  await bo.network.setOffline(true);
  await openGroup(bo.page, groupId, 'expenses');
  const february = bo.page.locator('[data-testid="occurrence-row"][data-occurrence-date="2025-02-28"]');
  await february.getByTestId('skip-occurrence').click();
  await february.getByTestId('confirm-skip-occurrence').click();
  await expect(bo.page.getByTestId('occurrence-row')).toHaveCount(2);
  await openGroup(ann.page, groupId, 'expenses');
  await expect(ann.page.getByTestId('occurrence-row')).toHaveCount(3);

  await bo.network.setOffline(false);
  for (const d of [ann, bo]) {
    await openGroup(d.page, groupId, 'expenses');
    await expect(d.page.getByTestId('occurrence-row')).toHaveCount(2, { timeout: SYNC_TIMEOUT });
  }
  await expectBalancesEverywhere([ann, bo], groupId, { Ann: 300_000, Bo: -300_000 });

  // Ann edits only March; then Bo changes the rent from January on: March keeps its own edit.
  const row = (page: typeof ann.page, date: string) =>
    page.locator(`[data-testid="occurrence-row"][data-occurrence-date="${date}"]`);
  await openGroup(ann.page, groupId, 'expenses');
  await row(ann.page, '2025-03-31').getByTestId('expense-description').click();
  await fillExpense(ann.page, { amount: '3100.00' });
  await ann.page.getByTestId('save-expense').click();
  await expect(row(ann.page, '2025-03-31').getByTestId('expense-amount')).toContainText('3,100.00');
  await openGroup(bo.page, groupId, 'expenses');
  await expect(row(bo.page, '2025-03-31').getByTestId('expense-amount')).toContainText('3,100.00', {
    timeout: SYNC_TIMEOUT,
  });
  await row(bo.page, '2025-01-31').getByTestId('expense-description').click();
  await bo.page.getByTestId('occurrence-scope-following').check();
  await expect(bo.page.getByTestId('expense-date')).toBeDisabled();
  await fillExpense(bo.page, { amount: '2000.00' });
  await bo.page.getByTestId('save-expense').click();
  await expect(row(bo.page, '2025-01-31').getByTestId('expense-amount')).toContainText('2,000.00');
  await expect(row(bo.page, '2025-03-31').getByTestId('expense-amount')).toContainText('3,100.00');
  await expect(bo.page.getByTestId('occurrence-row')).toHaveCount(2);
  await expectBalancesEverywhere([ann, bo], groupId, { Ann: 255_000, Bo: -255_000 });
});
