import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashToken } from './auth';
import { RoomAccess } from './room-access';
import { LevelRoomStore, MemoryRoomStore, type RoomStore } from './room-store';
import { claimSet, hashHex } from './token-set';

const room = (n: number): string => n.toString(16).padStart(32, '0');
const token = (n: number): string => n.toString(16).padStart(64, '0');

describe('RoomAccess', () => {
  it('lets the first token claim a room, stores only its hash, and refuses other tokens', async () => {
    const store = new MemoryRoomStore();
    const access = new RoomAccess(store, 10);
    expect(await access.authorize(room(1), token(1))).toBe('ok');
    expect(await store.readTokenHash(room(1))).toEqual(hashToken(token(1)));
    expect(await access.authorize(room(1), token(1))).toBe('ok');
    expect(await access.authorize(room(1), token(2))).toBe('unauthorized');
    expect(store.roomCount).toBe(1);
  });

  it('reads claims made before it existed (a restart)', async () => {
    const store = new MemoryRoomStore();
    await store.createRoom(room(1), hashToken(token(1)));
    const access = new RoomAccess(store, 10);
    expect(await access.authorize(room(1), token(2))).toBe('unauthorized');
    expect(await access.authorize(room(1), token(1))).toBe('ok');
  });

  it('lets exactly one of several racing first tokens win', async () => {
    const access = new RoomAccess(new MemoryRoomStore(), 10);
    const verdicts = await Promise.all([1, 2, 3, 4].map((n) => access.authorize(room(1), token(n))));
    expect(verdicts.filter((v) => v === 'ok')).toHaveLength(1);
    expect(verdicts.filter((v) => v === 'unauthorized')).toHaveLength(3);
  });

  it('refuses new rooms past maxRooms, also when they race, but keeps serving existing ones', async () => {
    const store = new MemoryRoomStore();
    const access = new RoomAccess(store, 2);
    const verdicts = await Promise.all([1, 2, 3, 4].map((n) => access.authorize(room(n), token(n))));
    expect(verdicts.filter((v) => v === 'ok')).toHaveLength(2);
    expect(verdicts.filter((v) => v === 'too_many_rooms')).toHaveLength(2);
    expect(store.roomCount).toBe(2);
    const winner = verdicts.indexOf('ok') + 1;
    expect(await access.authorize(room(winner), token(winner))).toBe('ok');
  });

  it('forgets a failed read so the next attempt asks the store again', async () => {
    const store = new MemoryRoomStore();
    let failNext = true;
    const flaky = Object.assign(Object.create(store) as MemoryRoomStore, {
      readTokenSet: async (id: string) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk on fire');
        }
        return store.readTokenSet(id);
      },
    });
    const access = new RoomAccess(flaky, 10);
    await expect(access.authorize(room(1), token(1))).rejects.toThrow('disk on fire');
    expect(await access.authorize(room(1), token(1))).toBe('ok');
  });
});

const hashOf = (t: string): string => hashHex(hashToken(t));
const RULES = { graceMs: 1000, maxLiveTokens: 3 };
const AUTHOR = 'a'.repeat(64);

describe('RoomAccess hand-overs', () => {
  const handOver = (from: number, to: number, epoch: number) => ({
    fromHash: hashOf(token(from)),
    toHash: hashOf(token(to)),
    epoch,
    addedBy: AUTHOR,
  });

  it('admits the new token at once, the old one until its grace ends, and stores the set', async () => {
    const store = new MemoryRoomStore();
    let now = 1_000;
    const access = new RoomAccess(store, 10, RULES, () => now);
    expect(await access.authorize(room(1), token(1))).toBe('ok');
    expect(await access.authorize(room(1), token(2))).toBe('unauthorized');
    expect(await access.handOver(room(1), handOver(1, 2, 1))).toBe('ok');
    expect(await access.authorize(room(1), token(2))).toBe('ok');
    expect(await access.authorize(room(1), token(1))).toBe('ok');
    now = 2_000;
    expect(await access.authorize(room(1), token(1))).toBe('unauthorized');
    expect(await access.authorize(room(1), token(2))).toBe('ok');
    // A fresh RoomAccess (a restart) reads the same set.
    const again = new RoomAccess(store, 10, RULES, () => now);
    expect(await again.authorize(room(1), token(2))).toBe('ok');
    expect(await again.authorize(room(1), token(1))).toBe('unauthorized');
    expect(await store.readTokenHash(room(1))).toEqual(hashToken(token(1))); // the claim stays
  });

  it("answers the rules' refusals and writes nothing for them", async () => {
    const store = new MemoryRoomStore();
    const access = new RoomAccess(store, 10, RULES, () => 1_000);
    await access.authorize(room(1), token(1));
    let writes = 0;
    const write = store.writeTokenSet.bind(store);
    store.writeTokenSet = async (id, records) => {
      writes += 1;
      return write(id, records);
    };
    expect(await access.handOver(room(1), handOver(1, 2, 3))).toBe('ok');
    expect(writes).toBe(1);
    expect(await access.handOver(room(1), handOver(1, 2, 3))).toBe('ok'); // idempotent: no write
    expect(await access.handOver(room(1), handOver(2, 3, 3))).toBe('stale_epoch');
    expect(await access.handOver(room(1), handOver(9, 3, 5))).toBe('token_expired');
    expect(await access.handOver(room(1), handOver(2, 3, 4))).toBe('ok');
    expect(await access.handOver(room(1), handOver(3, 4, 5))).toBe('too_many_tokens');
    expect(await access.handOver(room(2), handOver(1, 2, 1))).toBe('token_expired'); // no such room
    expect(writes).toBe(2);
  });

  it('loses no record when hand-overs of one room race', async () => {
    const store = new MemoryRoomStore();
    const access = new RoomAccess(store, 10, { graceMs: 1000, maxLiveTokens: 16 }, () => 1_000);
    await access.authorize(room(1), token(1));
    const outcomes = await Promise.all(
      [2, 3, 4, 5, 6].map((n) => access.handOver(room(1), handOver(1, n, n))),
    );
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const stored = await store.readTokenSet(room(1));
    expect(stored?.map((r) => r.hash).sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => hashOf(token(n))).sort());
  });

  it('keeps the set across a LevelDB restart; a room stored before sets existed reads as its claim', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'room-access-test-'));
    try {
      let store: RoomStore = await LevelRoomStore.open(dir);
      let access = new RoomAccess(store, 10, RULES, () => 1_000);
      await access.authorize(room(1), token(1));
      await access.authorize(room(2), token(7));
      expect(await store.readTokenSet(room(2))).toEqual(claimSet(hashOf(token(7))));
      expect(await access.handOver(room(1), handOver(1, 2, 1))).toBe('ok');
      await store.close();
      store = await LevelRoomStore.open(dir);
      access = new RoomAccess(store, 10, RULES, () => 1_500);
      expect(await access.authorize(room(1), token(2))).toBe('ok');
      expect(await access.authorize(room(1), token(1))).toBe('ok');
      expect(await access.authorize(room(2), token(7))).toBe('ok');
      expect((await store.readTokenSet(room(1)))?.map((r) => r.expiresAt)).toEqual([2_000, null]);
      // Deleting the room deletes its set: the next claim starts afresh.
      await store.deleteRoom(room(1));
      access.forget(room(1));
      expect(await store.readTokenSet(room(1))).toBeUndefined();
      expect(await access.authorize(room(1), token(3))).toBe('ok');
      expect(await store.readTokenSet(room(1))).toEqual(claimSet(hashOf(token(3))));
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
