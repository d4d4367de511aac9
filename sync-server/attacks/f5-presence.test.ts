/**
 * Issue 10, finding 5: presence is unbounded. Twenty connections in one room each announce a
 * 5 MB awareness state. States over the size limit must be dropped, never stored or fanned out:
 * relay memory stays bounded and almost nothing reaches the other connections, while a normal
 * small presence state still goes through.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { envelopeRoom } from './envelopes';
import {
  awarenessMessage,
  MB,
  type RawSocket,
  rawSocket,
  runCleanups,
  sleep,
  startAttackRelay,
  waitUntil,
  watchRss,
} from './support';

afterEach(runCleanups);

const CONNECTIONS = 20;
const STATE_BYTES = 5 * MB;

function presenceUpdate(state: Record<string, unknown>): Uint8Array {
  const doc = new Y.Doc();
  const awareness = new Awareness(doc);
  awareness.setLocalState(state);
  const update = encodeAwarenessUpdate(awareness, [doc.clientID]);
  awareness.destroy();
  doc.destroy();
  return awarenessMessage(update);
}

describe('F5: oversized presence states', () => {
  it('drops 20 × 5 MB states: relay memory stays bounded and nothing large fans out', async () => {
    const relay = await startAttackRelay();
    const room = await envelopeRoom(1);
    const sockets: RawSocket[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const s = rawSocket(relay.url, room.roomId, room.token, { keep: i === 1 });
      expect(await s.opened).toEqual({ kind: 'open' });
      sockets.push(s);
    }
    await sleep(300);
    const baseline = sockets.reduce((sum, s) => sum + s.received, 0);
    const baselineRss = relay.rss();
    const rss = watchRss(relay);

    const huge = presenceUpdate({ user: { name: 'x'.repeat(STATE_BYTES) } });
    for (const s of sockets) s.send(huge);
    // Long enough for the relay to read, apply and (wrongly) fan out 100 MB.
    await sleep(4_000);
    const peak = rss.stop();
    const fannedOut = sockets.reduce((sum, s) => sum + s.received, 0) - baseline;
    console.info('F5 presence', {
      baselineRssMB: Math.round(baselineRss / MB),
      peakRssMB: Math.round(peak / MB),
      fannedOutKB: Math.round(fannedOut / 1024),
    });

    expect.soft(relay.process.running && (await relay.healthy()), 'the relay stays up').toBe(true);
    expect.soft(peak, 'peak relay RSS (bytes)').toBeLessThanOrEqual(256 * MB);
    expect.soft(fannedOut, 'bytes fanned out to the 20 connections').toBeLessThanOrEqual(256 * 1024);

    // A normal presence state from the same kind of connection still reaches the others.
    const watcher = sockets[1]!;
    const before = watcher.messages.length;
    sockets[2]!.send(presenceUpdate({ user: { name: 'Ann' }, typing: false }));
    await waitUntil(
      () => watcher.messages.slice(before).some((m) => m[0] === 1),
      5_000,
      'a small presence state to be forwarded',
    );
  });
});
