/**
 * Issue 10, finding 2: room-creation lockout, no key needed. One address creating throwaway
 * rooms (random id, random token, never a valid entry) must be refused with 4429 and a
 * retry-after long before the relay's room limit; a new group from another address still
 * connects; the throwaway rooms expire and their data (the claimed token hash) is deleted.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { envelopeRoom } from './envelopes';
import {
  type Outcome,
  runCleanups,
  sleep,
  startAttackRelay,
  tryConnect,
  waitUntil,
  yClient,
} from './support';

afterEach(runCleanups);

const MAX_ROOMS = 1_000;
const ATTACKER = '127.0.0.5';
const NEWCOMER = '127.0.0.2';
const LATER = '127.0.0.6';
const hex = (n: number) => randomBytes(n).toString('hex');

describe('F2: throwaway rooms cannot lock new groups out', () => {
  it('refuses one address 4429 long before the room limit, admits another, and expires the throwaways', async () => {
    const relay = await startAttackRelay({
      LIMIT_MAX_ROOMS: String(MAX_ROOMS),
      LIMIT_PROVISIONAL_ROOM_TTL_SECONDS: '2',
      LIMIT_ROOM_SWEEP_INTERVAL_SECONDS: '1',
      LIMIT_ROOM_LINGER_MS: '1',
    });

    // A quarter of the room limit is "long before": one source must never come close to it.
    const created: string[] = [];
    let refusal: Outcome | undefined;
    for (let i = 0; i < MAX_ROOMS / 4 && refusal === undefined; i++) {
      const roomId = hex(16);
      const outcome = await tryConnect(relay.url, roomId, hex(32), { localAddress: ATTACKER, settleMs: 60 });
      if (outcome.kind === 'open') created.push(roomId);
      else refusal = outcome;
    }
    console.info('F2 rooms created before the first refusal:', created.length, refusal);
    expect(refusal, `no refusal after ${created.length} throwaway rooms`).toBeDefined();
    expect(refusal).toMatchObject({ kind: 'closed', code: 4429 });
    const reason = refusal?.kind === 'closed' ? refusal.reason : '';
    expect(reason).toMatch(/^relay busy; retry-after=\d+/);
    expect(Number(/retry-after=(\d+)/.exec(reason)?.[1])).toBeGreaterThan(0);

    // A new group from another address connects at once and its first entry goes through.
    const group = await envelopeRoom(1);
    const owner = yClient(relay.url, group.roomId, group.token, { localAddress: NEWCOMER });
    const peer = yClient(relay.url, group.roomId, group.token, { localAddress: NEWCOMER });
    await Promise.all([owner.synced(), peer.synced()]);
    const createdEntry = group.setup[0]!;
    owner.doc.transact(() => owner.entries.set(createdEntry.id, createdEntry.bytes));
    await waitUntil(
      () => peer.entries.has(createdEntry.id),
      10_000,
      'the new group to sync through the relay',
    );
    expect(owner.closes).toEqual([]);
    owner.destroy();
    peer.destroy();

    // The throwaway rooms never got a valid entry: they expire and only the real group is left.
    let storedRooms = Number.NaN;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      storedRooms = await relay.metric('relay_stored_rooms');
      if (storedRooms <= 1) break;
      await sleep(250);
    }
    expect(storedRooms, 'rooms stored after the throwaways expired').toBe(1);

    // Their data is gone: a throwaway id can be claimed afresh with another token (not 4401).
    const reclaimed = await tryConnect(relay.url, created[0] ?? hex(16), hex(32), { localAddress: LATER });
    expect(reclaimed).toEqual({ kind: 'open' });

    // And the real group kept its history.
    const late = yClient(relay.url, group.roomId, group.token, { localAddress: LATER });
    await late.synced();
    await waitUntil(() => late.entries.has(createdEntry.id), 10_000, 'the real group to keep its entry');
  });
});
