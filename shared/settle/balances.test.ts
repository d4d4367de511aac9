import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExpenseData } from '../ledger/events';
import { fold } from '../ledger/fold';
import { expenseShares } from '../ledger/fold-shares';
import { equalExpense, hexId, memberId, TestLedger } from '../ledger/fold-testkit';
import type { ExpenseState, GroupState, PaymentState } from '../ledger/types';
import type { MemberId } from '../money/types';
import { computeBalances, memberTotals } from './balances';

const A = memberId('alice');
const B = memberId('bo');
const C = memberId('chen');

function flat(): TestLedger {
  const L = new TestLedger();
  L.add(A, { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Alice' });
  L.add(B, { type: 'member.joined', name: 'Bo' });
  L.add(C, { type: 'member.joined', name: 'Chen' });
  return L;
}

const plain = (b: ReadonlyMap<string, ReadonlyMap<string, unknown>>) =>
  Object.fromEntries([...b].map(([k, v]) => [k, Object.fromEntries(v)]));

describe('computeBalances', () => {
  it('credits payers, debits shares, and lists every member even at zero', () => {
    const L = flat();
    L.add(B, { type: 'expense.created', expense: equalExpense(B, [A, B], 1001) });
    const b = computeBalances(fold(L.groupId, L.entries));
    // 1001 split equally: 501 to the smaller id, 500 to the other.
    const [first, second] = [A, B].sort();
    const owes = { [first!]: 501, [second!]: 500 };
    expect(plain(b)).toEqual({ CNY: { [A]: -owes[A]!, [B]: 1001 - owes[B]!, [C]: 0 } });
    expect([...b.get('CNY')!.keys()]).toEqual([A, B, C].sort());
  });

  it('counts payments (from +, to −) and skips deleted expenses and payments', () => {
    const L = flat();
    const x = L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B, C], 900) });
    L.add(C, { type: 'expense.created', expense: equalExpense(C, [A, B, C], 600) });
    L.add(B, { type: 'payment.recorded', from: B, to: A, amount: 100, currency: 'CNY', date: '2025-03-02' });
    const p = L.add(B, {
      type: 'payment.recorded',
      from: B,
      to: C,
      amount: 50,
      currency: 'CNY',
      date: '2025-03-02',
    });
    L.add(B, { type: 'payment.deleted', payment: p.id });
    L.add(A, { type: 'expense.deleted', expense: x.id, base: x.id });
    L.add(A, { type: 'request.created', from: B, to: C, amount: 999, currency: 'CNY' });
    const b = computeBalances(fold(L.groupId, L.entries));
    expect(plain(b)).toEqual({ CNY: { [A]: -200 - 100, [B]: -200 + 100, [C]: 400 } });
  });

  it('keeps currencies apart, sorted by code, with the group currency always present', () => {
    const L = flat();
    L.add(A, { type: 'expense.created', expense: equalExpense(A, [A, B], 1000, { currency: 'JPY' }) });
    L.add(B, { type: 'payment.recorded', from: C, to: A, amount: 7, currency: 'EUR', date: '2025-03-02' });
    const b = computeBalances(fold(L.groupId, L.entries));
    expect([...b.keys()]).toEqual(['CNY', 'EUR', 'JPY']);
    expect(plain(b)).toEqual({
      CNY: { [A]: 0, [B]: 0, [C]: 0 },
      EUR: { [A]: -7, [B]: 0, [C]: 7 },
      JPY: { [A]: 500, [B]: -500, [C]: 0 },
    });
  });

  it('memberTotals explains each balance', () => {
    const L = flat();
    L.add(A, {
      type: 'expense.created',
      expense: {
        ...equalExpense(A, [A], 300),
        payers: [
          { member: A, amount: 200 },
          { member: B, amount: 100 },
        ],
        split: { mode: 'shares', weights: { [A]: 1, [B]: 2 } },
      },
    });
    L.add(B, { type: 'payment.recorded', from: B, to: A, amount: 40, currency: 'CNY', date: '2025-03-02' });
    const state = fold(L.groupId, L.entries);
    const t = memberTotals(state).get('CNY')!;
    expect(t.get(A)).toEqual({ paid: 200, share: 100, sent: 0, received: 40, lucky: 0, net: 60 });
    expect(t.get(B)).toEqual({ paid: 100, share: 200, sent: 40, received: 0, lucky: 0, net: -60 });
    expect(t.get(C)).toEqual({ paid: 0, share: 0, sent: 0, received: 0, lucky: 0, net: 0 });
    const b = computeBalances(state).get('CNY')!;
    for (const [id, totals] of t) expect(totals.net).toBe(b.get(id));
  });
});

// ------------------------------------------------------------------ property

const MEMBERS = Array.from({ length: 6 }, (_, i) => hexId(`m${i}`));
const CURRENCIES = ['CNY', 'EUR', 'JPY'];

/** Random expense data in every split mode; invalid combinations are filtered out by the money module. */
const expenseArb: fc.Arbitrary<ExpenseData> = fc
  .record({
    amount: fc.integer({ min: 1, max: 1e12 }),
    currency: fc.constantFrom(...CURRENCIES),
    members: fc.subarray(MEMBERS, { minLength: 1 }),
    payerCut: fc.double({ min: 0, max: 1, noNaN: true }),
    mode: fc.constantFrom('equal', 'exact', 'percent', 'shares', 'adjustment'),
    weights: fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 6, maxLength: 6 }),
  })
  .map(({ amount, currency, members, payerCut, mode, weights }) => {
    const cut = Math.floor(amount * payerCut);
    const payers =
      cut > 0 && cut < amount && members.length > 1
        ? [
            { member: members[0]!, amount: cut },
            { member: members[1]!, amount: amount - cut },
          ]
        : [{ member: members[0]!, amount }];
    const w = members.map((_, i) => weights[i]!);
    const total = w.reduce((s, v) => s + v, 0) || 1;
    const spread = (sum: number) => {
      const parts = w.map((v) => Math.floor((v * sum) / total));
      parts[0]! += sum - parts.reduce((s, v) => s + v, 0);
      return Object.fromEntries(members.map((m, i) => [m, parts[i]!]));
    };
    const split: ExpenseData['split'] =
      mode === 'equal'
        ? { mode, members }
        : mode === 'exact'
          ? { mode, amounts: spread(amount) }
          : mode === 'percent'
            ? { mode, basisPoints: spread(10_000) }
            : mode === 'shares'
              ? { mode, weights: Object.fromEntries(members.map((m, i) => [m, w[i]!])) }
              : { mode, members, adjustments: { [members[0]!]: w[0]! } };
    return { description: 'x', category: 'general', currency, amount, date: '2025-03-01', payers, split };
  })
  .filter((d) => expenseShares(d).ok);

const paymentArb = fc
  .record({
    from: fc.constantFrom(...MEMBERS),
    to: fc.constantFrom(...MEMBERS),
    amount: fc.integer({ min: 1, max: 1e12 }),
    currency: fc.constantFrom(...CURRENCIES),
    deleted: fc.boolean(),
  })
  .filter((p) => p.from !== p.to);

const stateArb: fc.Arbitrary<GroupState> = fc
  .record({
    expenses: fc.array(fc.record({ data: expenseArb, deleted: fc.boolean() }), { maxLength: 12 }),
    payments: fc.array(paymentArb, { maxLength: 8 }),
  })
  .map(({ expenses, payments }) => ({
    groupId: hexId('g').slice(0, 32),
    name: 'G',
    currency: 'CNY',
    createdBy: MEMBERS[0]!,
    members: MEMBERS.map((id) => ({ id, name: id.slice(0, 4), joinedBy: id, joinedAt: 0 })),
    expenses: expenses.map(
      ({ data, deleted }, i): ExpenseState => ({
        id: hexId(`x${i}`),
        createdBy: MEMBERS[0]!,
        data,
        deleted,
        head: hexId(`x${i}`),
        versions: [],
      }),
    ),
    payments: payments.map(
      (p, i): PaymentState => ({
        ...p,
        id: hexId(`p${i}`),
        author: p.from,
        date: '2025-03-02',
        lamport: i,
        time: 0,
      }),
    ),
    requests: [],
    chat: [],
    rates: [],
    conflicts: [],
    ignored: [],
    entryCount: 0,
    maxLamport: 0,
  }));

describe('computeBalances properties', () => {
  it('sums to exactly zero per currency, lists every member, and matches memberTotals', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const balances = computeBalances(state);
        const totals = memberTotals(state);
        expect(balances.has('CNY')).toBe(true);
        for (const [code, perMember] of balances) {
          expect([...perMember.keys()]).toEqual([...MEMBERS].sort());
          let sum = 0n;
          for (const [id, v] of perMember) {
            expect(Number.isSafeInteger(v)).toBe(true);
            expect(totals.get(code)!.get(id as MemberId)!.net).toBe(v);
            sum += BigInt(v);
          }
          expect(sum).toBe(0n);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
