/**
 * The app lock in Chromium (docs/threat-model.md, "App lock"): a passcode at first run and its
 * recovery key shown once; privacy mode; the spending limit's passcode re-check; locking leaves
 * no group name or amount in the page; wrong passcodes make the next try wait; the right one
 * unlocks; at restart the lock screen comes first, and the recovery key opens it too.
 */
import { addExpense, createGroup, expect, expenseRow, fillExpense, openTab, test } from './fixtures';

// The test's own artifacts only: another spec's run may clear the shared trace folder.
test.use({ trace: 'off' });

const PASSCODE = 'blue-door-42';
const GROUP = 'Zebra Lounge 7731';
const DESCRIPTION = 'Quokka tacos';

test('passcode, recovery key, privacy mode, limit, lock and unlock', async ({ device }) => {
  const { page } = await device('Quentin');
  await page.goto('/');

  // First run: the name, then the offered passcode; the recovery key is shown once.
  await page.getByTestId('welcome-name').fill('Quentin');
  await page.getByTestId('passcode-new').fill(PASSCODE);
  await page.getByTestId('passcode-repeat').fill(PASSCODE);
  await page.getByTestId('welcome-submit').click();
  const recovery = (await page.getByTestId('recovery-key').textContent())?.trim() ?? '';
  expect(recovery.length).toBeGreaterThan(20);
  await expect(page.getByTestId('recovery-key-notice')).toContainText('gone if you forget the passcode');
  await expect(page.getByTestId('recovery-done')).toBeDisabled();
  await page.getByTestId('recovery-written').check();
  await page.getByTestId('recovery-done').click();
  await expect(page.getByTestId('groups-screen')).toBeVisible();

  await createGroup(page, GROUP, 'EUR');
  await addExpense(page, { description: DESCRIPTION, amount: '42.50' });
  const row = expenseRow(page, DESCRIPTION);
  await expect(row).toContainText('42.50');

  // Privacy mode: amounts hidden until one is clicked.
  await page.getByTestId('privacy-toggle').click();
  await expect(row).not.toContainText('42.50');
  await expect(row).toContainText('•••');
  await row.getByText('•••').first().click();
  await expect(row).toContainText('42.50');
  await page.getByTestId('privacy-toggle').click();

  // A limit of €10: recording more asks for the passcode again.
  await page.goto('/#/settings');
  await page.getByTestId('limit-currency').selectOption('EUR');
  await page.getByTestId('limit-amount').fill('10.00');
  await page.getByTestId('limit-save').click();
  await expect(page.getByTestId('limits-list')).toContainText('10.00');
  await page.goBack();
  await openTab(page, 'expenses');
  await page.getByTestId('add-expense').click();
  await fillExpense(page, { description: 'Big rug', amount: '99.00' });
  await page.getByTestId('save-expense').click();
  await expect(page.getByTestId('spend-guard')).toBeVisible();
  await page.getByTestId('spend-guard-passcode').fill('not-it-000');
  await page.getByTestId('spend-guard-confirm').click();
  await expect(page.getByTestId('spend-guard')).toContainText('Wrong passcode');
  await page.getByTestId('spend-guard-passcode').fill(PASSCODE);
  await page.getByTestId('spend-guard-confirm').click();
  await expect(expenseRow(page, 'Big rug')).toBeVisible();

  // Lock: nothing of the wallet stays in the page.
  await page.getByTestId('lock-button').click();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  const html = await page.content();
  for (const secret of [GROUP, DESCRIPTION, '42.50', 'Big rug', 'Quentin'])
    expect(html).not.toContain(secret);

  // Wrong passcodes: the fourth try has to wait.
  for (let i = 0; i < 3; i++) {
    await page.getByTestId('lock-passcode').fill(`wrong-${i}-xyz`);
    await page.getByTestId('lock-submit').click();
    await expect(page.getByTestId('lock-error')).toContainText('Wrong passcode');
  }
  await expect(page.getByTestId('lock-wait')).toBeVisible();
  await expect(page.getByTestId('lock-submit')).toBeDisabled();
  await expect(page.getByTestId('lock-submit')).toBeEnabled({ timeout: 5_000 });
  await page.getByTestId('lock-passcode').fill(PASSCODE);
  await page.getByTestId('lock-submit').click();
  await expect(page.getByTestId('lock-screen')).toHaveCount(0);
  await expect(page.getByTestId('group-name')).toHaveText(GROUP);

  // A restart: the lock screen comes first; the recovery key opens it and asks for a new passcode.
  await page.reload();
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  expect(await page.content()).not.toContain(GROUP);
  await page.getByTestId('lock-switch-mode').click();
  await page.getByTestId('lock-recovery-key').fill(recovery);
  await page.getByTestId('lock-submit').click();
  await expect(page.getByTestId('renew-passcode')).toBeVisible();
  await page.getByTestId('passcode-new').fill('green-gate-77');
  await page.getByTestId('passcode-repeat').fill('green-gate-77');
  await page.getByTestId('passcode-save').click();
  const next = (await page.getByTestId('recovery-key').textContent())?.trim();
  expect(next).not.toBe(recovery);
  await page.getByTestId('recovery-written').check();
  await page.getByTestId('recovery-done').click();
  await expect(page.getByTestId('group-name')).toHaveText(GROUP);
});
