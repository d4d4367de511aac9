/**
 * A relay serving only given rooms (`allowRooms`, what the desktop's LAN relay uses): the host's
 * groups sync as usual; any other room, or a host's room with the wrong token, is closed 4403
 * before anything is created; the usual limits still apply.
 */
import { describe, expect, it } from 'vitest';
import { hashToken } from './auth';
import {
  randomRoomId,
  randomToken,
  signedEntries,
  upgradeResult,
  waitFor,
  fileEntries,
} from './test-support';
import { relayTestKit } from './relay-test-kit';
import { roomServed } from './room-filter';

const { relay, client } = relayTestKit('relay-lan-test');

describe('a relay serving only given rooms (allowRooms)', () => {
  it("syncs the host's rooms and closes every other room 4403 without creating it", async () => {
    const room = randomRoomId();
    const token = randomToken();
    const running = await relay({ allowRooms: new Map([[room, hashToken(token)]]) });

    const a = client(running.url, room, token);
    const b = client(running.url, room, token);
    await Promise.all([a.synced(), b.synced()]);
    const entries = await signedEntries(room, 3);
    fileEntries(a, entries);
    await waitFor(() => b.entries.size === 3, 5000, 'entries at b');

    const stranger = await upgradeResult(running.url, `/${randomRoomId()}?token=${randomToken()}`);
    expect(stranger.code).toBe(4403);
    expect(stranger.reason).toMatch(/^room not served by this relay; retry-after=\d+/);
    // The host's room under another token is refused the same way (nothing tells them apart).
    const wrongKey = await upgradeResult(running.url, `/${room}?token=${randomToken()}`);
    expect(wrongKey.code).toBe(4403);
    expect(running.metrics().rejections.room_not_served).toBe(2);
    expect(running.metrics().storedRooms).toBe(1);
  });

  it('reads the map at every upgrade, so a group the host just joined is served at once', async () => {
    const allow = new Map<string, Uint8Array>();
    const running = await relay({ allowRooms: allow });
    const room = randomRoomId();
    const token = randomToken();
    expect((await upgradeResult(running.url, `/${room}?token=${token}`)).code).toBe(4403);
    allow.set(room, hashToken(token));
    const c = client(running.url, room, token);
    await c.synced();
    expect(running.metrics().storedRooms).toBe(1);
  });

  it('takes a callback, and keeps the usual checks (bad path, missing token, per-address limit)', async () => {
    const served = randomRoomId();
    const running = await relay({
      allowRooms: (roomId) => roomId === served,
      limits: { maxConnectionsPerIp: 1 },
    });
    expect((await upgradeResult(running.url, '/not-a-room?token=x')).status).toBe(400);
    expect((await upgradeResult(running.url, `/${served}`)).status).toBe(401);
    expect((await upgradeResult(running.url, `/${randomRoomId()}?token=${randomToken()}`)).code).toBe(4403);
    const token = randomToken();
    const first = client(running.url, served, token);
    await first.synced();
    expect((await upgradeResult(running.url, `/${served}?token=${token}`)).code).toBe(4429);
  });

  it('serves every room without a filter', () => {
    expect(roomServed(undefined, randomRoomId(), randomToken())).toBe(true);
    const room = randomRoomId();
    const token = randomToken();
    expect(roomServed(new Map([[room, hashToken(token)]]), room, token)).toBe(true);
    expect(roomServed(new Map([[room, hashToken(randomToken())]]), room, token)).toBe(false);
  });
});
