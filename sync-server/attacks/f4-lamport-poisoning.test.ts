/**
 * Issue 10, finding 4: lamport poisoning. Through a real relay, a rogue member publishes one
 * validly signed entry with lamport 2^53 − 3. Honest devices (headless clients: the app's sync
 * code) must keep writing — each more than the handful of writes the poisoned clock would
 * leave — and converge, and a later member must still join and write.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deriveRelayToken } from '../../shared/crypto/group-key';
import { chat, TestAuthor } from '../../shared/ledger/test-fixtures';
import { HeadlessClient } from '../sim/headless-client';
import { waitForConvergence } from '../sim/simulate';
import { onCleanup, runCleanups, sleep, startAttackRelay, waitUntil, yClient } from './support';

afterEach(runCleanups);

const POISON = 2 ** 53 - 3;
/** The lamport rule's bound (protocol.md §7): no honest clock may be dragged past it here. */
const B = 2 ** 20;

async function headless(name: string): Promise<HeadlessClient> {
  const c = await HeadlessClient.create({ name, maxBackoffTime: 200 });
  onCleanup(() => c.close());
  return c;
}

describe('F4: lamport poisoning', () => {
  it('one entry with lamport 2^53 − 3 cannot stop honest members from writing', async () => {
    const relay = await startAttackRelay();
    const alice = await headless('Alice');
    const bob = await headless('Bob');
    const invite = await alice.createGroup(relay.url, 'Flat');
    await alice.whenSynced();
    await bob.join(invite);

    // Mallory is a genuine member (her join is valid), then publishes the poisoned clock.
    const maxLamport = Math.max(...alice.sync.entries().map((e) => e.header.lamport));
    const mallory = new TestAuthor({ groupId: invite.groupId, groupKey: invite.groupKey, clock: maxLamport });
    const joined = await mallory.join('Mallory');
    const poison = await mallory.write(chat('the end of time'), { lamport: POISON, time: 1_700_000_000_000 });
    const rogue = yClient(relay.url, invite.groupId, deriveRelayToken(invite.groupKey));
    await rogue.synced();
    rogue.doc.transact(() => rogue.entries.set(joined.id, joined.bytes));
    await sleep(100);
    rogue.doc.transact(() => rogue.entries.set(poison.id, poison.bytes));
    await waitUntil(
      () =>
        alice.sync.entries().some((e) => e.id === joined.id) &&
        bob.sync.entries().some((e) => e.id === joined.id),
      10_000,
      'Mallory’s join to arrive',
    );
    await sleep(500);

    // More writes each than 2^53 − 1 − POISON would allow after adopting the poisoned clock.
    const errors: string[] = [];
    for (let i = 0; i < 6; i++) {
      for (const c of [alice, bob]) {
        try {
          await c.chat(`${c.name} ${i}`);
        } catch (error) {
          errors.push(`${c.name} write ${i}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    expect(errors).toEqual([]);

    // A member who joins after the poisoning can write too.
    const carol = await headless('Carol');
    await carol.join(invite);
    await carol.chat('hello from Carol');

    const group = [alice, bob, carol];
    expect(await waitForConvergence(group, 30_000)).toBe(true);
    expect(new Set(group.map((c) => c.stateHash())).size).toBe(1);
    expect(new Set(group.map((c) => c.snapshot.entries)).size).toBe(1);
    const honestIds = new Set(group.map((c) => c.memberId));
    const honestLamports = alice.sync
      .entries()
      .filter((e) => honestIds.has(e.header.author))
      .map((e) => e.header.lamport);
    expect(honestLamports.length).toBeGreaterThanOrEqual(2 + 12 + 2);
    expect(Math.max(...honestLamports), 'honest clocks stay far from the poisoned one').toBeLessThan(B);
  });
});
