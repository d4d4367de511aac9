import { describe, expect, it } from 'vitest';
import vectors from '../../docs/vectors/devices.json';
import { importSecretKey, memberIdOf } from '../crypto/identity';
import { computeBalances } from '../settle/balances';
import { fold } from './fold';
import { resolvePlaceholders } from './vector-placeholders';
import { IncrementalFold } from './fold-incremental';
import { type EventInput, TestLedger } from './fold-testkit';
import { stateHash } from './state-hash';

const { keys, cases } = vectors.fold;
type Key = keyof typeof keys;
const SEEDS: Record<Key, number> = { alice: 1, bo: 2, laptop: 11, phone: 12 };

describe('device fold vectors (docs/vectors/devices.json)', () => {
  it('name the keys of their seeds', () => {
    for (const [name, seed] of Object.entries(SEEDS)) {
      expect(memberIdOf(importSecretKey(new Uint8Array(32).fill(seed)).publicKey)).toBe(keys[name as Key]);
    }
  });

  for (const v of cases) {
    it(v.name, () => {
      const L = new TestLedger();
      const ids: string[] = [];
      for (const e of v.entries)
        ids.push(L.add(keys[e.author as Key], resolvePlaceholders(e.event, keys, ids) as EventInput).id);
      const s = fold(L.groupId, L.entries);
      expect(s.ignored.map((i) => [ids.indexOf(i.entryId), i.code])).toEqual(v.ignored);
      const cny = computeBalances(s).get('CNY') ?? new Map<string, number>();
      const balances = Object.fromEntries(
        (Object.keys(keys) as Key[])
          .filter((k) => (cny.get(keys[k]) ?? 0) !== 0)
          .map((k) => [k, cny.get(keys[k])]),
      );
      expect(balances).toEqual(v.balances);
      expect(
        Object.fromEntries(
          s.members.map((m) => [Object.keys(keys).find((k) => keys[k as Key] === m.id), m.name]),
        ),
      ).toEqual(v.names);
      // Backwards and one by one, the same state.
      const inc = new IncrementalFold(L.groupId);
      for (let i = 1; i <= L.entries.length; i++) inc.fold(L.entries.slice(0, i));
      expect(stateHash(inc.fold(L.entries))).toBe(stateHash(s));
      expect(stateHash(fold(L.groupId, [...L.entries].reverse()))).toBe(stateHash(s));
    });
  }
});
