import { describe, expect, it } from 'vitest';
import { LeveldbPersistence } from 'y-leveldb';
import { envelopeRoom } from './attacks/envelopes';
import { CreationLimits } from './creation-limits';
import { startRelay } from './relay';
import {
  connectClient,
  randomRoomId,
  randomToken,
  upgradeResult,
  upgradeStatus,
  waitFor,
} from './test-support';
import { relayTestKit } from './relay-test-kit';

const { relay, tempDir, defer } = relayTestKit('relay-lifecycle-test');

/** Short clocks so expiry happens within a test: 1 s TTLs, a sweep every second. */
// Rooms unload at once when their last client leaves (no linger), so expiry clocks start then.
const FAST = { provisionalRoomTtlSeconds: 1, roomSweepIntervalSeconds: 1, roomLingerMs: 1 };

describe('room life cycle', () => {
  it('deletes a provisional room (no entry ever) after its TTL, and keeps a room with an entry', async () => {
    const dir = await tempDir();
    const running = await relay({ dataDir: dir, limits: FAST });
    const real = await envelopeRoom(1);
    const [junk, group, token] = [randomRoomId(), real.roomId, real.token];
    expect(await upgradeStatus(running.url, `/${junk}?token=${randomToken()}`)).toBe(101);
    const member = connectClient(running.url, group, token);
    await member.synced();
    member.entries.set(real.setup[0]!.id, real.setup[0]!.bytes); // a valid group.created
    await waitFor(() => running.metrics().storedRooms === 2, 2000, 'both rooms stored');
    member.destroy();

    await waitFor(() => running.metrics().roomsExpired === 1, 6000, 'the provisional room to expire');
    expect(running.metrics().storedRooms).toBe(1);
    await running.close();
    const db = new LeveldbPersistence(dir);
    expect(await db.getAllDocNames()).toEqual([group]);
    // Its data is gone, meta included; the group keeps its flag and last-use time on disk.
    expect(await db.getMeta(junk, 'tokenHash')).toBeUndefined();
    expect(await db.getMeta(junk, 'provisional')).toBeUndefined();
    expect(await db.getMeta(group, 'provisional')).toBe(false);
    expect(await db.getMeta(group, 'lastActive')).toEqual(expect.any(Number));
    await db.destroy();
  });

  it('deletes any room idle past idleRoomTtlSeconds, also when the idle time passed while stopped', async () => {
    const dir = await tempDir();
    const real = await envelopeRoom(1);
    const [group, token] = [real.roomId, real.token];
    const first = await startRelay({ port: 0, dataDir: dir, limits: { roomLingerMs: 1 } });
    const member = connectClient(first.url, group, token);
    await member.synced();
    member.entries.set(real.setup[0]!.id, real.setup[0]!.bytes);
    await waitFor(() => first.metrics().storedRooms === 1, 2000, 'room stored');
    member.destroy();
    await waitFor(() => first.metrics().rooms === 0, 2000, 'room unloaded');
    await first.close();

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await relay({
      dataDir: dir,
      limits: { idleRoomTtlSeconds: 1, roomSweepIntervalSeconds: 60 },
    });
    // The sweep at start finds it: last use (stored durably) was over a second ago.
    await waitFor(() => second.metrics().roomsExpired === 1, 3000, 'the idle room to expire');
    expect(second.metrics().storedRooms).toBe(0);
  });

  it('never deletes a room while a client is connected, and lets it be created again afterwards', async () => {
    const running = await relay({ limits: FAST });
    const [room, token] = [randomRoomId(), randomToken()];
    const holder = connectClient(running.url, room, token);
    defer(() => holder.destroy());
    await holder.synced();
    await new Promise((resolve) => setTimeout(resolve, 2200));
    expect(running.metrics().roomsExpired).toBe(0);
    holder.destroy();
    await waitFor(() => running.metrics().roomsExpired === 1, 6000, 'expiry after the last close');
    // Gone means gone: another token may claim the id now.
    expect(await upgradeStatus(running.url, `/${room}?token=${randomToken()}`)).toBe(101);
  });

  it('limits room creation per address (4429 with retry-after) without touching existing rooms', async () => {
    const running = await relay({ limits: { roomBurstPerIp: 3, roomsPerHourPerIp: 1 } });
    const token = randomToken();
    const rooms = [randomRoomId(), randomRoomId(), randomRoomId()];
    for (const room of rooms) expect(await upgradeStatus(running.url, `/${room}?token=${token}`)).toBe(101);
    const refused = await upgradeResult(running.url, `/${randomRoomId()}?token=${token}`);
    expect(refused.code).toBe(4429);
    // One room per hour refills one token in 3600 s.
    expect(refused.reason).toBe('relay busy; retry-after=3600');
    expect(await upgradeStatus(running.url, `/${rooms[0]}?token=${token}`)).toBe(101);
    expect(running.metrics().rejections.too_many_new_rooms_per_ip).toBe(1);
  });

  it('caps provisional rooms below maxRooms (4503), so throwaway rooms cannot lock out real groups', async () => {
    const running = await relay({ limits: { maxProvisionalRooms: 2, maxRooms: 10 } });
    const token = randomToken();
    for (let i = 0; i < 2; i++) {
      expect(await upgradeStatus(running.url, `/${randomRoomId()}?token=${token}`)).toBe(101);
    }
    const refused = await upgradeResult(running.url, `/${randomRoomId()}?token=${token}`);
    expect(refused.code).toBe(4503);
    expect(refused.reason).toMatch(/^relay busy; retry-after=\d+$/);
    expect(running.metrics().rejections.too_many_provisional_rooms).toBe(1);
  });
});

describe('CreationLimits', () => {
  it('shares one budget per /24 prefix and charges nothing on a refusal', () => {
    let now = 0;
    const limits = new CreationLimits(
      { roomsPerHourPerIp: 3600, roomBurstPerIp: 2, roomsPerHourPerPrefix: 3600, roomBurstPerPrefix: 3 },
      () => now,
    );
    expect(limits.tryCreate('10.0.0.1')).toBeNull();
    expect(limits.tryCreate('10.0.0.1')).toBeNull();
    expect(limits.tryCreate('10.0.0.1')).toEqual({
      reason: 'too_many_new_rooms_per_ip',
      retryAfterSeconds: 1,
    });
    expect(limits.tryCreate('10.0.0.2')).toBeNull();
    expect(limits.tryCreate('10.0.0.3')).toEqual({
      reason: 'too_many_new_rooms_per_prefix',
      retryAfterSeconds: 1,
    });
    expect(limits.tryCreate('10.0.1.1')).toBeNull(); // another /24
    now += 1000;
    expect(limits.tryCreate('10.0.0.3')).toBeNull();
  });
});
