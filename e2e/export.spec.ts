/**
 * Exports as a user gets them: the CSV statement and the JSON backup are real downloads, read
 * back from disk. The CSV is parsed with Papa Parse and checked against docs/csv.md and the
 * balances the app shows; the backup is restored on a device that is offline and missing entries.
 */
import { readFile } from 'node:fs/promises';
import type { Download, Page } from '@playwright/test';
import Papa from 'papaparse';
import {
  addExpense,
  expect,
  expectSynced,
  expenseRow,
  openGroup,
  openTab,
  readBalances,
  recordPayment,
  SYNC_TIMEOUT,
  startGroup,
  test,
  toMinor,
} from './fixtures';

async function download(page: Page, testId: string): Promise<{ file: Download; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = await file.path();
  return { file, bytes: await readFile(path) };
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

test('CSV statement: a UTF-8 file with BOM, documented columns, amounts that add up to the balances', async ({
  device,
}) => {
  test.setTimeout(150_000);
  const ann = await device('Ann');
  const bo = await device('Bo');
  const { groupId } = await startGroup([ann, bo]);

  await addExpense(ann.page, {
    description: '超市 Groceries',
    amount: '182.40',
    category: 'groceries',
    note: 'Milk, eggs and "organic" bread',
  });
  await addExpense(bo.page, { description: 'Internet', amount: '120.00' });
  await recordPayment(bo.page, 'Bo', 'Ann', '20.00');
  await openGroup(ann.page, groupId, 'balances');
  await expect(ann.page.getByTestId('payment-row')).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  await expectSynced(ann.page);
  const shown = await readBalances(ann.page);
  expect(shown).toEqual({ Ann: 1_120, Bo: -1_120 });

  await openTab(ann.page, 'export');
  const { file, bytes } = await download(ann.page, 'export-csv');
  expect(file.suggestedFilename()).toMatch(/^flat-3b-\d{4}-\d{2}-\d{2}\.csv$/);
  await expect(ann.page.getByTestId('csv-msg')).toHaveText('The statement has been saved.');

  // Encoding: BOM first (Excel needs it for the Chinese text), then UTF-8, CRLF record ends.
  expect(bytes.subarray(0, 3).equals(BOM)).toBe(true);
  const text = bytes.subarray(3).toString('utf8');
  expect(text).toContain('超市 Groceries');
  expect(text.split('\r\n')).toHaveLength(4); // header + 2 expenses + 1 payment, no trailing line end

  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  expect(parsed.errors).toEqual([]);
  const [header, ...rows] = parsed.data;
  expect(header).toEqual([
    'Date',
    'Type',
    'Description',
    'Category',
    'Currency',
    'Amount',
    'Paid by',
    'Share: Ann',
    'Share: Bo',
    'From',
    'To',
    'Note',
    'Entry id',
  ]);
  const col = (name: string) => (header as string[]).indexOf(name);
  const cell = (row: string[], name: string) => row[col(name)] ?? '';

  const expenses = rows.filter((r) => cell(r, 'Type') === 'expense');
  const payments = rows.filter((r) => cell(r, 'Type') === 'payment');
  expect(expenses).toHaveLength(2);
  expect(payments).toHaveLength(1);
  for (const r of rows) {
    expect(cell(r, 'Date')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(cell(r, 'Currency')).toBe('CNY');
    expect(cell(r, 'Entry id')).toMatch(/^[0-9a-f]{64}$/);
  }
  const groceries = expenses.find((r) => cell(r, 'Description') === '超市 Groceries');
  expect(groceries && cell(groceries, 'Note')).toBe('Milk, eggs and "organic" bread');
  expect(groceries && cell(groceries, 'Category')).toBe('groceries');
  expect(payments[0] && cell(payments[0], 'Description')).toBe('Bo → Ann');

  // The shares of each expense add up exactly to its amount.
  for (const r of expenses) {
    expect(toMinor(cell(r, 'Share: Ann')) + toMinor(cell(r, 'Share: Bo'))).toBe(toMinor(cell(r, 'Amount')));
  }
  // Totals: every expense and payment is there, and the balances follow from the rows.
  const sum = (list: string[][], name: string) => list.reduce((s, r) => s + toMinor(cell(r, name)), 0);
  expect(sum(expenses, 'Amount')).toBe(18_240 + 12_000);
  expect(sum(payments, 'Amount')).toBe(2_000);
  const net: Record<string, number> = { Ann: 0, Bo: 0 };
  for (const r of expenses) {
    net[cell(r, 'Paid by')]! += toMinor(cell(r, 'Amount'));
    for (const m of ['Ann', 'Bo']) net[m]! -= toMinor(cell(r, `Share: ${m}`));
  }
  for (const r of payments) {
    net[cell(r, 'From')]! += toMinor(cell(r, 'Amount'));
    net[cell(r, 'To')]! -= toMinor(cell(r, 'Amount'));
  }
  expect(net).toEqual(shown);
});

test('JSON backup: download, a tampered copy is refused, the real one restores missing entries offline', async ({
  device,
}) => {
  test.setTimeout(150_000);
  const ann = await device('Ann');
  const bo = await device('Bo');
  const { groupId } = await startGroup([ann, bo]);
  await addExpense(ann.page, { description: 'Rent', amount: '4500.00' });
  await openGroup(bo.page, groupId, 'expenses');
  await expect(expenseRow(bo.page, 'Rent')).toBeVisible({ timeout: SYNC_TIMEOUT });
  await expectSynced(bo.page);

  // Bo goes offline; Ann adds an expense Bo therefore does not get through the relay.
  await bo.network.setOffline(true);
  await addExpense(ann.page, { description: 'Pizza', amount: '98.00' });
  await expectSynced(ann.page);

  await openTab(ann.page, 'export');
  const { file, bytes } = await download(ann.page, 'export-backup');
  expect(file.suggestedFilename()).toMatch(/^flat-3b-backup-\d{4}-\d{2}-\d{2}\.json$/);
  const backup = JSON.parse(bytes.toString('utf8')) as { format: string; groupId: string; entries: string[] };
  expect(backup.format).toBe('tally-backup');
  expect(backup.groupId).toBe(groupId);
  // group.created, Bo's member.joined, two expenses.
  expect(backup.entries).toHaveLength(4);
  await expect(ann.page.getByTestId('backup-msg')).toHaveText('Backup of 4 entries saved.');

  await openGroup(bo.page, groupId, 'expenses');
  await expect(bo.page.getByTestId('expense-row')).toHaveCount(1);
  await openTab(bo.page, 'export');

  // One flipped character in the last entry's signature: the whole file is refused, nothing changes.
  const last = backup.entries.at(-1)!;
  const flipped = last.slice(0, -1) + (last.endsWith('0') ? '1' : '0');
  const tampered = JSON.stringify({ ...backup, entries: [...backup.entries.slice(0, -1), flipped] });
  await bo.page.getByTestId('restore-file').setInputFiles({
    name: 'tampered.json',
    mimeType: 'application/json',
    buffer: Buffer.from(tampered),
  });
  await expect(bo.page.getByTestId('backup-msg')).toHaveClass(/error/);
  await expect(bo.page.getByTestId('backup-msg')).not.toBeEmpty();
  await openTab(bo.page, 'expenses');
  await expect(bo.page.getByTestId('expense-row')).toHaveCount(1);

  // The real backup brings Pizza to Bo without any network.
  await openTab(bo.page, 'export');
  await bo.page.getByTestId('restore-file').setInputFiles({
    name: file.suggestedFilename(),
    mimeType: 'application/json',
    buffer: bytes,
  });
  await expect(bo.page.getByTestId('backup-msg')).toHaveText(
    'Restored: 1 new entries added, 3 already present, 0 refused.',
  );
  await openTab(bo.page, 'expenses');
  await expect(expenseRow(bo.page, 'Pizza')).toBeVisible();
  await expect(bo.page.getByTestId('expense-row')).toHaveCount(2);
  await openTab(bo.page, 'balances');
  const boSees = await readBalances(bo.page);
  await openTab(ann.page, 'balances');
  expect(boSees).toEqual(await readBalances(ann.page));
  expect(boSees).toEqual({ Ann: 229_900, Bo: -229_900 });

  // Back online, the relay delivers the same entries again: they collapse, nothing is doubled.
  await bo.network.setOffline(false);
  await openTab(bo.page, 'expenses');
  await expectSynced(bo.page);
  await bo.page.reload();
  await openGroup(bo.page, groupId, 'expenses');
  await expect(bo.page.getByTestId('expense-row')).toHaveCount(2);
  await expectSynced(bo.page);
  await expect(bo.page.getByTestId('expense-row')).toHaveCount(2);
});
