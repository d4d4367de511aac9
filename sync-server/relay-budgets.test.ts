/**
 * Work budgets against an in-process relay: a peer that asks and does not read gets nothing
 * more built for it; one that reads gets what its address's send budget allows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { envelopeRoom, fillerEntries, totalBytes } from './attacks/envelopes';
import type { CreatedEntry } from '../shared/ledger/envelope';
import type { RelayLimits, RunningRelay } from './relay';
import { relayTestKit } from './relay-test-kit';
import { connectClient, openRaw, waitFor } from './test-support';

/** y-websocket SyncStep1 with an empty state vector: "send me the whole room" (3 bytes). */
const ASK_EVERYTHING = new Uint8Array([0, 0, 0]);
const MiB = 1024 * 1024;

let room: Awaited<ReturnType<typeof envelopeRoom>>;
let filler: CreatedEntry[];
let roomBytes: number;
const kit = relayTestKit('relay-budgets-test');

beforeAll(async () => {
  room = await envelopeRoom(3);
  filler = await fillerEntries(room, 3 * MiB);
  roomBytes = totalBytes([...room.setup, ...filler]);
});

/** A relay holding the 3 MiB room, uploaded by a member that then leaves. */
async function relayWithRoom(limits: Partial<RelayLimits>): Promise<RunningRelay> {
  const relay = await kit.relay({ limits });
  const writer = connectClient(relay.url, room.roomId, room.token);
  await writer.synced();
  writer.doc.transact(() => {
    for (const e of [...room.setup, ...filler]) writer.entries.set(e.id, e.bytes);
  });
  const reader = connectClient(relay.url, room.roomId, room.token);
  await waitFor(() => reader.entries.size === room.setup.length + filler.length, 20_000, 'room upload');
  writer.destroy();
  reader.destroy();
  return relay;
}

function socketOf(ws: WebSocket): { pause(): void } {
  return (ws as unknown as { _socket: { pause(): void } })._socket;
}

describe('relay work budgets', () => {
  it('builds nothing more for a peer that asks again and again without reading', async () => {
    const relay = await relayWithRoom({});
    const raw = await openRaw(relay.url, room.roomId, room.token);
    socketOf(raw.ws).pause(); // it never reads again
    const before = relay.metrics().bytesOut;
    for (let i = 0; i < 150; i++) raw.ws.send(ASK_EVERYTHING);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = relay.metrics().bytesOut - before;
    // A few whole-room replies (the kernel's socket buffers take a few MiB before the relay
    // sees that nothing is read), not 150 of them (~450 MiB).
    expect(sent).toBeGreaterThan(roomBytes);
    expect(sent).toBeLessThan(5 * roomBytes);
    raw.ws.terminate();
  });

  it('sends a reading peer only what its address may have, and still answers it in the end', async () => {
    const relay = await relayWithRoom({
      sendBytesPerSecondPerIp: 1 * MiB,
      sendBurstBytesPerIp: 4 * MiB,
      sendBytesPerSecondPerPrefix: 8 * MiB,
    });
    const raw = await openRaw(relay.url, room.roomId, room.token);
    const before = relay.metrics().bytesOut;
    const started = performance.now();
    for (let i = 0; i < 40; i++) {
      raw.ws.send(ASK_EVERYTHING);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (performance.now() - started) / 1000;
    const sent = relay.metrics().bytesOut - before;
    // Without the budget it would have been 40 rooms' worth (~120 MiB).
    expect(sent).toBeLessThan(4 * MiB + seconds * MiB + 2 * roomBytes);
    // The last request is held, not dropped: it is answered once the budget allows.
    const received = () => raw.received.reduce((sum, m) => sum + m.byteLength, 0);
    const atStop = received();
    await waitFor(() => received() > atStop, 30_000, 'the held reply'); // generous: timers slow down under a full suite
    raw.ws.close();
  });

  it('refuses a flood spread over many connections of one address', async () => {
    const relay = await relayWithRoom({ messagesPerSecondPerIp: 50 });
    const conns = await Promise.all(
      Array.from({ length: 5 }, () => openRaw(relay.url, room.roomId, room.token)),
    );
    // Each connection stays far under its own rate (200/s); together they pass the address's 100-message burst.
    for (let round = 0; round < 40; round++) {
      for (const c of conns) c.ws.send(new Uint8Array([3])); // query awareness: cheap, but counted
    }
    const closes = await Promise.all(
      conns.map((c) => Promise.race([c.closed, new Promise((r) => setTimeout(() => r(null), 2000))])),
    );
    expect(closes.some((c) => c !== null && (c as { code: number }).code === 1008)).toBe(true);
    expect(relay.metrics().rejections.rate_limited).toBeGreaterThan(0);
    for (const c of conns) c.ws.terminate();
  });
});
