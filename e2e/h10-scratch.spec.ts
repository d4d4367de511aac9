import { expect, expectSynced, openGroup, startGroup, test } from './fixtures';
test('scratch: error after reconnect', async ({ device }) => {
  const ann = await device('Ann');
  const bo = await device('Bo');
  const { groupId } = await startGroup([ann, bo]);
  await openGroup(bo.page, groupId, 'expenses');
  await expectSynced(bo.page);
  await bo.network.setOffline(true);
  await expect(bo.page.getByTestId('sync-status')).not.toHaveAttribute('data-status', 'synced');
  for (let i = 0; i < 8; i++) { console.log(i, await bo.page.getByTestId('sync-status').getAttribute('data-status'), await bo.page.getByTestId('group-error').count()); await bo.page.waitForTimeout(1000); }
  await bo.network.setOffline(false);
  await expectSynced(bo.page);
  console.log('after', await bo.page.getByTestId('group-error').count(), await bo.page.getByTestId('group-error').textContent().catch(() => ''));
});
