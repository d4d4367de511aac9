import { describe, expect, it } from 'vitest';
import { generateGroupKey } from '../crypto/group-key';
import { isWalletError } from '../errors';
import type { CreatedEntry } from './envelope';
import { newRotation } from './key-rotation';
import { deviceLog, rotationGroup, stateOf } from './rotation-testkit';

const ids = (list: readonly { id: string }[]) => list.map((e) => e.id).sort();
const bytesOf = (list: readonly CreatedEntry[]) => list.map((e) => e.bytes);

describe('key.rotated in the fold', () => {
  it('starts epoch 1 sealed to the remaining members; the departed one is never a recipient', async () => {
    const { g, members, entries } = await rotationGroup(['Ann', 'Bo', 'Cy']);
    const [ann, bo, cy] = members;
    entries.push(await ann!.put({ type: 'member.removed', member: cy!.id }));
    const before = stateOf(g, entries);
    expect(before.keys).toMatchObject({ epoch: 0, current: null, needsRotation: true });
    const rotated = await bo!.rotate(before);
    entries.push(rotated);
    const after = stateOf(g, entries);
    expect(after.ignored).toEqual([]);
    expect(after.keys).toMatchObject({ epoch: 1, current: rotated.id, needsRotation: false });
    expect(after.keys!.rotations[0]!.recipients).toEqual([ann!.id, bo!.id].sort());
    expect(after.keys!.rotations[0]!.recipients).not.toContain(cy!.id);
  });

  it('ignores rotations that skip an epoch, name a departed member, a wrong key, or leave out the author', async () => {
    const { g, members, entries } = await rotationGroup(['Ann', 'Bo', 'Cy']);
    const [ann, bo, cy] = members;
    const base = stateOf(g, entries);
    const good = newRotation(base, bo!.id).event;
    const skip = await bo!.put({ ...good, epoch: 2 });
    const wrongKey = await bo!.put({
      ...good,
      sealed: good.sealed.map((s) => (s.member === ann!.id ? { ...s, x25519: cy!.x25519 } : s)),
    });
    const noAuthor = await bo!.put({ ...good, sealed: good.sealed.filter((s) => s.member !== bo!.id) });
    const twice = await bo!.put({ ...good, sealed: [...good.sealed, good.sealed[0]!] });
    const removal = await ann!.put({ type: 'member.removed', member: cy!.id });
    // Sealed before the removal was seen: in total order it comes after, so it does not count.
    const stale = await bo!.put(good);
    entries.push(skip, wrongKey, noAuthor, twice, removal, stale);
    const s = stateOf(g, entries);
    expect(s.ignored.map((i) => i.code)).toEqual([
      'epoch_skipped',
      'x25519_mismatch',
      'author_not_sealed',
      'duplicate_recipient',
      'sealed_to_departed',
    ]);
    expect(s.keys).toMatchObject({ epoch: 0, current: null, needsRotation: true });
  });

  it('concurrent rotations to one epoch: the first in total order wins, the other is kept', async () => {
    const { g, members, entries } = await rotationGroup(['Ann', 'Bo', 'Cy']);
    const [ann, bo] = members;
    const base = stateOf(g, entries);
    const first = await ann!.rotate(base);
    const second = await bo!.rotate(base);
    const s = stateOf(g, [...entries, second, first]);
    expect(s.keys!.epoch).toBe(1);
    expect(s.keys!.current).toBe(first.id);
    expect(s.keys!.rotations.map((r) => [r.id, r.winner])).toEqual([
      [first.id, true],
      [second.id, false],
    ]);
  });

  it('a rotation refuses an author without an X25519 key and leaves such members out', async () => {
    const { g, members, entries } = await rotationGroup(['Ann', 'Bo']);
    const { RotatingAuthor } = await import('./rotation-testkit');
    const old = new RotatingAuthor(g);
    entries.push(await old.write({ type: 'member.joined', name: 'Old client' }));
    const s = stateOf(g, entries);
    expect(() => newRotation(s, old.id)).toThrow(expect.objectContaining({ code: 'no_x25519' }));
    const r = newRotation(s, members[0]!.id);
    expect(r.unsealed).toEqual([old.id]);
    expect(r.event.sealed.map((x) => x.member).sort()).toEqual([members[0]!.id, members[1]!.id].sort());
    entries.push(await members[0]!.put(r.event));
    expect(stateOf(g, entries).keys!.rotations[0]!.unsealed).toEqual([old.id]);
  });
});

describe('GroupLog with epoch keys', () => {
  it('holds entries of a newer epoch as unreadable until their key.rotated arrives, whatever the order', async () => {
    const { g, members, entries } = await rotationGroup(['Ann', 'Bo', 'Cy']);
    const [ann, bo, cy] = members;
    entries.push(await ann!.put({ type: 'member.removed', member: cy!.id }));
    const rotated = await bo!.rotate(stateOf(g, entries));
    ann!.key = bo!.key;
    const later = [await ann!.say('new epoch'), await bo!.say('still here')];

    const annLog = deviceLog(g, ann!);
    const first = await annLog.ingest([...bytesOf(entries), ...bytesOf(later)]);
    expect(first.rejected).toEqual([]);
    expect(annLog.unreadableCount).toBe(2); // opened before placing: Bo's message does not wait for its predecessor
    expect(annLog.pendingCount).toBe(0);
    const second = await annLog.add(rotated.bytes);
    expect(second.rejected).toEqual([]);
    expect(ids(annLog.entries())).toEqual(ids([...entries, rotated, ...later]));
    expect(annLog.unreadableCount).toBe(0);
    expect(annLog.writeUnderRotation(rotated.id)).toBe(true);
    expect(annLog.writeKey).toEqual(bo!.key);

    // Cy was removed: the rotation is readable (epoch 0), nothing after it is, and nothing is refused.
    const cyLog = deviceLog(g, cy!);
    const report = await cyLog.ingest([...bytesOf(later), rotated.bytes, ...bytesOf(entries)]);
    expect(report.rejected).toEqual([]);
    expect(ids(cyLog.entries())).toEqual(ids([...entries, rotated]));
    expect(cyLog.unreadableCount).toBe(2);
    expect(cyLog.pendingCount).toBe(0);
    expect(cyLog.rotationKey(rotated.id)).toBeUndefined();
    expect(cyLog.writeUnderRotation(rotated.id)).toBe(false);
    try {
      void cyLog.writeKey;
      expect.unreachable('a device without the epoch key must not write');
    } catch (e) {
      expect(isWalletError(e) && e.code).toBe('no_epoch_key');
    }
    // Sent again: a duplicate, still not refused.
    expect(await cyLog.ingest(bytesOf(later))).toMatchObject({ rejected: [], duplicates: 2 });
  });

  it('an entry no key opens and whose signature is forged is refused, not held', async () => {
    const { g, members, entries } = await rotationGroup(['Ann', 'Bo']);
    members[1]!.key = generateGroupKey();
    const secret = await members[1]!.say('under a key nobody has');
    const forged = secret.bytes.slice();
    forged[forged.length - 1]! ^= 1;
    const log = deviceLog(g, members[0]!);
    const r = await log.ingest([...bytesOf(entries), forged]);
    expect(r.rejected.map((x) => x.code)).toEqual(['bad_signature']);
    expect(log.unreadableCount).toBe(0);
  });
});
