/**
 * Payments and requests that make sense, and a status that tells the truth (issue 12, §4–5):
 * a request starts from what is owed and warns when nothing is; paying beyond the debt asks
 * first; a payment can be undone; the request's note reaches the payment; the status says
 * offline when the browser is, and counts the changes waiting to be sent; one review count.
 */
import {
  addExpense,
  expect,
  expectSynced,
  openGroup,
  openTab,
  SYNC_TIMEOUT,
  startGroup,
  test,
} from './fixtures';

test('requests default to the debt, payments ask before over-paying and can be undone, the status is honest', async ({
  device,
}) => {
  test.setTimeout(180_000);
  const ann = await device('Ann');
  const bo = await device('Bo');
  const { groupId } = await startGroup([ann, bo], 'Concert', 'EUR');

  // Bo pays 25.00 for both: Ann owes Bo 12.50.
  await addExpense(bo.page, { description: 'Tickets', amount: '25.00', paidBy: 'Bo' });
  await openGroup(ann.page, groupId, 'expenses');
  await expect(ann.page.getByTestId('expense-row')).toHaveCount(1, { timeout: SYNC_TIMEOUT });

  // One review count: the sidebar and the tab say the same, and seeing the feed clears both.
  const sidebarBadge = ann.page.getByTestId('sidebar-review-badge');
  const tabBadge = ann.page.getByTestId('reconcile-badge');
  // Bo joined and added the tickets: two lines in the feed, the same number in both places.
  const badges = async () => [
    await tabBadge.textContent().catch(() => null),
    await sidebarBadge
      .locator('[aria-hidden="true"]')
      .textContent()
      .catch(() => null),
  ];
  await expect.poll(badges, { timeout: SYNC_TIMEOUT }).toEqual(['2', '2']);
  await openTab(ann.page, 'reconcile');
  await expect(ann.page.getByTestId('arrival-item').filter({ hasText: 'Tickets' })).toHaveCount(1);
  await openTab(ann.page, 'expenses');
  await expect(tabBadge).toHaveCount(0);
  await expect(sidebarBadge).toHaveCount(0);

  // The request form starts from the debt, and carries a note.
  await openGroup(bo.page, groupId, 'chat');
  await bo.page.getByTestId('open-request').click();
  await expect(bo.page.getByTestId('request-amount')).toHaveValue('12.50');
  await expect(bo.page.getByTestId('request-hint')).toHaveAttribute('data-status', 'owed');
  await bo.page.getByTestId('request-form').getByLabel('Note').fill('Concert tickets');
  await bo.page.getByTestId('send-request').click();

  // Ann pays it (exactly the debt: no question), undoes it, and pays again.
  await openGroup(ann.page, groupId, 'chat');
  const card = ann.page.getByTestId('chat-request-card');
  await expect(card).toHaveAttribute('data-status', 'open', { timeout: SYNC_TIMEOUT });
  await expect(card.getByTestId('request-note')).toHaveText('Concert tickets');
  await card.getByTestId('pay-request').click();
  await expect(card).toHaveAttribute('data-status', 'paid');
  await expect(card.getByTestId('overpay-confirm')).toHaveCount(0);
  await card.getByTestId('undo-payment').click();
  await expect(card.getByTestId('payment-undone')).toBeVisible();
  await expect(card).toHaveAttribute('data-status', 'open');
  await openGroup(bo.page, groupId, 'chat');
  await expect(bo.page.getByTestId('chat-payment-card')).toContainText('Payment deleted', {
    timeout: SYNC_TIMEOUT,
  });
  await card.getByTestId('pay-request').click();
  await expect(card).toHaveAttribute('data-status', 'paid');

  // The payment carries the request's note; settled, the plan is empty on both devices.
  for (const d of [ann, bo]) {
    await openGroup(d.page, groupId, 'balances');
    await expect(d.page.getByTestId('plan-empty')).toBeVisible({ timeout: SYNC_TIMEOUT });
    const live = d.page.locator('[data-testid="payment-row"]:not(.deleted)');
    await expect(live).toHaveCount(1);
    await expect(live).toContainText('Concert tickets');
  }

  // Asking again: nothing is owed, the form says so, and a request can still be sent.
  await openGroup(bo.page, groupId, 'chat');
  await bo.page.getByTestId('open-request').click();
  await expect(bo.page.getByTestId('request-amount')).toHaveValue('');
  await expect(bo.page.getByTestId('request-warning')).toHaveAttribute('data-status', 'nothing_owed');
  await bo.page.getByTestId('request-amount').fill('12.50');
  await bo.page.getByTestId('send-request').click();

  // Paying it would make Bo owe Ann: the app asks, and "Cancel" records nothing.
  await openGroup(ann.page, groupId, 'chat');
  const again = ann.page.locator('[data-testid="chat-request-card"][data-status="open"]');
  await expect(again).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  await again.getByTestId('pay-request').click();
  await expect(again.getByTestId('overpay-confirm')).toContainText('owes Bo nothing');
  await again.getByTestId('overpay-cancel').click();
  await expect(again).toHaveAttribute('data-status', 'open');
  await openTab(ann.page, 'balances');
  await expect(ann.page.locator('[data-testid="payment-row"]:not(.deleted)')).toHaveCount(1);

  // The browser goes offline while its socket stays open (Chromium's emulation): not "Synced".
  const status = ann.page.getByTestId('sync-status');
  await expectSynced(ann.page);
  await ann.context.setOffline(true);
  await expect(status).toHaveAttribute('data-status', 'offline');
  await expect(status.getByTestId('sync-last')).toBeVisible();
  await ann.context.setOffline(false);
  await expectSynced(ann.page);

  // Really offline (sockets closed): what Ann writes waits, and is counted until it is sent.
  await ann.network.setOffline(true);
  await expect(status).toHaveAttribute('data-status', 'offline', { timeout: SYNC_TIMEOUT });
  await openTab(ann.page, 'chat');
  for (const text of ['on the train', 'still on the train']) {
    await ann.page.getByTestId('chat-input').fill(text);
    await ann.page.getByTestId('chat-send').click();
  }
  await expect(status).toHaveAttribute('data-unsent', '2');
  await expect(status.getByTestId('sync-unsent')).toHaveText('2 changes waiting to be sent');
  await ann.network.setOffline(false);
  await expectSynced(ann.page);
  await expect(status).toHaveAttribute('data-unsent', '0');
  await expect(status.getByTestId('sync-unsent')).toHaveCount(0);
  await openGroup(bo.page, groupId, 'chat');
  await expect(bo.page.getByTestId('chat-message').getByText('still on the train')).toBeVisible({
    timeout: SYNC_TIMEOUT,
  });
});
