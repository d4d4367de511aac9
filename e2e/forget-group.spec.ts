/**
 * "Forget this group on this device" (issue 12 §1): a confirmation that offers a backup first,
 * then the group's data and keys are gone from this device, for good (a reload does not bring it
 * back), while another device of the group keeps it.
 */
import { createGroup, expect, firstRun, joinGroup, openGroup, openTab, SYNC_TIMEOUT, test } from './fixtures';

test('forgets a group on one device only, after a confirmation offering a backup', async ({ device }) => {
  const ann = await device('Ann');
  const bo = await device('Bo');
  await firstRun(ann.page, 'Ann');
  await firstRun(bo.page, 'Bo');
  const { groupId, invite } = await createGroup(ann.page, 'Flat 3B', 'CNY');
  await joinGroup(bo.page, invite, 'Flat 3B');

  await openGroup(bo.page, groupId);
  await openTab(bo.page, 'export');
  await bo.page.getByTestId('forget-start').click();
  await expect(bo.page.getByTestId('forget-backup')).toBeVisible();
  await bo.page.getByTestId('forget-cancel').click();
  await expect(bo.page.getByTestId('forget-confirm')).toHaveCount(0);

  await bo.page.getByTestId('forget-start').click();
  await bo.page.getByTestId('forget-confirm').click();
  await expect(bo.page.getByTestId('groups-screen')).toBeVisible();
  await expect(bo.page.locator(`a[href="#/g/${groupId}"]`)).toHaveCount(0);
  await bo.page.reload();
  await expect(bo.page.getByTestId('groups-screen')).toBeVisible();
  await expect(bo.page.locator(`a[href*="${groupId}"]`)).toHaveCount(0);

  // Ann's device still has it, with Bo as a member.
  await openGroup(ann.page, groupId, 'expenses');
  await expect(ann.page.getByTestId('member-balance')).toHaveCount(2, { timeout: SYNC_TIMEOUT });
});
