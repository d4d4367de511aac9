/** key.shared in the fold (docs/protocol.md §15): epoch keys sealed to a member after the fact. */
import { describe, expect, it } from 'vitest';
import { newKeyShare } from './key-rotation';
import { deviceLog, RotatingAuthor, rotationGroup, stateOf } from './rotation-testkit';

/** Ann, Bo, Cy; Cy removed; Bo rotates; then Dee joins with the invite (epoch 0's key). */
async function joinedAfterRotation() {
  const { g, members, entries } = await rotationGroup(['Ann', 'Bo', 'Cy']);
  const [ann, bo, cy] = members as [RotatingAuthor, RotatingAuthor, RotatingAuthor];
  entries.push(await ann.put({ type: 'member.removed', member: cy.id }));
  const rotated = await bo.rotate(stateOf(g, entries));
  ann.key = bo.key;
  entries.push(rotated, await bo.say('under epoch 1'));
  const dee = new RotatingAuthor(g);
  entries.push(await dee.write({ type: 'member.joined', name: 'Dee', x25519: dee.x25519 }));
  return { g, ann, bo, cy, dee, entries, rotated, epochKey: bo.key };
}

describe('key.shared', () => {
  it('lists a member who joined after a rotation as missing its key, until a member shares it', async () => {
    const { g, ann, dee, entries, rotated, epochKey } = await joinedAfterRotation();
    const before = stateOf(g, entries);
    expect(before.keys!.missingKeys).toEqual([
      { member: dee.id, x25519: dee.x25519, rotations: [rotated.id] },
    ]);
    const share = newKeyShare(before, before.keys!.missingKeys![0]!, () => epochKey)!;
    // Written under epoch 0's key: the one key Dee holds.
    const written = await ann.write(share);
    entries.push(written);
    const after = stateOf(g, entries);
    expect(after.ignored).toEqual([]);
    expect(after.keys!.missingKeys).toEqual([]);
    expect(after.keys!.shares).toMatchObject([{ author: ann.id, member: dee.id, rotations: [rotated.id] }]);

    const onDee = deviceLog(g, dee);
    await onDee.ingest(entries.map((e) => e.bytes));
    onDee.adoptSharedKeys(new Set([written.id]));
    expect(onDee.unreadableCount).toBe(0);
    expect(onDee.rotationKey(rotated.id)).toEqual(epochKey);
  });

  it('lets the joiner in when the sharer’s previous entry is under the key being shared', async () => {
    // Bo's last entry ('under epoch 1') is one Dee cannot open: the share names it as prev, so it
    // waits for it, and only the share's own box opens it. Dee must not wait for ever.
    const { g, bo, dee, entries, rotated, epochKey } = await joinedAfterRotation();
    const s = stateOf(g, entries);
    const share = newKeyShare(s, s.keys!.missingKeys![0]!, () => epochKey)!;
    const written = await bo.write(share, { groupKey: g.groupKey });
    entries.push(written);
    for (const order of [entries, [...entries].reverse()]) {
      const onDee = deviceLog(g, dee);
      await onDee.ingest(order.map((e) => e.bytes));
      expect(onDee.unreadableCount).toBe(0);
      expect(onDee.pendingCount).toBe(0);
      expect(onDee.canonicalEntries().map((e) => e.id)).toContain(written.id);
      onDee.adoptSharedKeys(new Set([written.id]));
      expect(onDee.rotationKey(rotated.id)).toEqual(epochKey);
    }
  });

  it('ignores a share to a departed member, of an unknown rotation, a wrong epoch, a repeated rotation or a wrong key', async () => {
    const { g, ann, cy, dee, entries, rotated, epochKey } = await joinedAfterRotation();
    const s = stateOf(g, entries);
    const good = newKeyShare(s, s.keys!.missingKeys![0]!, () => epochKey)!;
    const k = good.keys[0]!;
    const bad = [
      { ...good, member: cy.id, x25519: cy.x25519 },
      { ...good, keys: [{ ...k, rotation: 'ab'.repeat(32) }] },
      { ...good, keys: [{ ...k, epoch: 2 }] },
      { ...good, keys: [k, k] },
      { ...good, x25519: ann.x25519 },
    ];
    for (const ev of bad) entries.push(await ann.put(ev));
    const after = stateOf(g, entries);
    expect(after.ignored.map((i) => i.code)).toEqual([
      'sealed_to_departed',
      'unknown_rotation',
      'epoch_mismatch',
      'duplicate_rotation',
      'x25519_mismatch',
    ]);
    expect(after.keys!.missingKeys!.map((m) => m.member)).toEqual([dee.id]);
    expect(rotated.id).toBe(after.keys!.current);
  });

  it('a share by the removed member is ignored by the fold', async () => {
    const { g, cy, dee, entries, rotated } = await joinedAfterRotation();
    const s = stateOf(g, entries);
    const forged = newKeyShare(s, { member: dee.id, x25519: dee.x25519, rotations: [rotated.id] }, () =>
      new Uint8Array(32).fill(1),
    )!;
    entries.push(await cy.write(forged));
    const after = stateOf(g, entries);
    expect(after.ignored.map((i) => i.code)).toEqual(['author_departed']);
    expect(after.keys!.shares).toEqual([]);
  });
});
