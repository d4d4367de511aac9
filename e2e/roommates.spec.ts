/**
 * The roommate story of the design, with three devices (three browser contexts, three
 * identities) syncing through the in-memory relay of e2e/server.mjs.
 */
import {
  addExpense,
  createGroup,
  type Device,
  editExpenseAmount,
  expect,
  expectBalancesEverywhere,
  expectSynced,
  expenseRow,
  firstRun,
  joinGroup,
  openGroup,
  openTab,
  SYNC_TIMEOUT,
  selectMember,
  test,
} from './fixtures';

/** Net balances (minor units) for the story's expenses, given the electricity bill's amount. */
function expectedBalances(electricity: number): Record<string, number> {
  const third = electricity / 3; // 330.00 and 315.00 both split into exact thirds
  const groceries = 18_240 / 3;
  const internet = 12_000 / 3;
  return {
    Ann: electricity - third - groceries - internet,
    Bo: 18_240 - third - groceries - internet,
    Cy: 12_000 - third - groceries - internet,
  };
}

/** The amount (minor units) of the conflict version currently shown in the balances, as each device sees it. */
async function winningElectricity(d: Device, groupId: string): Promise<number> {
  await openGroup(d.page, groupId, 'reconcile');
  const conflict = d.page.getByTestId('conflict');
  await expect(conflict).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  await expect(conflict).toHaveAttribute('data-kind', 'update-update');
  await expect(conflict.getByTestId('conflict-version')).toHaveCount(2);
  const shown = conflict.locator('[data-testid="conflict-version"][data-winner]');
  await expect(shown).toHaveCount(1);
  const text = (await shown.getByTestId('version-amount').textContent()) ?? '';
  if (text.includes('330.00')) return 33_000;
  if (text.includes('315.00')) return 31_500;
  throw new Error(`unexpected winning amount "${text}" on ${d.name}'s device`);
}

test('three roommates: offline edits, a conflict, settling up and paying a request in the chat', async ({
  device,
}) => {
  test.setTimeout(240_000);
  const ann = await device('Ann');
  const bo = await device('Bo');
  const cy = await device('Cy');
  const all = [ann, bo, cy];

  // First run on every device: just a display name.
  for (const d of all) await firstRun(d.page, d.name);

  // Ann creates the group and copies the invite link; Bo and Cy paste it.
  const { groupId, invite } = await createGroup(ann.page, 'Flat 3B', 'CNY');
  const copy = ann.page.getByTestId('invite-app-link').locator('xpath=..').getByRole('button');
  await copy.click();
  await expect(copy).toHaveText('Copied');
  const pasted = await ann.page.evaluate(() => navigator.clipboard.readText());
  expect(pasted).toBe(invite);
  expect(await joinGroup(bo.page, pasted, 'Flat 3B')).toBe(groupId);
  expect(await joinGroup(cy.page, pasted, 'Flat 3B')).toBe(groupId);
  for (const d of all) {
    await openGroup(d.page, groupId, 'expenses');
    await expect(d.page.getByText('3 members · CNY')).toBeVisible({ timeout: SYNC_TIMEOUT });
    // Connected devices open bodies with libsodium's WebAssembly (the CSP lets it compile).
    await expect(d.page.locator('html')).toHaveAttribute('data-body-cipher', 'libsodium');
  }

  // Ann adds last month's electricity bill; everyone has it before the train ride.
  await addExpense(ann.page, { description: 'Electricity', amount: '300.00' });
  for (const d of [bo, cy]) {
    await expect(expenseRow(d.page, 'Electricity')).toBeVisible({ timeout: SYNC_TIMEOUT });
    await expectSynced(d.page);
  }

  // On the train: Bo and Cy are offline. Each adds an expense and edits the same bill.
  for (const d of [bo, cy]) {
    await d.network.setOffline(true);
    // y-websocket reports failed reconnects as "connecting", so both mean "not through the relay".
    await expect(d.page.getByTestId('sync-status')).toHaveAttribute('data-status', /^(offline|connecting)$/, {
      timeout: SYNC_TIMEOUT,
    });
  }
  await addExpense(bo.page, { description: 'Groceries', amount: '182.40', paidBy: 'Bo' });
  await addExpense(cy.page, { description: 'Internet', amount: '120.00', paidBy: 'Cy' });
  await editExpenseAmount(bo.page, 'Electricity', '330.00');
  await editExpenseAmount(cy.page, 'Electricity', '315.00');
  await expect(expenseRow(bo.page, 'Electricity').getByTestId('expense-amount')).toHaveText(/¥330\.00$/);
  await expect(expenseRow(cy.page, 'Electricity').getByTestId('expense-amount')).toHaveText(/¥315\.00$/);
  // Nothing reached Ann while they were offline.
  await openTab(ann.page, 'expenses');
  await expect(ann.page.getByTestId('expense-row')).toHaveCount(1);
  await expect(ann.page.getByTestId('sync-status')).toHaveAttribute('data-status', 'synced');

  // Back online: everything syncs, the concurrent edit is detected and resolved the same way everywhere.
  for (const d of [bo, cy]) await d.network.setOffline(false);
  for (const d of all) {
    await openGroup(d.page, groupId, 'expenses');
    await expect(d.page.getByTestId('expense-row')).toHaveCount(3, { timeout: SYNC_TIMEOUT });
    await expectSynced(d.page);
    // "Cannot reach the relay" from the train is gone once the relay is reached again.
    await expect(d.page.getByTestId('group-error')).toHaveCount(0);
  }
  const shown = await winningElectricity(ann, groupId);
  for (const d of [bo, cy]) expect(await winningElectricity(d, groupId)).toBe(shown);
  await expectBalancesEverywhere(all, groupId, expectedBalances(shown));

  // Ann reviews the conflict and keeps the other version: every device converges on it.
  const kept = shown === 33_000 ? 31_500 : 33_000;
  await openGroup(ann.page, groupId, 'reconcile');
  await ann.page
    .locator('[data-testid="conflict-version"]:not([data-winner])')
    .getByTestId('keep-version')
    .click();
  for (const d of all) {
    await openGroup(d.page, groupId, 'reconcile');
    await expect(d.page.getByTestId('conflicts-empty')).toBeVisible({ timeout: SYNC_TIMEOUT });
    await expect(d.page.getByTestId('conflict')).toHaveCount(0);
  }
  await expectBalancesEverywhere(all, groupId, expectedBalances(kept));

  // Settling up: Ann records every line of the proposed plan.
  await openGroup(ann.page, groupId, 'balances');
  const lines = ann.page.getByTestId('plan-line');
  const planned = await lines.count();
  expect(planned).toBeGreaterThan(0);
  expect(planned).toBeLessThanOrEqual(2); // three people never need more than two transfers
  for (let left = planned; left > 0; left--) {
    await lines.first().getByTestId('record-plan-payment').click();
    await expect(lines).toHaveCount(left - 1);
  }
  await expect(ann.page.getByTestId('plan-empty')).toBeVisible();
  await expectBalancesEverywhere(all, groupId, { Ann: 0, Bo: 0, Cy: 0 });
  for (const d of all) {
    await expect(d.page.getByTestId('plan-empty')).toBeVisible();
    await expect(d.page.getByTestId('payment-row')).toHaveCount(planned);
  }

  // The chat: a message, then a payment request that Cy pays from the chat on Cy's device.
  await openGroup(bo.page, groupId, 'chat');
  await bo.page.getByTestId('chat-input').fill('Thanks all, we are square!');
  await bo.page.getByTestId('chat-send').click();
  for (const d of all) {
    await openGroup(d.page, groupId, 'chat');
    await expect(
      d.page.getByTestId('chat-message').getByText('Thanks all, we are square!', { exact: true }),
    ).toBeVisible({ timeout: SYNC_TIMEOUT });
  }

  await ann.page.getByTestId('open-request').click();
  await selectMember(ann.page.getByTestId('request-from'), 'Cy');
  await ann.page.getByTestId('request-amount').fill('50.00');
  await ann.page.getByTestId('send-request').click();
  const request = (d: Device) => d.page.getByTestId('chat-request-card');
  for (const d of all) {
    await expect(request(d)).toHaveAttribute('data-status', 'open', { timeout: SYNC_TIMEOUT });
    await expect(request(d)).toContainText('¥50.00');
  }
  // Only the person asked can pay it.
  await expect(request(ann).getByTestId('pay-request')).toHaveCount(0);
  await expect(request(bo).getByTestId('pay-request')).toHaveCount(0);
  await request(cy).getByTestId('pay-request').click();
  // Everyone is square, so paying it would make Ann owe Cy: the app asks first.
  await expect(request(cy).getByTestId('overpay-confirm')).toContainText('Cy (you) owes Ann nothing');
  await request(cy).getByTestId('overpay-record').click();
  for (const d of all) {
    await expect(request(d)).toHaveAttribute('data-status', 'paid', { timeout: SYNC_TIMEOUT });
    await expect(request(d).getByTestId('request-status')).toHaveText('Paid');
    await expect(d.page.getByTestId('chat-payment-card').last()).toContainText('¥50.00');
  }
  await expectBalancesEverywhere(all, groupId, { Ann: -5_000, Bo: 0, Cy: 5_000 });
});
