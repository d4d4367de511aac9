/**
 * The relay token follows the group key (docs/protocol.md §15, "Relay token"), end to end with
 * headless devices and a real relay: a removed member's device, which holds only epoch 0's
 * token, is shut out of the room once the grace after the hand-over ends (here: none), while the
 * others carry on in the same room with its whole history; an invite made after the rotation
 * carries the current token and lets a newcomer in, an old invite does not.
 */
import { describe, expect, it } from 'vitest';
import { deriveRelayToken } from '../shared/crypto/group-key';
import { relayTestKit } from './relay-test-kit';
import { HeadlessClient } from './sim/headless-client';
import { waitFor } from './test-support';

const kit = relayTestKit('relay-token-rotation');

async function device(name: string): Promise<HeadlessClient> {
  const c = await HeadlessClient.create({ name, maxBackoffTime: 200 });
  kit.defer(() => c.close());
  return c;
}

const refused = (c: HeadlessClient) => c.snapshot.problem?.code === 'invite_key_mismatch';

/** Every device has folded every member's join (a rotation seals only to members it knows). */
async function members(clients: readonly HeadlessClient[], count: number): Promise<void> {
  await waitFor(
    () => clients.every((c) => c.state().members.length === count),
    20_000,
    `${count} members everywhere`,
  );
  for (const c of clients) await c.sync.whenIdle();
}

describe('relay token hand-over after a key rotation', () => {
  it('shuts a removed member out of the room; the others and a newcomer with a new invite carry on', async () => {
    const relay = await kit.relay({ limits: { tokenGraceDays: 0, roomSweepIntervalSeconds: 1 } });
    const ann = await device('Ann');
    const bo = await device('Bo');
    const cy = await device('Cy');
    const firstInvite = await ann.createGroup(relay.url, 'Flat 3B');
    await bo.join(firstInvite);
    await cy.join(firstInvite);
    await ann.addExpense({ amount: 3000, description: 'Rice' });
    await waitFor(
      () => [ann, bo, cy].every((c) => c.sync.snapshot.entries === 4),
      20_000,
      'history everywhere',
    );

    // The creator removes Cy; Ann's device rotates the key at once and hands the new token over.
    await ann.append({ type: 'member.removed', member: cy.memberId });
    await waitFor(() => ann.state().keys?.epoch === 1, 10_000, 'Ann rotated');
    expect(ann.invite.relayToken).toBeDefined();
    expect(ann.invite.relayToken).not.toBe(deriveRelayToken(firstInvite.groupKey));
    await waitFor(() => bo.state().keys?.epoch === 1, 10_000, 'Bo has the new key');

    // Grace 0: epoch 0's token opens nothing any more. Cy's open connection is closed at the next
    // sweep, and reconnecting is refused: Cy holds no other token.
    await waitFor(() => refused(cy), 10_000, 'Cy refused by the relay');
    const cyEntries = cy.sync.snapshot.entries;
    cy.goOffline();
    cy.goOnline();
    await waitFor(() => refused(cy), 10_000, 'Cy refused again after reconnecting');

    // Bo reconnects with the newest token; Ann and Bo keep writing in the same room.
    bo.goOffline();
    bo.goOnline();
    await bo.whenSynced();
    await bo.addExpense({ amount: 1200, description: 'Tea' });
    await ann.chat('after the move');
    await waitFor(
      () =>
        ann.state().expenses.length === 2 &&
        bo.state().chat.length === 1 &&
        ann.sync.snapshot.entries === bo.sync.snapshot.entries,
      20_000,
      'Ann and Bo converge',
    );
    for (const c of [ann, bo]) await c.sync.whenIdle();
    expect(ann.stateHash()).toBe(bo.stateHash());
    expect(bo.state().chat[0]!.text).toBe('after the move');
    // The room kept its history: a fresh device of Bo's reads it all from the relay.
    expect(bo.state().expenses.length).toBe(2);
    expect(cy.sync.snapshot.entries).toBe(cyEntries);

    // A newcomer with the new invite (it carries the current token) gets in and, once Ann lets
    // them read, writes under the new key; one with the first invite is refused.
    const dee = await device('Dee');
    await dee.join(ann.invite);
    await waitFor(
      () => ann.state().keys?.missingKeys?.some((m) => m.member === dee.memberId) ?? false,
      10_000,
      'Dee listed',
    );
    await ann.sync.keys.shareWith(dee.memberId);
    await waitFor(() => dee.state().keys?.epoch === 1 && dee.state().chat.length === 1, 20_000, 'Dee reads');
    await dee.chat('hello from Dee');
    await waitFor(() => bo.state().chat.length === 2, 20_000, 'Bo reads Dee');

    const eve = await device('Eve');
    await expect(eve.join(firstInvite, 3_000)).rejects.toThrow();
    expect(refused(eve)).toBe(true);
  });

  it('keeps the old token working through the grace, so a device that slept through the rotation catches up', async () => {
    const relay = await kit.relay({ limits: { tokenGraceDays: 30 } });
    const ann = await device('Ann');
    const bo = await device('Bo');
    const invite = await ann.createGroup(relay.url, 'Trip');
    await bo.join(invite);
    await members([ann, bo], 2);

    // Bo sleeps; Ann changes the key by hand (a leaked link) and writes under it.
    bo.goOffline();
    await ann.sync.keys.rotate();
    await waitFor(() => ann.state().keys?.epoch === 1, 10_000, 'Ann rotated');
    await ann.addExpense({ amount: 500, description: 'Bus' });

    // Ann reconnects: she now presents the new token, which the relay accepts (handed over).
    ann.goOffline();
    ann.goOnline();
    await ann.whenSynced();

    // Bo wakes up holding only epoch 0's token: still accepted within the grace. He learns the
    // new key from the room, and from then on presents the new token himself.
    bo.goOnline();
    await waitFor(
      () => bo.state().keys?.epoch === 1 && bo.state().expenses.length === 1,
      20_000,
      'Bo caught up',
    );
    await bo.addExpense({ amount: 700, description: 'Lunch' });
    bo.goOffline();
    bo.goOnline();
    await bo.whenSynced();
    await waitFor(() => ann.state().expenses.length === 2, 20_000, 'Ann sees Bo');
    expect(ann.stateHash()).toBe(bo.stateHash());
  });
});
