import { describe, expect, it } from 'vitest';
import vectors from '../../docs/vectors/red-envelopes.json';
import { computeBalances } from '../settle/balances';
import { walletEventSchema } from './events';
import { fold } from './fold';
import { IncrementalFold } from './fold-incremental';
import { redEnvelopeShares } from './red-envelope';
import { stateHash } from './state-hash';
import type { GroupState, VerifiedEntry } from './types';

type Name = keyof typeof vectors.members;
const idOf = (name: string) => vectors.members[name as Name];

const entries: VerifiedEntry[] = vectors.entries.map((e) => ({
  id: e.id,
  header: {
    version: 1,
    groupId: vectors.groupId,
    author: idOf(e.author),
    seq: e.seq,
    prev: e.prev,
    lamport: e.lamport,
    time: 1_700_000_000_000 + e.lamport,
  },
  event: walletEventSchema.parse(e.event),
}));

function expectVector(s: GroupState): void {
  const x = vectors.expected;
  expect(s.redEnvelopes).toHaveLength(1);
  const env = s.redEnvelopes![0]!;
  expect({
    id: env.id,
    author: env.author,
    amount: env.amount,
    count: env.count,
    claims: env.claims.map(({ member, amount, index, entryId }) => ({ member, amount, index, entryId })),
    unclaimed: env.unclaimed,
    reclaimedBy: env.reclaimedBy,
  }).toEqual({
    ...x.envelope,
    author: idOf(x.envelope.author),
    claims: x.envelope.claims.map((c) => ({ ...c, member: idOf(c.member) })),
  });
  expect(Object.fromEntries(s.ignored.map((i) => [i.entryId, i.code]))).toEqual(x.ignored);
  const cny = computeBalances(s).get('CNY')!;
  for (const [name, balance] of Object.entries(x.balances)) expect(cny.get(idOf(name))).toBe(balance);
}

describe('red envelope vector (docs/vectors/red-envelopes.json)', () => {
  it('has the shares the recipe gives', () => {
    const r = redEnvelopeShares(vectors.expected.envelope.id, 8888, 3);
    expect(r.ok ? r.value : r.error.code).toEqual(vectors.expected.shares);
  });

  it('folds to the documented envelope, ignored entries and balances in any order', () => {
    const reference = fold(vectors.groupId, entries);
    expectVector(reference);
    expectVector(fold(vectors.groupId, [...entries].reverse()));
    const inc = new IncrementalFold(vectors.groupId);
    for (let i = 1; i <= entries.length; i++) inc.fold(entries.slice(0, i));
    expect(stateHash(inc.fold(entries))).toBe(stateHash(reference));
  });
});
