/**
 * The relay token hand-over end to end over real WebSockets to an in-process relay (docs/relay.md
 * "Relay tokens"): a signed request moves a room on to a new token, the old one works through its
 * grace and is then refused, open connections with it are closed 4401; every refusal is answered
 * with its outcome and changes nothing; the set survives a LevelDB restart.
 */
import { LeveldbPersistence } from 'y-leveldb';
import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../shared/crypto/identity';
import { hashToken } from './auth';
import { askRelay, authorIn, handOverMessage, handOverReplies } from './handover-test-kit';
import { relayTestKit } from './relay-test-kit';
import { openRaw, randomRoomId, randomToken, upgradeResult, upgradeStatus } from './test-support';

const { relay, tempDir, defer } = relayTestKit('token-handover-test');
const DAY = 86_400_000;

/** A clock the test moves (the relay reads it for token expiry). */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms) => (offset += ms) };
}

const path = (room: string, token: string): string => `/${room}?token=${token}`;

describe('relay token hand-over', () => {
  it('admits the new token at once, the old one through its grace, then closes and refuses it 4401', async () => {
    const time = clock();
    const running = await relay({ now: time.now, limits: { roomSweepIntervalSeconds: 1 } });
    const [room, a, b] = [randomRoomId(), randomToken(), randomToken()];
    const { raw, author } = await authorIn(running.url, room, a);
    defer(() => raw.ws.terminate());
    expect(await askRelay(raw, await handOverMessage(author.identity, room, a, 1, b))).toBe('ok');
    expect(handOverReplies(raw)).toEqual([{ outcome: 'ok', epoch: 1 }]);
    // Asking again is fine (a device retrying after a lost reply).
    expect(await askRelay(raw, await handOverMessage(author.identity, room, a, 1, b))).toBe('ok');
    expect(await upgradeStatus(running.url, path(room, b))).toBe(101);
    expect(await upgradeStatus(running.url, path(room, a))).toBe(101);
    const onB = await openRaw(running.url, room, b);
    defer(() => onB.ws.terminate());

    time.advance(30 * DAY - 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // a sweep runs: nothing expired yet
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
    time.advance(60_000);
    expect(await raw.closed).toEqual({ code: 4401, reason: 'relay token expired' });
    const refused = await upgradeResult(running.url, path(room, a));
    expect(refused).toMatchObject({ code: 4401, reason: 'invite key does not match this group' });
    expect(onB.ws.readyState).toBe(onB.ws.OPEN);
    expect(await upgradeStatus(running.url, path(room, b))).toBe(101);
    expect(running.metrics().rejections.token_expired).toBe(1);
    expect(running.metrics().handOvers).toMatchObject({ ok: 2, bad_signature: 0 });
  });

  it('answers each refusal with its outcome and admits nothing new', async () => {
    const running = await relay({ limits: { maxTokensPerRoom: 3 } });
    const [room, a, b, c] = [randomRoomId(), randomToken(), randomToken(), randomToken()];
    const { raw, author } = await authorIn(running.url, room, a);
    defer(() => raw.ws.terminate());
    const me = author.identity;

    // Signed over another token than the one this connection used, or tampered: bad_signature.
    expect(await askRelay(raw, await handOverMessage(me, room, b, 1, c))).toBe('bad_signature');
    const tampered = await handOverMessage(me, room, a, 1, c);
    tampered[tampered.length - 1]! ^= 1;
    expect(await askRelay(raw, tampered)).toBe('bad_signature');
    // Correctly signed, by a key with no entries in the room.
    expect(await askRelay(raw, await handOverMessage(generateIdentity(), room, a, 1, c))).toBe(
      'unknown_author',
    );
    expect(running.metrics().handOvers).toMatchObject({ ok: 0, bad_signature: 2, unknown_author: 1 });
    expect(await upgradeStatus(running.url, path(room, c))).toBe(4401);

    expect(await askRelay(raw, await handOverMessage(me, room, a, 5, b))).toBe('ok');
    // From b (epoch 5), a new token must be of a later epoch.
    const onB = await openRaw(running.url, room, b);
    defer(() => onB.ws.terminate());
    expect(await askRelay(onB, await handOverMessage(me, room, b, 5, c))).toBe('stale_epoch');
    expect(await upgradeStatus(running.url, path(room, c))).toBe(4401);
    // The cap (3): a and b are live, c fits, a fourth does not.
    expect(await askRelay(onB, await handOverMessage(me, room, b, 6, c))).toBe('ok');
    const d = randomToken();
    expect(await askRelay(onB, await handOverMessage(me, room, b, 7, d))).toBe('too_many_tokens');
    expect(await upgradeStatus(running.url, path(room, d))).toBe(4401);
    expect(raw.ws.readyState).toBe(raw.ws.OPEN);
  });

  it('closes a connection that sends a malformed hand-over like any malformed message, changing nothing', async () => {
    const running = await relay();
    const [room, a, b] = [randomRoomId(), randomToken(), randomToken()];
    const { raw, author } = await authorIn(running.url, room, a);
    const good = await handOverMessage(author.identity, room, a, 1, b);
    raw.ws.send(good.subarray(0, good.length - 1)); // one byte short
    expect((await raw.closed).code).toBe(1007);
    // A client sending the relay's reply sub-type is malformed too.
    const other = await openRaw(running.url, room, a);
    other.ws.send(new Uint8Array([16, 1, 0, 0, 0, 0, 1]));
    expect((await other.closed).code).toBe(1007);
    expect(running.metrics().rejections.malformed).toBe(2);
    expect(await upgradeStatus(running.url, path(room, b))).toBe(4401);
  });

  it('counts hand-overs against the connection message rate', async () => {
    const running = await relay({ limits: { messagesPerSecond: 1, messageBurst: 4 } });
    const [room, a] = [randomRoomId(), randomToken()];
    const { raw, author } = await authorIn(running.url, room, a);
    for (let epoch = 1; epoch <= 6; epoch++) {
      raw.ws.send(await handOverMessage(author.identity, room, a, epoch, randomToken()));
    }
    expect(await raw.closed).toEqual({ code: 1008, reason: 'rate limit exceeded' });
  });

  it('answers not_supported on a LAN relay (allowRooms)', async () => {
    const [room, a, b] = [randomRoomId(), randomToken(), randomToken()];
    const running = await relay({ allowRooms: new Map([[room, hashToken(a)]]) });
    const { raw, author } = await authorIn(running.url, room, a);
    defer(() => raw.ws.terminate());
    expect(await askRelay(raw, await handOverMessage(author.identity, room, a, 1, b))).toBe('not_supported');
  });

  it('keeps the token set across a LevelDB restart, and refuses a room whose stored set is damaged', async () => {
    const dir = await tempDir();
    const [room, a, b] = [randomRoomId(), randomToken(), randomToken()];
    const first = await relay({ dataDir: dir });
    const { raw, author } = await authorIn(first.url, room, a);
    expect(await askRelay(raw, await handOverMessage(author.identity, room, a, 1, b))).toBe('ok');
    raw.ws.terminate();
    await first.close();

    const second = await relay({ dataDir: dir });
    expect(await upgradeStatus(second.url, path(room, b))).toBe(101);
    expect(await upgradeStatus(second.url, path(room, a))).toBe(101);
    expect(await upgradeStatus(second.url, path(room, randomToken()))).toBe(4401);
    await second.close();

    const db = new LeveldbPersistence(dir);
    await db.setMeta(room, 'tokens', '[{"hash":"nope"}]');
    await db.destroy();
    const third = await relay({ dataDir: dir });
    const damaged = await upgradeResult(third.url, path(room, b));
    expect(damaged.code).toBe(4503);
    expect(damaged.reason).toMatch(/room data damaged$/);
    expect(third.metrics().storageDamage).toBe(1);
  });
});
