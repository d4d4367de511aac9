/**
 * Moving in from Splitwise: the sample export (docs/samples/splitwise.csv) is picked in the
 * import tab, previewed (people mapped, the unreadable row explained), written, and the balances
 * tab then shows exactly the "Total balance" lines of the file. Importing it again adds nothing.
 */
import { readFile } from 'node:fs/promises';
import { expect, readBalances, startGroup, SYNC_TIMEOUT, test } from './fixtures';

const SAMPLE = new URL('../docs/samples/splitwise.csv', import.meta.url);

test('a Splitwise export becomes the group history it describes, once', async ({ device }) => {
  test.setTimeout(120_000);
  const ann = await device('Ann');
  const { groupId } = await startGroup([ann], 'Flat 3B', 'USD');
  const page = ann.page;
  const file = { name: 'splitwise.csv', mimeType: 'text/csv', buffer: await readFile(SAMPLE) };

  await page.goto(`/#/g/${groupId}/import`);
  await expect(page.getByTestId('import-tab')).toBeVisible({ timeout: SYNC_TIMEOUT });
  await page.getByTestId('import-file').setInputFiles(file);
  const preview = page.getByTestId('import-preview');
  await expect(preview).toBeVisible();
  await expect(page.getByTestId('import-summary')).toContainText(
    'Expenses: 6 · payments: 1 · already in this group: 0 · rows that cannot be read: 1',
  );
  // The coffee row nets to zero for everyone: Splitwise's file does not say who paid.
  await expect(page.getByTestId('import-row-error')).toHaveCount(1);
  await expect(page.getByTestId('import-row-error')).toContainText('Row 7');
  // Ann in the file is this device's member; Bo and Cy become new members.
  await expect(page.getByTestId('import-person-0').locator('option:checked')).toHaveText('Ann (you)');
  await expect(page.getByTestId('import-person-1').locator('option:checked')).toHaveText('New member “Bo”');
  await expect(page.getByTestId('import-currencies')).toHaveText('USD (6) · EUR (1)');

  await page.getByTestId('import-write').click();
  await expect(page.getByTestId('import-result')).toHaveText(
    'Imported: 7 created, 0 already in the group, 2 new members, 0 refused.',
    { timeout: SYNC_TIMEOUT },
  );
  await expect(page.getByText('3 members · USD')).toBeVisible();

  // The file's own "Total balance" lines: USD −15.00 / 45.00 / −30.00, EUR 24.00 / −12.00 / −12.00.
  await page.getByTestId('tab-balances').click();
  await expect.poll(() => readBalances(page, 'USD')).toEqual({ Ann: -1500, Bo: 4500, Cy: -3000 });
  expect(await readBalances(page, 'EUR')).toEqual({ Ann: 2400, Bo: -1200, Cy: -1200 });

  // The same file again: everything is recognised, nothing can be written.
  await page.getByTestId('tab-import').click();
  await page.getByTestId('import-file').setInputFiles(file);
  await expect(page.getByTestId('import-summary')).toContainText('already in this group: 7');
  await expect(page.getByTestId('import-write')).toBeDisabled();
  await page.getByTestId('tab-balances').click();
  expect(await readBalances(page, 'USD')).toEqual({ Ann: -1500, Bo: 4500, Cy: -3000 });
  await expect(page.getByText('3 members · USD')).toBeVisible();
});
