import { describe, expect, it } from 'vitest';
import { type AuthContext, authenticateBatch, type ChainLink } from './chain-auth';
import { decodeEntry, entryIdOf } from './envelope';
import { chat, flipByte, newGroup, TestAuthor } from './test-fixtures';

const noContext: AuthContext<ChainLink> = { vouchedByKnownChild: () => false, releaseHeld: () => undefined };

function candidates(list: readonly Uint8Array[]) {
  return list.map((bytes) => {
    const d = decodeEntry(bytes);
    if (!d.ok) throw d.error;
    return { id: entryIdOf(bytes), header: d.value.header, decoded: d.value };
  });
}

describe('authenticateBatch', () => {
  it('verifies one tip per chain, and walks down from a forged tip to the authentic prefix', async () => {
    const g = newGroup();
    const a = new TestAuthor(g);
    const b = new TestAuthor(g);
    const chainA = [await a.join('A'), ...(await a.chats(3))].map((e) => e.bytes);
    const chainB = [await b.join('B'), ...(await b.chats(2))].map((e) => e.bytes);
    const forgedTip = flipByte(chainB[2]!, chainB[2]!.length - 2);
    const batch = candidates([...chainA, chainB[0]!, chainB[1]!, forgedTip].reverse());
    const r = await authenticateBatch(batch, noContext);
    expect(r.verified).toBe(3); // A's tip, B's forged tip, then B's seq 2
    expect(r.forged.map((c) => c.id)).toEqual([entryIdOf(forgedTip)]);
    expect(r.authentic.map((c) => c.id).sort()).toEqual(
      [...chainA, chainB[0]!, chainB[1]!].map(entryIdOf).sort(),
    );
    expect(r.released).toEqual([]);
  });

  it('takes a held predecessor out of the context when a valid successor vouches for it', async () => {
    const g = newGroup();
    const a = new TestAuthor(g);
    const e1 = await a.join('A');
    const e2 = await a.write(chat('two'));
    const [held] = candidates([flipByte(e2.bytes, e2.bytes.length - 1)]);
    a.prev = held!.id;
    const e3 = await a.write(chat('three'));
    const asked: string[] = [];
    const r = await authenticateBatch(candidates([e3.bytes, e1.bytes]), {
      vouchedByKnownChild: () => false,
      releaseHeld: (id) => {
        asked.push(id);
        return id === held!.id ? held : undefined;
      },
    });
    expect(r.verified).toBe(2); // e3, and e1 (nothing in the batch vouches for it)
    expect(r.released).toEqual([held]);
    expect(r.authentic).toHaveLength(2);
    expect(asked).toEqual([held!.id]);
  });
});
