/** "Waiting to be sent" and "last synced at": the rule on its own, then through GroupSync. */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryNetwork } from './memory-network';
import { SendTracker, unsentAtOpen } from './send-tracker';
import { closeAll, createGroup, openReplica, type Replica, settle } from './sync-testkit';

const chat = (text: string) => ({ type: 'chat.message' as const, text });

describe('SendTracker', () => {
  it('counts writes while unlinked, clears them on linking, and notes both edges of a link', () => {
    let clock = 100;
    const saved: number[] = [];
    const t = new SendTracker({
      lastSyncedAt: 50,
      unsent: 2,
      now: () => clock,
      persist: (at) => saved.push(at),
    });
    t.appended();
    expect([t.unsent, t.lastSyncedAt]).toEqual([3, 50]);
    t.update(false); // still unlinked: nothing happens
    expect(saved).toEqual([]);
    clock = 200;
    t.update(true);
    expect([t.unsent, t.lastSyncedAt]).toEqual([0, 200]);
    t.appended(); // written while linked: sent on the open socket
    expect(t.unsent).toBe(0);
    clock = 300;
    t.update(false);
    t.appended();
    expect([t.unsent, t.lastSyncedAt]).toEqual([1, 300]);
    expect(saved).toEqual([200, 300]);
  });

  it('at open, counts own applied entries written after the last sync', () => {
    const me = 'a'.repeat(64);
    const other = 'b'.repeat(64);
    const rows = [
      { author: me, receivedAt: 10, status: 'applied' },
      { author: me, receivedAt: 30, status: 'applied' },
      { author: me, receivedAt: 40, status: 'fork-evidence' },
      { author: other, receivedAt: 50, status: 'applied' },
    ];
    expect(unsentAtOpen(rows, me, 20)).toBe(1);
    expect(unsentAtOpen(rows, me, null)).toBe(2);
    expect(unsentAtOpen(rows, me, 30)).toBe(1); // same millisecond: counted
    expect(unsentAtOpen(rows, me, 31)).toBe(0);
  });
});

let open: Replica[] = [];
afterEach(async () => {
  await closeAll(open);
  open = [];
});

describe('GroupSync: changes waiting to be sent', () => {
  it('counts what is written offline until a full exchange, also across a restart', async () => {
    const network = new MemoryNetwork();
    const { secrets, replicas } = await createGroup(network, ['Ann', 'Bo']);
    open = replicas;
    const [ann, bo] = replicas as [Replica, Replica];
    await ann.store.putGroup({
      id: secrets.groupId,
      name: 'Flat',
      groupKey: secrets.groupKey,
      relayUrl: null,
      createdAt: 1,
      lastSyncedAt: null,
      lastSeenAt: 1,
    });
    expect(ann.sync.snapshot).toMatchObject({ status: 'synced', unsent: 0 });

    // Written while linked: nothing waits.
    await ann.sync.append(chat('online'));
    expect(ann.sync.snapshot.unsent).toBe(0);

    // Real clocks: keep the writes out of the millisecond of the disconnect (counted as waiting then).
    const tick = () => new Promise((r) => setTimeout(r, 3));
    await tick();
    ann.sync.disconnect();
    await tick();
    await ann.sync.whenIdle();
    const wentOffline = ann.sync.snapshot.lastSyncedAt;
    expect(wentOffline).not.toBeNull();
    await ann.sync.append(chat('one'));
    await ann.sync.append(chat('two'));
    expect(ann.sync.snapshot).toMatchObject({ status: 'offline', unsent: 2, lastSyncedAt: wentOffline });

    // A restart keeps counting them (from the stored last-sync time).
    await ann.sync.close();
    const again = await openReplica(secrets, 'Ann', { identity: ann.identity, store: ann.store });
    open = [again, bo];
    expect(again.sync.snapshot.unsent).toBe(2);

    again.sync.connect(network.transport);
    await settle(network, open);
    expect(again.sync.snapshot).toMatchObject({ status: 'synced', unsent: 0 });
    expect(bo.sync.state.chat.map((c) => c.text)).toEqual(['online', 'one', 'two']);
  });
});
