/**
 * Moving out (issue 12 §1, docs/protocol.md §13): three roommates; Bo owes money, hands his debt
 * over to Chen, who accepts, and leaves. Ann and Chen carry on (a new expense is split between the
 * two of them), and what Bo writes after leaving counts nowhere.
 */
import {
  addExpense,
  expect,
  expectBalancesEverywhere,
  openGroup,
  openTab,
  SYNC_TIMEOUT,
  selectMember,
  startGroup,
  test,
} from './fixtures';

test('a roommate hands over his balance, leaves, and the others carry on', async ({ device }) => {
  const ann = await device('Ann');
  const bo = await device('Bo');
  const chen = await device('Chen');
  const { groupId } = await startGroup([ann, bo, chen]);

  // Ann pays 90.00 for the three of them: Bo and Chen owe 30.00 each.
  await addExpense(ann.page, { description: 'Groceries', amount: '90.00' });
  await expectBalancesEverywhere([ann, bo, chen], groupId, { Ann: 6000, Bo: -3000, Chen: -3000 });

  // Bo opens "Leave group": his debt is shown, and he hands it over to Chen.
  await openGroup(bo.page, groupId, 'balances');
  await bo.page.getByTestId('leave-start').click();
  await expect(bo.page.getByTestId('leave-balance')).toContainText('30.00');
  await selectMember(bo.page.getByTestId('handover-to'), 'Chen');
  await bo.page.getByTestId('handover-send').click();
  await expect(bo.page.getByTestId('handover-waiting')).toContainText('Chen');

  // Nothing moves until Chen accepts.
  await openGroup(chen.page, groupId, 'balances');
  const offer = chen.page.getByTestId('handover-offer');
  await expect(offer).toContainText('Bo', { timeout: SYNC_TIMEOUT });
  await expect(offer).toContainText('30.00');
  await offer.getByTestId('handover-accept').click();
  await expectBalancesEverywhere([ann, bo, chen], groupId, { Ann: 6000, Bo: 0, Chen: -6000 });

  // Bo leaves; everyone sees him as having left.
  await openTab(bo.page, 'balances');
  await bo.page.getByTestId('leave-start').click();
  await expect(bo.page.getByTestId('leave-balance')).toHaveCount(0);
  await bo.page.getByTestId('leave-confirm').click();
  await expect(bo.page.getByTestId('members-departed')).toBeVisible();
  for (const d of [ann, chen]) {
    await openGroup(d.page, groupId, 'balances');
    await expect(d.page.locator(`[data-testid="member-line"][data-status="left"]`)).toContainText('Bo', {
      timeout: SYNC_TIMEOUT,
    });
    await expect(d.page.getByText('2 members · CNY')).toBeVisible();
  }

  // Ann and Chen carry on: a new expense is split between the two of them only.
  await addExpense(chen.page, { description: 'Bread', amount: '20.00' });
  // Bo, still on the old screen, writes a message: it reaches the others but counts nowhere.
  await openTab(bo.page, 'chat');
  await bo.page.getByTestId('chat-input').fill('I still live here');
  await bo.page.getByTestId('chat-send').click();

  await expectBalancesEverywhere([ann, chen], groupId, { Ann: 5000, Bo: 0, Chen: -5000 });
  await openTab(ann.page, 'reconcile');
  await expect(ann.page.locator('[data-testid="problem-item"][data-code="author_departed"]')).toHaveCount(1, {
    timeout: SYNC_TIMEOUT,
  });
  await openTab(ann.page, 'chat');
  await expect(ann.page.getByTestId('chat-message').filter({ hasText: 'I still live here' })).toHaveCount(0);
});
