import { describe, expect, it } from 'vitest';
import { hashToken } from './auth';
import { RoomAccess } from './room-access';
import { MemoryRoomStore } from './room-store';

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
      readTokenHash: async (id: string) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk on fire');
        }
        return store.readTokenHash(id);
      },
    });
    const access = new RoomAccess(flaky, 10);
    await expect(access.authorize(room(1), token(1))).rejects.toThrow('disk on fire');
    expect(await access.authorize(room(1), token(1))).toBe('ok');
  });
});
