/**
 * Key rotation on removal (issue 12 §1, docs/protocol.md §15): three roommates; Ann removes Chen.
 * Ann's device rotates the group key at once (a new epoch sealed to Ann and Bo); Ann and Bo carry
 * on, and Chen's device, still in the same relay room, reads nothing new and says so.
 */
import {
  addExpense,
  expect,
  expenseRow,
  firstRun,
  joinGroup,
  openGroup,
  openTab,
  RELAY_URL,
  SYNC_TIMEOUT,
  startGroup,
  test,
} from './fixtures';

test('a removed roommate reads nothing written after the new group key', async ({ device }) => {
  const ann = await device('Ann');
  const bo = await device('Bo');
  const chen = await device('Chen');
  const { groupId } = await startGroup([ann, bo, chen]);

  // Something everyone reads, before the removal.
  await addExpense(ann.page, { description: 'Groceries', amount: '90.00' });
  for (const d of [bo, chen]) {
    await openGroup(d.page, groupId, 'expenses');
    await expect(expenseRow(d.page, 'Groceries')).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  }

  // Ann (the creator) removes Chen.
  await openGroup(ann.page, groupId, 'balances');
  const chenLine = ann.page.getByTestId('member-line').filter({ hasText: 'Chen' });
  await chenLine.getByTestId('member-remove').click();
  await ann.page.getByTestId('member-remove-confirm').click();

  // Every device sees the new key's epoch; Chen's says it was removed and is locked out.
  for (const d of [ann, bo]) {
    await openGroup(d.page, groupId, 'balances');
    await expect(d.page.getByTestId('key-epoch')).toHaveAttribute('data-epoch', '1', {
      timeout: SYNC_TIMEOUT,
    });
  }
  await openGroup(chen.page, groupId, 'balances');
  await expect(chen.page.getByTestId('members-departed')).toBeVisible({ timeout: SYNC_TIMEOUT });
  await expect(chen.page.getByTestId('key-locked-out')).toBeVisible({ timeout: SYNC_TIMEOUT });

  // Ann and Bo carry on under the new key.
  await addExpense(bo.page, { description: 'Bread', amount: '20.00' });
  await openTab(bo.page, 'chat');
  await bo.page.getByTestId('chat-input').fill('only for the two of us');
  await bo.page.getByTestId('chat-send').click();
  await openGroup(ann.page, groupId, 'expenses');
  await expect(expenseRow(ann.page, 'Bread')).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  await openTab(ann.page, 'chat');
  await expect(
    ann.page.getByTestId('chat-message').filter({ hasText: 'only for the two of us' }),
  ).toHaveCount(1, {
    timeout: SYNC_TIMEOUT,
  });

  // Chen's device gets the ciphertext (same room) but opens none of it: it counts what it cannot read.
  await openGroup(chen.page, groupId, 'balances');
  await expect(chen.page.getByTestId('key-locked-out')).toHaveAttribute('data-unreadable', '2', {
    timeout: SYNC_TIMEOUT,
  });
  await openTab(chen.page, 'expenses');
  await expect(expenseRow(chen.page, 'Groceries')).toHaveCount(1);
  await expect(expenseRow(chen.page, 'Bread')).toHaveCount(0);
  await openTab(chen.page, 'chat');
  await expect(
    chen.page.getByTestId('chat-message').filter({ hasText: 'only for the two of us' }),
  ).toHaveCount(0);
});

/** Relay token hand-overs the test relay has accepted so far (its Prometheus metrics). */
async function handOversAccepted(): Promise<number> {
  const text = await (await fetch(`${RELAY_URL.replace(/^ws/, 'http')}/metrics`)).text();
  const m = /^relay_token_handovers_total\{outcome="ok"\} (\d+)$/m.exec(text);
  if (!m) throw new Error('the relay reports no hand-over metric');
  return Number(m[1]);
}

test('“Change the group key” by hand (a leaked invite): both roommates carry on under the new key', async ({
  device,
}) => {
  const ann = await device('Ann');
  const bo = await device('Bo');
  const { groupId, invite } = await startGroup([ann, bo]);

  await openGroup(ann.page, groupId, 'balances');
  await expect(ann.page.getByTestId('key-epoch')).toHaveCount(0);
  const handedOver = await handOversAccepted();
  await ann.page.getByTestId('rotate-key').click();
  await ann.page.getByTestId('rotate-key-confirm').click();
  for (const d of [ann, bo]) {
    await openGroup(d.page, groupId, 'balances');
    await expect(d.page.getByTestId('key-epoch')).toHaveAttribute('data-epoch', '1', {
      timeout: SYNC_TIMEOUT,
    });
  }
  // The browsers handed the new epoch's relay token over to the relay (signed, on their socket).
  await expect.poll(handOversAccepted, { timeout: SYNC_TIMEOUT }).toBeGreaterThan(handedOver);
  await addExpense(bo.page, { description: 'Light bulbs', amount: '12.00' });
  await openGroup(ann.page, groupId, 'expenses');
  await expect(expenseRow(ann.page, 'Light bulbs')).toHaveCount(1, { timeout: SYNC_TIMEOUT });

  // An invite made now carries the new epoch's relay token (the old one expires at the relay
  // after the grace); the old invite does not.
  await openGroup(ann.page, groupId, 'invite');
  const fresh = await ann.page.getByTestId('invite-app-link').inputValue();
  expect(fresh).toMatch(/#key=[A-Za-z0-9_-]{43}&rt=[0-9a-f]{64}$/);
  expect(invite).not.toContain('rt=');

  // Dee joins later with the new invite: the join counts, but nothing is shared with her by
  // itself (that is what shuts a leaked link out) until Ann lets her in.
  const dee = await device('Dee');
  await firstRun(dee.page, 'Dee');
  await joinGroup(dee.page, fresh, 'Flat 3B');
  await openGroup(dee.page, groupId, 'balances');
  await expect(dee.page.getByTestId('key-waiting')).toBeVisible({ timeout: SYNC_TIMEOUT });
  await openGroup(ann.page, groupId, 'balances');
  const offer = ann.page.getByTestId('key-share-offer').filter({ hasText: 'Dee' });
  await expect(offer).toBeVisible({ timeout: SYNC_TIMEOUT });
  await offer.getByTestId('key-share').click();
  await expect(offer).toHaveCount(0, { timeout: SYNC_TIMEOUT });
  await openGroup(dee.page, groupId, 'expenses');
  await expect(expenseRow(dee.page, 'Light bulbs')).toHaveCount(1, { timeout: SYNC_TIMEOUT });
  await addExpense(dee.page, { description: 'Welcome cake', amount: '30.00' });
  await openGroup(bo.page, groupId, 'expenses');
  await expect(expenseRow(bo.page, 'Welcome cake')).toHaveCount(1, { timeout: SYNC_TIMEOUT });
});
