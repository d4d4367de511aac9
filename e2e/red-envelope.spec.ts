/**
 * Lucky money in the chat (docs/red-envelopes.md): Ann sends a red envelope for two, Bo and Cy
 * open it on their own devices, and all three devices show the same shares and balances.
 */
import type { Page } from '@playwright/test';
import {
  type Device,
  expect,
  expectBalancesEverywhere,
  openGroup,
  SYNC_TIMEOUT,
  startGroup,
  test,
} from './fixtures';

/** Each claim on the envelope card, as "member id:amount in minor units", in the card's order. */
async function claimsOn(page: Page): Promise<string[]> {
  return page
    .getByTestId('envelope-claim')
    .evaluateAll((items) =>
      items.map((li) => `${li.getAttribute('data-member')}:${li.getAttribute('data-amount')}`),
    );
}

async function openChat(d: Device, groupId: string): Promise<void> {
  await openGroup(d.page, groupId, 'chat');
  await expect(d.page.getByTestId('chat-envelope-card')).toHaveCount(1, { timeout: SYNC_TIMEOUT });
}

test('a red envelope opened by two members shows the same shares on three devices', async ({ device }) => {
  test.setTimeout(240_000);
  const ann = await device('Ann');
  const bo = await device('Bo');
  const cy = await device('Cy');
  const all = [ann, bo, cy];
  const { groupId } = await startGroup(all);

  // Ann sends 100.00 for two people.
  await openGroup(ann.page, groupId, 'chat');
  await ann.page.getByTestId('open-envelope-form').click();
  const form = ann.page.getByTestId('envelope-form');
  await form.getByTestId('envelope-amount').fill('100.00');
  await form.getByTestId('envelope-count').fill('2');
  await form.getByTestId('envelope-note-input').fill('Happy new year');
  await ann.page.getByTestId('send-envelope').click();
  await expect(form).toHaveCount(0);
  const card = ann.page.getByTestId('chat-envelope-card');
  await expect(card).toContainText('Happy new year');
  // The sender cannot open their own envelope, and cannot take the rest back before the day is up.
  await expect(card.getByTestId('open-envelope')).toHaveCount(0);
  await expect(card.getByTestId('reclaim-envelope')).toBeDisabled();

  // Bo and Cy open it on their devices and see their share.
  for (const d of [bo, cy]) {
    await openChat(d, groupId);
    await d.page.getByTestId('open-envelope').click();
    await expect(d.page.getByTestId('envelope-my-share')).toBeVisible({ timeout: SYNC_TIMEOUT });
    await expect(d.page.getByTestId('open-envelope')).toHaveCount(0);
  }

  // Every device ends with the same two claims, which add up to the whole envelope.
  await openChat(ann, groupId);
  await expect.poll(() => claimsOn(ann.page).then((c) => c.length), { timeout: SYNC_TIMEOUT }).toBe(2);
  for (const d of [bo, cy]) {
    await expect.poll(() => claimsOn(d.page), { timeout: SYNC_TIMEOUT }).toEqual(await claimsOn(ann.page));
  }
  const claims = await claimsOn(ann.page);
  const amounts = claims.map((c) => Number(c.split(':')[1]));
  expect(amounts.reduce((s, a) => s + a, 0)).toBe(10_000);
  expect(amounts.every((a) => a >= 1)).toBe(true);
  for (const d of all) {
    await expect(d.page.getByTestId('envelope-progress')).toContainText('2 of 2');
  }

  // Balances: the sender owes each opener their share, the same on every device.
  // Names as Ann's device shows them ("Bo: ¥52.31"), with the share from the card's data.
  const byName = new Map(
    await ann.page
      .getByTestId('envelope-claim')
      .evaluateAll((items) =>
        items.map(
          (li) =>
            [(li.textContent ?? '').split(':')[0]!.trim(), Number(li.getAttribute('data-amount'))] as const,
        ),
      ),
  );
  expect([...byName.keys()].sort()).toEqual(['Bo', 'Cy']);
  await expectBalancesEverywhere(all, groupId, {
    Ann: -10_000,
    Bo: byName.get('Bo') ?? 0,
    Cy: byName.get('Cy') ?? 0,
  });
});
