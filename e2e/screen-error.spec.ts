/**
 * A screen whose code cannot be loaded (a dropped connection to the web host) shows an error in
 * its place, with "Try again", instead of taking the whole app down; the rest keeps working.
 */
import { createGroup, expect, firstRun, openTab, test } from './fixtures';

test('a screen that fails to load is explained in place and loads on "Try again"', async ({ device }) => {
  const ann = await device('Ann');
  const page = ann.page;
  // The chat tab's code chunk cannot be fetched (also the background preload of it).
  const chatChunk = /\/assets\/ChatTab-[^/]*\.js$/;
  await page.route(chatChunk, (route) => route.abort('connectionreset'));
  await firstRun(page, 'Ann');
  await createGroup(page, 'Flat 3B', 'CNY');

  await page.getByTestId('tab-chat').click();
  const error = page.getByTestId('screen-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('This screen could not be shown.');
  // The rest of the app still works: the group's header, its other tabs, the sidebar.
  await expect(page.getByTestId('group-name')).toHaveText('Flat 3B');
  await openTab(page, 'balances');
  await expect(page.getByTestId('balance-row')).toHaveCount(1);

  // Back on the chat tab it fails again while the chunk is unreachable…
  await page.getByTestId('tab-chat').click();
  await expect(error).toBeVisible();
  // …and loads once it is reachable and the user tries again.
  await page.unroute(chatChunk);
  await page.getByTestId('screen-retry').click();
  await expect(page.getByTestId('chat-tab')).toBeVisible();
  await expect(error).toHaveCount(0);
  await page.getByTestId('chat-input').fill('hello');
  await page.getByTestId('chat-send').click();
  await expect(page.getByTestId('chat-text')).toHaveText(['hello']);
});
