/**
 * Removal (issue 12 §1, docs/protocol.md §13): the creator removes a member whose balance is zero.
 * The removed member's own screen says so; the others see them as removed, a "was removed" line
 * in the Review feed, and a warning on the recurring rule that still names them, with "Edit rule".
 */
import {
  expect,
  fillExpense,
  localDatePlus,
  openGroup,
  openTab,
  SYNC_TIMEOUT,
  startGroup,
  test,
} from './fixtures';

test('the creator removes a member with a zero balance; everyone sees it', async ({ device }) => {
  const ann = await device('Ann');
  const bo = await device('Bo');
  const chen = await device('Chen');
  const { groupId } = await startGroup([ann, bo, chen]);

  // Monthly rent from tomorrow, split between all three: nobody owes anything yet.
  await openTab(ann.page, 'expenses');
  await ann.page.getByTestId('add-expense').click();
  await fillExpense(ann.page, {
    description: 'Rent',
    amount: '900.00',
    date: await localDatePlus(ann.page, 1),
  });
  await ann.page.getByTestId('repeat-freq').selectOption('monthly');
  await ann.page.getByTestId('save-expense').click();
  await expect(ann.page.getByTestId('expenses-tab')).toBeVisible();
  await expect(ann.page.getByTestId('departed-rule-warning')).toHaveCount(0);

  // Bo has looked at the feed before: what comes next is new to him.
  await openGroup(bo.page, groupId, 'reconcile');
  // (The feed names a new recurring rule only as a change.)
  await expect(
    bo.page.getByTestId('arrival-item').filter({ hasText: 'Changed a group setting' }),
  ).toHaveCount(1, {
    timeout: SYNC_TIMEOUT,
  });
  await bo.page.getByTestId('mark-seen').click();
  await expect(bo.page.getByTestId('arrivals-empty')).toBeVisible();

  // Ann, the creator, removes Chen.
  await openGroup(ann.page, groupId, 'balances');
  const chenLine = ann.page.getByTestId('member-line').filter({ hasText: 'Chen' });
  await chenLine.getByTestId('member-remove').click();
  await chenLine.getByTestId('member-remove-confirm').click();
  await expect(chenLine).toHaveAttribute('data-status', 'removed');

  // Chen's own screen says so.
  await openGroup(chen.page, groupId, 'balances');
  await expect(chen.page.getByTestId('members-departed')).toContainText('You were removed', {
    timeout: SYNC_TIMEOUT,
  });

  // Bo, still on Review, gets a feed line for it (leaving the tab counts as having seen it),
  // and sees Chen as removed among the members.
  await expect(bo.page.getByTestId('arrival-item').filter({ hasText: 'Chen was removed' })).toHaveCount(1, {
    timeout: SYNC_TIMEOUT,
  });
  await openTab(bo.page, 'balances');
  await expect(bo.page.locator('[data-testid="member-line"][data-status="removed"]')).toContainText('Chen');

  // The rent rule still splits with Chen: a warning with "Edit rule", which opens the next rent.
  await openTab(ann.page, 'expenses');
  const warning = ann.page.getByTestId('departed-rule-warning');
  await expect(warning).toHaveCount(1);
  await expect(warning).toContainText('Rent');
  await expect(warning).toContainText('Chen');
  await warning.getByTestId('departed-rule-edit').click();
  await expect(ann.page).toHaveURL(/#\/g\/[0-9a-f]{32}\/expenses\/[0-9a-f]{64}\/\d{4}-\d{2}-\d{2}/);
  // From this one on, without Chen: the warning goes.
  await ann.page.getByTestId('occurrence-scope-following').check();
  await ann.page.getByTestId('split-row').filter({ hasText: 'Chen' }).getByTestId('split-include').uncheck();
  await ann.page.getByTestId('save-expense').click();
  await expect(ann.page.getByTestId('expenses-tab')).toBeVisible();
  await expect(ann.page.getByTestId('departed-rule-warning')).toHaveCount(0);
});
