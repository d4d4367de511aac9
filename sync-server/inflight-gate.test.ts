/**
 * One large message in flight per address, against an in-process relay: connections that stop
 * half-way through big frames cannot make the relay hold their bytes.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { RunningRelay } from './relay';
import { relayTestKit } from './relay-test-kit';
import { randomRoomId, randomToken, waitFor } from './test-support';

const MiB = 1024 * 1024;
const kit = relayTestKit('relay-inflight-test');

/** A WebSocket opened by hand, so the test can send part of a frame and stop. */
async function rawWebSocket(url: string, roomId: string, token: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  kit.defer(() => socket.destroy());
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    `GET /${roomId}?token=${token} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
      'Sec-WebSocket-Version: 13\r\n\r\n',
  );
  await new Promise<void>((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) resolve();
      else reject(new Error(head.split('\r\n')[0]));
    };
    socket.on('data', onData);
  });
  return socket;
}

/** The header of a masked binary frame of `length` bytes (mask key 0: the payload goes as is). */
function frameHeader(length: number): Buffer {
  const header = Buffer.alloc(14);
  header[0] = 0x82;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header; // bytes 10–13: the zero mask key
}

function metric(relay: RunningRelay): number {
  return relay.metrics().receivingBytes ?? Number.NaN;
}

describe('InflightGate on a relay', () => {
  it('holds one large partial message per address, not one per connection', async () => {
    const relay = await kit.relay();
    const [roomId, token] = [randomRoomId(), randomToken()];
    const conns = await Promise.all(Array.from({ length: 8 }, () => rawWebSocket(relay.url, roomId, token)));
    for (const s of conns) {
      s.write(frameHeader(8 * MiB));
      s.write(Buffer.alloc(3 * MiB)); // then silence: 3 MiB of an 8 MiB message each
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // One reader holds its 3 MiB; the seven others were paused after ~256 KiB (+ a socket chunk or two).
    const held = metric(relay);
    expect(held).toBeGreaterThanOrEqual(3 * MiB);
    expect(held).toBeLessThan(3 * MiB + 7 * 1.5 * MiB);
    expect(held).toBeLessThan(8 * 3 * MiB * 0.5); // without the gate: all 24 MiB

    // The reader finishes its message: the next paused connection gets its turn.
    const before = held;
    for (const s of conns) s.write(Buffer.alloc(5 * MiB)); // everyone sends the rest
    await waitFor(() => relay.metrics().messages >= 8, 20_000, 'every large message, one after another');
    expect(metric(relay)).toBeLessThan(before);
  });

  it('closes a reader that stops mid-message, and lets the next one read', async () => {
    const relay = await kit.relay({ limits: { messageStallSeconds: 1 } });
    const [roomId, token] = [randomRoomId(), randomToken()];
    const first = await rawWebSocket(relay.url, roomId, token);
    const second = await rawWebSocket(relay.url, roomId, token);
    first.write(frameHeader(4 * MiB));
    first.write(Buffer.alloc(1 * MiB));
    await new Promise((resolve) => setTimeout(resolve, 200));
    second.write(frameHeader(2 * MiB));
    second.write(Buffer.alloc(2 * MiB)); // complete, but waits for its turn
    const firstClosed = new Promise<void>((resolve) => first.once('close', () => resolve()));
    await firstClosed;
    expect(relay.metrics().rejections.stalled_message).toBe(1);
    await waitFor(() => relay.metrics().messages >= 1, 5000, "the second connection's message");
    expect(second.destroyed).toBe(false);
  });
});
