/**
 * Bad input gets a clear message next to the field and changes nothing: not on screen, not in
 * storage (checked again after a reload, which rebuilds everything from IndexedDB).
 */
import {
  addExpense,
  createGroup,
  expect,
  fillExpense,
  firstRun,
  openGroup,
  openTab,
  readBalances,
  selectMember,
  startGroup,
  test,
} from './fixtures';

test('invalid amounts and splits are refused with an inline error and nothing is saved', async ({
  device,
}) => {
  const ann = await device('Ann');
  const bo = await device('Bo');
  const { groupId } = await startGroup([ann, bo]);
  const page = ann.page;
  await addExpense(page, { description: 'Rent', amount: '4500.00' });
  const rows = page.getByTestId('expense-row');
  await expect(rows).toHaveCount(1);

  // Three decimals for a two-decimal currency.
  await page.getByTestId('add-expense').click();
  await fillExpense(page, { description: 'Groceries', amount: '12.345' });
  await page.getByTestId('save-expense').click();
  await expect(page.getByTestId('error-amount')).toHaveText('Too many decimal places for this currency.');
  await expect(page.getByTestId('expense-amount-input')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert')).toHaveText(
    'Please fix the highlighted fields. Nothing has been saved.',
  );
  await expect(page.getByTestId('expense-form')).toBeVisible(); // still editing, not navigated away

  // An exact split that does not add up to the total.
  await fillExpense(page, { amount: '100.00' });
  await page.getByTestId('split-mode-exact').check();
  await page.getByTestId('split-value').nth(0).fill('60.00');
  await page.getByTestId('split-value').nth(1).fill('30.00');
  await page.getByTestId('save-expense').click();
  await expect(page.getByTestId('error-amount')).toHaveCount(0);
  await expect(page.getByTestId('error-split')).toHaveText(
    'The amounts add up to 90.00, but the total is 100.00.',
  );
  // The same split that does add up is accepted by the form (so the refusal above was about the sum).
  await page.getByTestId('split-value').nth(1).fill('40.00');
  await expect(page.getByTestId('split-share').nth(1)).toHaveText('CN¥40.00');
  await page.getByTestId('split-value').nth(1).fill('30.00');
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByTestId('expense-form')).toBeVisible();

  // Leaving the form saves nothing; neither does a reload.
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page.getByTestId('expenses-tab')).toBeVisible();
  await expect(rows).toHaveCount(1);
  await page.reload();
  await openGroup(page, groupId, 'expenses');
  await expect(page.getByTestId('expense-count')).toHaveText('1 expense');
  await expect(rows).toHaveCount(1);

  // Payments: 12.345 is refused the same way, and so is paying oneself.
  await openTab(page, 'balances');
  const balancesBefore = await readBalances(page);
  await selectMember(page.getByTestId('payment-from'), 'Bo');
  await selectMember(page.getByTestId('payment-to'), 'Ann');
  await page.getByTestId('payment-amount').fill('12.345');
  await page.getByTestId('record-payment').click();
  await expect(page.getByTestId('payment-error')).toHaveText('Too many decimal places for this currency.');
  await expect(page.getByRole('alert')).toHaveCount(1);
  await page.getByTestId('payment-amount').fill('12.34');
  await selectMember(page.getByTestId('payment-to'), 'Bo');
  await page.getByTestId('record-payment').click();
  await expect(page.getByTestId('payment-error')).toHaveText('Choose two different people.');
  await expect(page.getByTestId('payment-history')).toContainText('No payments recorded yet.');
  await page.reload();
  await openGroup(page, groupId, 'balances');
  await expect(page.getByTestId('payment-row')).toHaveCount(0);
  expect(await readBalances(page)).toEqual(balancesBefore);
});

test('an invalid invite link is explained and joins nothing', async ({ device }) => {
  const { page } = await device('Bo');
  await firstRun(page, 'Bo');
  const { invite } = await createGroup(page, 'Flat 3B', 'CNY');
  await page.goto('/#/');
  await expect(page.getByTestId('group-row')).toHaveCount(1);

  const key = /#key=(.+)$/.exec(invite)?.[1] ?? '';
  const bad: [string, string][] = [
    ['just some text', 'This is not a Tally invite link.'],
    ['https://example.com/', 'This is not a Tally invite link.'],
    [invite.slice(0, -5), 'The link does not contain a valid group key. Was it cut off?'],
    [
      invite.replace(/#key=.+$/, `&key=${key}`),
      'This link is unsafe: the group key must be after the #, never in the query. Ask for a new link.',
    ],
    [
      invite.replace(/relay=[^&]+/, 'relay=http%3A%2F%2Fexample.com'),
      'The link does not name a valid relay (it must start with ws:// or wss://).',
    ],
    [invite.replace(/group=[0-9a-f]+/, 'group=xyz'), 'The link does not contain a valid group id.'],
  ];
  await page.getByTestId('join-group-link').click();
  const field = page.getByTestId('join-link');
  for (const [link, message] of bad) {
    await field.fill(link);
    await page.getByTestId('join-check').click();
    await expect(page.getByRole('alert')).toHaveText(message);
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('join-preview')).toHaveCount(0);
    await expect(page).toHaveURL(/#\/join$/);
  }
  // Editing the field clears the error.
  await field.fill('wallet://');
  await expect(page.getByRole('alert')).toHaveCount(0);

  await page.goto('/#/');
  await expect(page.getByTestId('group-row')).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('group-row')).toHaveCount(1);
  await expect(page.getByTestId('sidebar-groups').getByRole('link')).toHaveCount(1);
});

test('first run and new group refuse empty names', async ({ device }) => {
  const { page } = await device('Cy');
  await page.goto('/');
  await page.getByTestId('welcome-submit').click();
  await expect(page.getByRole('alert')).toHaveText('Please enter a name.');
  await page.reload();
  await expect(page.getByTestId('welcome')).toBeVisible(); // no identity was created

  await firstRun(page, 'Cy');
  await page.getByTestId('new-group-link').click();
  await page.getByTestId('new-group-name').fill('   ');
  await page.getByTestId('new-group-submit').click();
  await expect(page.getByRole('alert')).toHaveText('Please enter a group name.');
  await page.goto('/#/');
  await expect(page.getByTestId('group-row')).toHaveCount(0);
});
