import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { resolveLimits } from './config';
import { PresenceGate, type PresenceOwners } from './presence-gate';

const limits = resolveLimits({
  awarenessStateBytes: 100,
  awarenessStatesPerConnection: 2,
  awarenessStatesPerRoom: 3,
  awarenessUpdatesPerSecond: 5,
});

/** An awareness update from a client with `clientId` whose state is `state`. */
function updateFrom(clientId: number, state: Record<string, unknown>, clock = 1): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = clientId;
  const awareness = new awarenessProtocol.Awareness(doc);
  // Each set bumps the clock: a later clock is what makes receivers take a state.
  for (let i = 0; i < clock; i++) awareness.setLocalState(state);
  const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [clientId]);
  awareness.destroy();
  return update;
}

/** Owners as a room keeps them, updated from what the gate lets through. */
class Room implements PresenceOwners {
  readonly awareness = new awarenessProtocol.Awareness(new Y.Doc());
  private readonly owner = new Map<number, object>();
  private readonly owned = new Map<object, Set<number>>();

  constructor() {
    this.awareness.setLocalState(null);
  }

  ownerOf(clientId: number): object | undefined {
    return this.owner.get(clientId);
  }

  ownedBy(conn: object): ReadonlySet<number> {
    return this.owned.get(conn) ?? new Set();
  }

  stateCount(): number {
    return this.awareness.getStates().size;
  }

  apply(conn: object, update: Uint8Array | null): void {
    if (update === null) return;
    const before = new Set(this.awareness.getStates().keys());
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn);
    for (const id of this.awareness.getStates().keys()) {
      if (before.has(id)) continue;
      this.owner.set(id, conn);
      if (!this.owned.has(conn)) this.owned.set(conn, new Set());
      this.owned.get(conn)!.add(id);
    }
  }
}

describe('PresenceGate', () => {
  it('lets small states through unchanged in meaning', () => {
    const gate = new PresenceGate(limits, () => 0);
    const room = new Room();
    const conn = {};
    room.apply(conn, gate.filter(conn, updateFrom(7, { name: 'Bo', typing: false }), room));
    expect(room.awareness.getStates().get(7)).toEqual({ name: 'Bo', typing: false });
  });

  it('drops a state over the size limit without forwarding any of it', () => {
    const gate = new PresenceGate(limits, () => 0);
    const room = new Room();
    expect(gate.filter({}, updateFrom(7, { name: 'x'.repeat(200) }), room)).toBeNull();
    // Far over any possible legitimate size: refused before it is even decoded.
    expect(gate.filter({}, updateFrom(8, { name: 'x'.repeat(5_000_000) }), room)).toBeNull();
  });

  it('bounds states per connection and per room', () => {
    const gate = new PresenceGate(limits, () => 0);
    const room = new Room();
    const a = {};
    const b = {};
    for (const id of [1, 2, 3]) room.apply(a, gate.filter(a, updateFrom(id, { n: id }), room));
    expect([...room.awareness.getStates().keys()].sort()).toEqual([1, 2]);
    room.apply(b, gate.filter(b, updateFrom(4, { n: 4 }), room));
    expect(gate.filter(b, updateFrom(5, { n: 5 }), room)).toBeNull(); // room holds 3
    expect(room.stateCount()).toBe(3);
  });

  it('never lets a connection change or remove presence another connection announced', () => {
    const gate = new PresenceGate(limits, () => 0);
    const room = new Room();
    const owner = {};
    const intruder = {};
    room.apply(owner, gate.filter(owner, updateFrom(1, { name: 'Ann' }), room));
    const hijack = updateFrom(1, { name: 'Mallory' }, 5);
    expect(gate.filter(intruder, hijack, room)).toBeNull();
    // The same bytes from the owner would have replaced it: the gate is what stops them.
    expect(gate.filter(owner, hijack, room)).not.toBeNull();
    expect(room.awareness.getStates().get(1)).toEqual({ name: 'Ann' });
  });

  it('drops presence messages over the rate', () => {
    let now = 0;
    const gate = new PresenceGate(limits, () => now);
    const room = new Room();
    const conn = {};
    const results = Array.from({ length: 12 }, (_, i) => gate.filter(conn, updateFrom(1, { i }), room));
    expect(results.filter((r) => r !== null)).toHaveLength(10); // burst = 2 × 5/s
    now += 1000;
    expect(gate.filter(conn, updateFrom(1, { i: 99 }), room)).not.toBeNull();
  });

  it('throws on bytes that are not an awareness update', () => {
    const gate = new PresenceGate(limits, () => 0);
    const room = new Room();
    const broken = updateFrom(1, { a: 1 }).slice(0, 6);
    expect(() => gate.filter({}, broken, room)).toThrow();
  });
});
