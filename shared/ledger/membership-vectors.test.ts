import { describe, expect, it } from 'vitest';
import vectors from '../../docs/vectors/membership.json';
import { computeBalances } from '../settle/balances';
import type { EventInput } from './fold-testkit';
import { memberId, TestLedger } from './fold-testkit';
import { fold } from './fold';
import { resolvePlaceholders } from './vector-placeholders';

type Letter = keyof typeof vectors.members;

describe('membership vectors (docs/vectors/membership.json)', () => {
  it('gives member ids that are the test kit’s', () => {
    for (const [letter, id] of Object.entries(vectors.members)) expect(memberId(letter)).toBe(id);
  });

  for (const v of vectors.cases) {
    it(v.name, () => {
      const L = new TestLedger();
      const ids: string[] = [];
      for (const e of v.entries as { author: Letter; event: unknown; lamport?: number }[]) {
        const event = resolvePlaceholders(e.event, vectors.members, ids) as EventInput;
        const opts = e.lamport === undefined ? {} : { lamport: e.lamport };
        ids.push(L.add(vectors.members[e.author], event, opts).id);
      }
      const s = fold(L.groupId, L.entries);
      const departed = Object.fromEntries(
        s.members
          .filter((m) => m.status !== undefined)
          .map((m) => {
            const letter = Object.entries(vectors.members).find(([, id]) => id === m.id)![0];
            return [letter, { status: m.status, at: ids.indexOf(m.departedBy!) }];
          }),
      );
      expect(departed).toEqual(v.departed);
      expect(s.ignored.map((i) => [ids.indexOf(i.entryId), i.code])).toEqual(v.ignored);
      const cny = computeBalances(s).get('CNY')!;
      const balances = Object.fromEntries(
        Object.entries(vectors.members)
          .filter(([, id]) => cny.has(id))
          .map(([letter, id]) => [letter, cny.get(id)]),
      );
      expect(balances).toEqual(v.balances);
    });
  }
});
