import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CreatedEntry } from './envelope';
import { fold } from './fold';
import type { GroupLog } from './group-log';
import { deviceLog, rotationGroup, stateOf } from './rotation-testkit';
import { stateHash } from './state-hash';

/** Delivers `entries` in the given order, in chunks of random size, by batch or one by one. */
async function deliver(
  log: GroupLog,
  entries: readonly CreatedEntry[],
  cuts: readonly number[],
): Promise<void> {
  let at = 0;
  for (const cut of cuts) {
    const part = entries.slice(at, at + cut);
    at += cut;
    if (cut % 2 === 0) await log.ingest(part.map((e) => e.bytes));
    else for (const e of part) await log.add(e.bytes);
  }
  await log.ingest(entries.slice(at).map((e) => e.bytes));
}

const shuffled = <T>(list: readonly T[], order: readonly number[]): T[] =>
  list
    .map((x, i) => ({ x, k: order[i % order.length]! * 1000 + i }))
    .sort((a, b) => a.k - b.k)
    .map((p) => p.x);

const RUNS = 25;

describe('key rotation properties', () => {
  it('a removed member never decrypts a later entry, whatever it receives in whatever order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 5 }),
        fc.array(fc.nat(100), { minLength: 6, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 8 }),
        fc.boolean(),
        async (size, rolls, cuts, twice) => {
          const names = ['Ann', 'Bo', 'Cy', 'Di', 'Ed'].slice(0, size);
          const { g, members, entries } = await rotationGroup(names);
          const [creator] = members;
          let r = 0;
          const roll = (n: number) => rolls[r++ % rolls.length]! % n;
          for (let i = 0; i < 3; i++) entries.push(await members[roll(size)]!.say(`before ${i}`));
          const removed = members[1 + roll(size - 1)]!;
          entries.push(await creator!.put({ type: 'member.removed', member: removed.id }));
          const remaining = members.filter((m) => m !== removed);
          const later: CreatedEntry[] = [];
          // One remaining member rotates; the others learn the key; some rotate again.
          const rotator = remaining[roll(remaining.length)]!;
          later.push(await rotator.rotate(stateOf(g, entries)));
          for (const m of remaining) m.key = rotator.key;
          for (let i = 0; i < 6; i++) {
            const m = remaining[roll(remaining.length)]!;
            if (twice && i === 3) {
              later.push(await m.rotate(stateOf(g, [...entries, ...later])));
              for (const o of remaining) o.key = m.key;
            } else {
              later.push(await m.say(`after ${i}`));
            }
          }
          // What the removed member may hold: everything, in any order, several times over.
          const all = shuffled([...entries, ...later, ...later.slice(0, 2)], rolls);
          const log = deviceLog(g, removed);
          await deliver(log, all, cuts);
          const readable = new Set(log.entries().map((e) => e.id));
          // Only the rotation itself (written under epoch 0) is readable of what came after.
          expect(later.filter((e) => readable.has(e.id)).map((e) => e.id)).toEqual([later[0]!.id]);
          for (const e of entries) expect(readable.has(e.id)).toBe(true);
          for (const e of later) expect(log.rotationKey(e.id)).toBeUndefined();
          expect(log.unreadableCount + log.pendingCount).toBe(later.length - 1);

          // A remaining member reads everything.
          const keep = deviceLog(g, remaining[0]!);
          await deliver(keep, all, cuts);
          expect(keep.unreadableCount).toBe(0);
          expect(keep.size).toBe(entries.length + later.length);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('concurrent rotations converge: same current epoch and state hash on every device', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(100), { minLength: 6, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 8 }),
        fc.boolean(),
        async (rolls, cuts, third) => {
          const { g, members, entries } = await rotationGroup(['Ann', 'Bo', 'Cy', 'Di']);
          const [ann, bo, cy, di] = members;
          entries.push(await ann!.put({ type: 'member.removed', member: di!.id }));
          const base = stateOf(g, entries);
          // Ann and Bo rotate offline from the same state and write under their own keys.
          const mine = [await ann!.rotate(base), await ann!.say('ann 1')];
          const theirs = [await bo!.rotate(base), await bo!.say('bo 1'), await bo!.say('bo 2')];
          // Cy got Bo's rotation only; it writes under Bo's key, and may rotate again from there.
          cy!.key = bo!.key;
          const cys = [await cy!.say('cy 1')];
          if (third) cys.push(await cy!.rotate(stateOf(g, [...entries, ...theirs, ...cys])));
          const all = [...entries, ...mine, ...theirs, ...cys];

          const hashes = new Set<string>();
          const current = new Set<string | null>();
          for (const [i, m] of [ann, bo, cy].entries()) {
            const log = deviceLog(g, m!);
            await deliver(
              log,
              shuffled(
                all,
                rolls.map((x) => x * (i + 3)),
              ),
              cuts,
            );
            expect(log.unreadableCount).toBe(0);
            expect(log.size).toBe(all.length);
            const s = fold(g.groupId, log.canonicalEntries());
            hashes.add(stateHash(s));
            current.add(s.keys!.current);
            expect(log.writeUnderRotation(s.keys!.current)).toBe(true);
          }
          expect(hashes.size).toBe(1);
          expect(current.size).toBe(1);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
