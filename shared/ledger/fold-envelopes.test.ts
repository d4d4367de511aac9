import { beforeEach, describe, expect, it } from 'vitest';
import { fold } from './fold';
import { IncrementalFold } from './fold-incremental';
import { memberId, TestLedger } from './fold-testkit';
import { openRedEnvelope, redEnvelopeShares } from './red-envelope';
import { stateHash } from './state-hash';
import type { GroupState, VerifiedEntry } from './types';

const [A, B, C, D] = ['a', 'b', 'c', 'd'].map(memberId) as [string, string, string, string];

let L: TestLedger;
beforeEach(() => {
  L = new TestLedger();
  L.add(A, { type: 'group.created', name: 'Flat', currency: 'CNY', memberName: 'A' });
  for (const [m, name] of [
    [B, 'B'],
    [C, 'C'],
    [D, 'D'],
  ] as const)
    L.add(m, { type: 'member.joined', name });
});

const send = (amount = 1000, count = 2, author = A): VerifiedEntry =>
  L.add(author, {
    type: 'envelope.created',
    amount,
    currency: 'CNY',
    count,
    date: '2026-02-17',
    note: '新年快乐',
  });
const open = (who: string, envelope: string, lamport?: number) =>
  L.add(who, { type: 'envelope.opened', envelope }, lamport === undefined ? {} : { lamport });
const reclaim = (who: string, envelope: string) => L.add(who, { type: 'envelope.reclaimed', envelope });
const codeOf = (s: GroupState, e: VerifiedEntry) => s.ignored.find((i) => i.entryId === e.id)?.code;
const only = (s: GroupState) => s.redEnvelopes![0]!;

describe('red envelopes in the fold', () => {
  it('hands the shares to the first openers in total order, as openRedEnvelope does', () => {
    const env = send(1000, 3);
    open(C, env.id);
    open(B, env.id);
    const s = fold(L.groupId, L.entries);
    const e = only(s);
    const expected = openRedEnvelope(env.id, 1000, 3, [C, B]);
    if (!expected.ok) throw new Error('shares');
    expect(e.claims.map(({ member, amount, index }) => ({ member, amount, index }))).toEqual(
      expected.value.claims,
    );
    expect(e.unclaimed).toBe(expected.value.unclaimed);
    expect(e.claims.reduce((sum, c) => sum + c.amount, 0) + e.unclaimed).toBe(1000);
    expect(e).toMatchObject({
      author: A,
      amount: 1000,
      count: 3,
      currency: 'CNY',
      note: '新年快乐',
      reclaimedBy: null,
    });
    expect(s.ignored).toEqual([]);
  });

  it('orders concurrent opens by the total order, not by arrival', () => {
    const env = send(500, 2);
    const lamport = L.lamport + 1;
    // Two members open offline at the same lamport: the lower author id sorts first.
    const first = open(C, env.id, lamport);
    const second = open(B, env.id, lamport);
    const byId = [first, second].sort((x, y) => (x.header.author < y.header.author ? -1 : 1));
    const s = fold(L.groupId, [...L.entries].reverse());
    expect(only(s).claims.map((c) => c.entryId)).toEqual(byId.map((e) => e.id));
    const shares = redEnvelopeShares(env.id, 500, 2);
    expect(only(s).claims.map((c) => c.amount)).toEqual(shares.ok ? shares.value : []);
  });

  it('ignores the sender’s own open, a second open, and opens after the last share', () => {
    const env = send(10, 2);
    const own = open(A, env.id);
    open(B, env.id);
    const again = open(B, env.id);
    open(C, env.id);
    const late = open(D, env.id);
    const s = fold(L.groupId, L.entries);
    expect(codeOf(s, own)).toBe('envelope_own');
    expect(codeOf(s, again)).toBe('envelope_already_opened');
    expect(codeOf(s, late)).toBe('envelope_empty');
    expect(only(s).claims.map((c) => c.member)).toEqual([B, C]);
    expect(only(s).unclaimed).toBe(0);
  });

  it('closes the envelope on the sender’s reclaim; opens after it and reclaims by others are ignored', () => {
    const env = send(1000, 3);
    open(B, env.id);
    const stranger = reclaim(C, env.id);
    const back = reclaim(A, env.id);
    const twice = reclaim(A, env.id);
    const late = open(D, env.id);
    const s = fold(L.groupId, L.entries);
    expect(codeOf(s, stranger)).toBe('envelope_not_sender');
    expect(codeOf(s, twice)).toBe('envelope_already_reclaimed');
    expect(codeOf(s, late)).toBe('envelope_reclaimed');
    expect(only(s).reclaimedBy).toBe(back.id);
    expect(only(s).claims).toHaveLength(1);
    expect(only(s).unclaimed).toBe(1000 - only(s).claims[0]!.amount);
  });

  it('ignores opens and reclaims of unknown envelopes, a reclaim with nothing left, and bad envelopes', () => {
    const ghost = open(B, 'f'.repeat(64));
    const ghostBack = reclaim(A, 'e'.repeat(64));
    const tooMany = send(3, 5);
    const badCurrency = L.add(A, {
      type: 'envelope.created',
      amount: 100,
      currency: 'XYZ',
      count: 2,
      date: '2026-02-17',
    });
    const env = send(2, 1);
    open(B, env.id);
    const emptyBack = reclaim(A, env.id);
    const s = fold(L.groupId, L.entries);
    expect(codeOf(s, ghost)).toBe('unknown_envelope');
    expect(codeOf(s, ghostBack)).toBe('unknown_envelope');
    expect(codeOf(s, tooMany)).toBe('envelope_too_many_shares');
    expect(codeOf(s, badCurrency)).toBe('unknown_currency');
    expect(codeOf(s, emptyBack)).toBe('envelope_empty');
    expect(s.redEnvelopes!.map((e) => e.id)).toEqual([env.id]);
  });

  it('treats an open that sorts before the envelope as unknown, on every device', () => {
    const env = send(100, 2);
    // An open whose lamport puts it before the envelope (a forged or broken clock): the fold must
    // still agree everywhere, and the envelope stays unopened.
    const early = L.add(B, { type: 'envelope.opened', envelope: env.id }, { lamport: 3 });
    const s = fold(L.groupId, L.entries);
    expect(codeOf(s, early)).toBe('unknown_envelope');
    expect(only(s).claims).toEqual([]);
    expect(stateHash(fold(L.groupId, [...L.entries].reverse()))).toBe(stateHash(s));
  });

  it('refuses malformed events at the schema', () => {
    expect(() =>
      L.add(A, { type: 'envelope.created', amount: 0, currency: 'CNY', count: 1, date: '2026-02-17' }),
    ).toThrow();
    expect(() =>
      L.add(A, { type: 'envelope.created', amount: 10, currency: 'CNY', count: 1001, date: '2026-02-17' }),
    ).toThrow();
    expect(() => L.add(A, { type: 'envelope.opened', envelope: 'nope' })).toThrow();
  });
});

describe('red envelopes in the incremental fold', () => {
  it('matches a full fold, keeps handed-out states unchanged, and re-derives when a late open sorts first', () => {
    const env = send(1000, 2);
    const inc = new IncrementalFold(L.groupId);
    const s1 = inc.fold(L.entries);
    const lamport = L.lamport + 1;
    const c = open(C, env.id, lamport + 1);
    const s2 = inc.fold(L.entries);
    expect(inc.counts.continued).toBe(1);
    expect(only(s1).claims).toEqual([]); // states handed out never change
    expect(only(s2).claims.map((x) => x.member)).toEqual([C]);
    // B opened offline earlier in the order: B now holds share 0 and C share 1.
    const b = open(B, env.id, lamport);
    const s3 = inc.fold(L.entries);
    expect(only(s3).claims.map((x) => x.entryId)).toEqual([b.id, c.id]);
    expect(stateHash(s3)).toBe(stateHash(fold(L.groupId, L.entries)));
    expect(only(s2).claims).toHaveLength(1);
    reclaim(A, env.id);
    const s4 = inc.fold(L.entries);
    expect(stateHash(s4)).toBe(stateHash(fold(L.groupId, L.entries)));
    expect(codeOf(s4, L.entries[L.entries.length - 1]!)).toBe('envelope_empty');
  });
});
