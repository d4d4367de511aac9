/**
 * The browser build starts with no network after its first visit (issue 13: a service worker
 * precaches the app shell), and shows the data this device holds.
 */
import { addExpense, createGroup, expect, firstRun, test } from './fixtures';

test('after one visit, the app starts and shows its groups with the network off', async ({ device }) => {
  const ann = await device('Ann');
  await firstRun(ann.page, 'Ann');
  // The service worker installs and takes control on the first visit.
  await ann.page.waitForFunction(async () => {
    const registration = await navigator.serviceWorker.ready;
    return registration.active?.state === 'activated';
  });
  await createGroup(ann.page, 'Flat 3B', 'CNY');
  await addExpense(ann.page, { description: 'Groceries', amount: '42.00' });

  await ann.network.setOffline(true);
  await ann.page.goto('/');
  await expect(ann.page.getByTestId('groups-screen')).toBeVisible();
  await expect(ann.page.getByText('Flat 3B').first()).toBeVisible();
  await ann.page.getByText('Flat 3B').first().click();
  await expect(ann.page.getByText('Groceries').first()).toBeVisible();
});
