import { afterEach, describe, expect, it } from 'vitest';
import { type BareRelay, startBareRelay } from './bench-support';
import { connectClient, randomRoomId, randomToken, type SyncClient, waitFor } from './test-support';

let bare: BareRelay | undefined;
const clients: SyncClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await bare?.close();
  bare = undefined;
});

describe('startBareRelay', () => {
  it('relays a map between two clients with no auth and frees everything on close', async () => {
    bare = await startBareRelay({ port: 0 });
    expect(bare.url).toBe(`ws://127.0.0.1:${bare.port}`);
    const room = randomRoomId();
    // The bare relay checks nothing: two different tokens share the room.
    const a = connectClient(bare.url, room, randomToken());
    const b = connectClient(bare.url, room, randomToken());
    clients.push(a, b);
    await Promise.all([a.synced(), b.synced()]);
    a.entries.set('e1', new Uint8Array([1, 2, 3]));
    await waitFor(() => b.entries.size === 1, 5000, 'b to receive the entry');
    for (const c of clients.splice(0)) c.destroy();
    await bare.close();
    bare = undefined;
    const { docs } = await import('@y/websocket-server/utils');
    expect(docs.size).toBe(0);
  });
});
