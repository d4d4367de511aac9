/**
 * One person, several devices (issue 12 §2, docs/protocol.md §16): Ann links her laptop from her
 * first device with the link (the QR code shown beside it carries the same text), confirms it, and
 * the laptop then writes offline while Ann's first device writes too. Everything converges with no
 * fork: every expense counts, and balances show one Ann, not one per device.
 */
import {
  addExpense,
  expect,
  expectBalancesEverywhere,
  openGroup,
  SYNC_TIMEOUT,
  startGroup,
  test,
} from './fixtures';

test('a second device linked by QR writes offline and converges without a fork', async ({ device }) => {
  const ann = await device('Ann');
  const bo = await device('Bo');
  const laptop = await device('Ann’s laptop');
  const { groupId } = await startGroup([ann, bo]);

  // Ann's first device: Settings → Your devices → Link a new device shows the link and its QR code.
  await ann.page.goto('/#/settings');
  await ann.page.getByTestId('device-link-start').click();
  const linkText = ann.page.getByTestId('device-link-text');
  await expect(linkText).toHaveValue(/^tally:\/\/link\?relay=.*#secret=[0-9a-f]{64}$/);
  await expect(ann.page.getByTestId('device-link-qr')).toBeVisible();
  const link = await linkText.inputValue();

  // The new device opens the link (the OS hands tally://link… to the app, which routes it to
  // "This is a new device: link it" with the link filled in).
  await laptop.page.goto(`/#/link?${new URLSearchParams({ link }).toString()}`);
  await expect(laptop.page.getByTestId('welcome-link-text')).toHaveValue(link);
  await laptop.page.getByTestId('welcome-link-name').fill('Laptop 2');
  await laptop.page.getByTestId('welcome-link-submit').click();

  // Ann confirms on her first device; nothing is granted before.
  const ask = ann.page.getByTestId('device-link-ask');
  await expect(ask).toContainText('Laptop 2', { timeout: SYNC_TIMEOUT });
  await ask.getByTestId('device-link-accept').click();
  await expect(ann.page.getByTestId('device-link-msg')).toContainText('Laptop 2', { timeout: SYNC_TIMEOUT });

  // The laptop is Ann, with Ann's group; the group still has two members.
  await expect(laptop.page.getByTestId('groups-screen')).toBeVisible({ timeout: SYNC_TIMEOUT });
  await openGroup(laptop.page, groupId, 'expenses');
  await expect(laptop.page.getByText('2 members · CNY')).toBeVisible({ timeout: SYNC_TIMEOUT });
  await ann.page.goto('/#/settings');
  await expect(ann.page.getByTestId('device-row')).toContainText('Laptop 2', { timeout: SYNC_TIMEOUT });

  // The laptop goes offline and writes; Ann's first device writes meanwhile.
  await laptop.network.setOffline(true);
  await addExpense(laptop.page, { description: 'Taxi', amount: '40.00' });
  await openGroup(ann.page, groupId, 'expenses');
  await addExpense(ann.page, { description: 'Groceries', amount: '60.00' });
  await laptop.network.setOffline(false);

  // Both writes count once, for one Ann: 100.00 paid by Ann for Ann and Bo.
  await expectBalancesEverywhere([ann, bo, laptop], groupId, { Ann: 5000, Bo: -5000 });
  for (const d of [ann, bo, laptop]) {
    await openGroup(d.page, groupId, 'expenses');
    await expect(d.page.getByTestId('expense-row')).toHaveCount(2, { timeout: SYNC_TIMEOUT });
    await expect(d.page.getByText('2 members · CNY')).toBeVisible();
  }
});
