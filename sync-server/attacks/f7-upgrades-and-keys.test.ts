/**
 * Issue 10, finding 7 (the smaller ones, relay side): half-open upgrades are bounded per
 * address; fifty connections from one address, each under the per-connection message rate,
 * do not slow another room down; an invite with the right group but the wrong key is told so
 * with close 4401 instead of an HTTP 401 the app cannot read.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { envelopeRoom, smallEntries } from './envelopes';
import {
  Probe,
  percentile,
  runCleanups,
  SYNC_STEP1_EMPTY,
  sleep,
  startAttackRelay,
  tryConnect,
  uploadEntries,
} from './support';
import { halfOpenUpgrade, startFlood } from './floods';

afterEach(runCleanups);

const hex = (n: number) => randomBytes(n).toString('hex');

describe('F7: connection-level abuse', () => {
  it('bounds half-open upgrades from one address', async () => {
    const maxTcp = 8;
    const relay = await startAttackRelay({
      LIMIT_MAX_TCP_CONNECTIONS_PER_IP: String(maxTcp),
      // Long, so what is tested is the count per address, not the header timeout.
      LIMIT_HEADERS_TIMEOUT_SECONDS: '60',
    });
    const sockets: Socket[] = [];
    for (let i = 0; i < 20; i++) sockets.push(await halfOpenUpgrade(relay.port, '127.0.0.9', hex(16)));
    let open = sockets.length;
    const deadline = Date.now() + 3_000;
    while (Date.now() < deadline) {
      open = sockets.filter((s) => !s.destroyed && !s.readableEnded).length;
      if (open <= maxTcp) break;
      await sleep(50);
    }
    expect(open, 'half-open upgrades the relay still holds from one address').toBeLessThanOrEqual(maxTcp);
    // Another address is unaffected.
    expect(await tryConnect(relay.url, hex(16), hex(32), { localAddress: '127.0.0.10' })).toEqual({
      kind: 'open',
    });
  });

  it('50 connections from one address under the message rate keep another room’s p99 ≤ 250 ms', async () => {
    const relay = await startAttackRelay();
    const room = await envelopeRoom(1);
    const entries = [...room.setup, ...(await smallEntries(room.authors[0]!, 60, 'busy'))];
    await uploadEntries(relay.url, room, entries);
    const probe = await Probe.start(relay.url, 300);
    const flood = startFlood(
      Array.from({ length: 50 }, () => ({
        url: relay.url,
        roomId: room.roomId,
        token: room.token,
        localAddress: '127.0.0.11',
        read: true,
        perSecond: 150,
        message: SYNC_STEP1_EMPTY,
        reconnect: true,
      })),
    );
    await sleep(500);
    const during = await probe.run(6_000, 40);
    const report = await flood.stop();
    const p99 = percentile(during, 99);
    console.info('F7 fifty connections', {
      p99Ms: Math.round(p99),
      samples: during.length,
      sent: report.sent.reduce((a, b) => a + b, 0),
      closes: [...new Set(report.closes.flat().map((c) => c.code))],
    });
    expect.soft(relay.process.running && (await relay.healthy())).toBe(true);
    expect.soft(during.length).toBeGreaterThan(20);
    expect(p99, 'probe p99 in another room (ms)').toBeLessThanOrEqual(250);
  });

  it('closes 4401 "invite key does not match this group" for the right group with a wrong key', async () => {
    const relay = await startAttackRelay();
    const room = await envelopeRoom(1);
    await uploadEntries(relay.url, room, room.setup);
    const outcome = await tryConnect(relay.url, room.roomId, hex(32));
    expect(outcome).toMatchObject({ kind: 'closed', code: 4401 });
    expect(outcome.kind === 'closed' ? outcome.reason : '').toMatch(/^invite key does not match this group/);
  });
});
