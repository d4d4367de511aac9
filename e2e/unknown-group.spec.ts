/**
 * An invite for a group the relay has never seen: after a full sync the app says "This relay
 * has no such group" (instead of waiting forever) and offers to remove the group from this
 * device, which survives a reload.
 */
import { expect, firstRun, RELAY_URL, SYNC_TIMEOUT, test } from './fixtures';

test('a group the relay does not know is explained and can be removed from this device', async ({
  device,
}) => {
  const { page } = await device('Bo');
  await firstRun(page, 'Bo');
  const groupId = 'c0ffee'.padEnd(32, '0');
  const key = 'A'.repeat(43);
  const invite = `wallet://join?relay=${encodeURIComponent(RELAY_URL)}&group=${groupId}#key=${key}`;
  await page.goto('/#/join');
  await page.getByTestId('join-link').fill(invite);
  await page.getByTestId('join-check').click();

  await expect(page.getByTestId('waiting-history')).toBeVisible({ timeout: SYNC_TIMEOUT });
  const problem = page.getByTestId('sync-problem');
  await expect(problem).toHaveAttribute('data-code', 'relay_has_no_group', { timeout: SYNC_TIMEOUT });
  await expect(page.getByTestId('sync-problem-title')).toHaveText('This relay has no such group');
  await expect(page.getByTestId('sync-status').first()).toHaveAttribute('data-problem', 'relay_has_no_group');

  await page.getByTestId('remove-group').click();
  await page.getByTestId('confirm-remove-group').click();
  await expect(page).toHaveURL(/#\/$/);
  await expect(page.getByTestId('group-row')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('groups-screen')).toBeVisible();
  await expect(page.getByTestId('group-row')).toHaveCount(0);
});
