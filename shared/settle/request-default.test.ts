import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from '../ledger/fold';
import { equalExpense, memberId, TestLedger } from '../ledger/fold-testkit';
import { computeBalances } from './balances';
import { overpayment, settlingLimit } from './overpayment';
import { paymentForRequest, plannedTransfer, requestDefault } from './request-default';

const A = memberId('alice');
const B = memberId('bo');
const C = memberId('chen');

function flat(): TestLedger {
  const L = new TestLedger();
  L.add(A, { type: 'group.created', name: 'Flat', currency: 'EUR', memberName: 'Alice' });
  L.add(B, { type: 'member.joined', name: 'Bo' });
  L.add(C, { type: 'member.joined', name: 'Chen' });
  return L;
}

const pay = (L: TestLedger, from: string, to: string, amount: number) =>
  L.add(from, { type: 'payment.recorded', from, to, amount, currency: 'EUR', date: '2025-01-02' });
const ask = (L: TestLedger, from: string, to: string, amount: number) =>
  L.add(to, { type: 'request.created', from, to, amount, currency: 'EUR' });

describe('requestDefault', () => {
  it('asks for what the plan has the payer pay the requester', () => {
    const L = flat();
    // B paid 25.00 for A and B: A owes B 12.50.
    L.add(B, { type: 'expense.created', expense: equalExpense(B, [A, B], 2500, { currency: 'EUR' }) });
    const state = fold(L.groupId, L.entries);
    expect(requestDefault(state, A, B, 'EUR')).toEqual({
      status: 'owed',
      amount: 1250,
      owed: 1250,
      requested: 0,
    });
    // The other way round nothing is owed, and neither in another currency.
    expect(requestDefault(state, B, A, 'EUR')).toMatchObject({ status: 'nothing_owed', amount: 0 });
    expect(requestDefault(state, A, B, 'USD')).toMatchObject({ status: 'nothing_owed', amount: 0 });
  });

  it('says nothing is owed once settled (the request that used to create a reverse debt)', () => {
    const L = flat();
    L.add(B, { type: 'expense.created', expense: equalExpense(B, [A, B], 2500, { currency: 'EUR' }) });
    pay(L, A, B, 1250);
    expect(requestDefault(fold(L.groupId, L.entries), A, B, 'EUR')).toMatchObject({
      status: 'nothing_owed',
      amount: 0,
      owed: 0,
    });
  });

  it('subtracts open requests in the same direction, and only open ones', () => {
    const L = flat();
    L.add(B, { type: 'expense.created', expense: equalExpense(B, [A, B], 3000, { currency: 'EUR' }) });
    const first = ask(L, A, B, 1000);
    ask(L, C, B, 700); // another payer: does not count
    let state = fold(L.groupId, L.entries);
    expect(requestDefault(state, A, B, 'EUR')).toEqual({
      status: 'owed',
      amount: 500,
      owed: 1500,
      requested: 1000,
    });
    ask(L, A, B, 500);
    state = fold(L.groupId, L.entries);
    expect(requestDefault(state, A, B, 'EUR')).toMatchObject({ status: 'already_requested', amount: 0 });
    L.add(B, { type: 'request.cancelled', request: first.id });
    expect(requestDefault(fold(L.groupId, L.entries), A, B, 'EUR')).toMatchObject({
      status: 'owed',
      amount: 1000,
    });
  });

  it('follows the plan: a debt the plan routes to someone else is not owed to this requester', () => {
    const L = flat();
    // C paid 30.00 for all three: A and B each owe C 10.00; B owes A nothing.
    L.add(C, { type: 'expense.created', expense: equalExpense(C, [A, B, C], 3000, { currency: 'EUR' }) });
    const state = fold(L.groupId, L.entries);
    expect(plannedTransfer(state, A, C, 'EUR')).toBe(1000);
    expect(requestDefault(state, A, C, 'EUR').amount).toBe(1000);
    expect(requestDefault(state, B, A, 'EUR').status).toBe('nothing_owed');
  });
});

describe('paymentForRequest', () => {
  it('pays the request exactly, names it and carries its note, and the fold marks it paid', () => {
    const L = flat();
    L.add(B, { type: 'expense.created', expense: equalExpense(B, [A, B], 2500, { currency: 'EUR' }) });
    const request = L.add(B, {
      type: 'request.created',
      from: A,
      to: B,
      amount: 1250,
      currency: 'EUR',
      note: 'Tickets',
    });
    const asked = fold(L.groupId, L.entries).requests.find((r) => r.id === request.id)!;
    const payment = paymentForRequest(asked, '2025-04-01');
    expect(payment).toEqual({
      from: A,
      to: B,
      amount: 1250,
      currency: 'EUR',
      date: '2025-04-01',
      request: request.id,
      note: 'Tickets',
    });
    const paid = L.add(A, { type: 'payment.recorded', ...payment });
    const state = fold(L.groupId, L.entries);
    expect(state.requests[0]).toMatchObject({ status: 'paid', paidBy: paid.id });
    expect(state.payments[0]).toMatchObject({ note: 'Tickets', request: request.id });
    // Without a note on the request, the payment has none either.
    const { note: _, ...bare } = asked;
    expect('note' in paymentForRequest(bare, '2025-04-01')).toBe(false);
  });
});

describe('overpayment', () => {
  it('lets a payment settle the debt exactly and flags anything beyond', () => {
    const L = flat();
    L.add(B, { type: 'expense.created', expense: equalExpense(B, [A, B], 2500, { currency: 'EUR' }) });
    const state = fold(L.groupId, L.entries);
    const draft = { from: A, to: B, currency: 'EUR' };
    expect(overpayment(state, { ...draft, amount: 1250 })).toBeNull();
    expect(overpayment(state, { ...draft, amount: 1000 })).toBeNull();
    expect(overpayment(state, { ...draft, amount: 1300 })).toEqual({ limit: 1250, excess: 50 });
    // Paying the creditor's way round is all excess.
    expect(overpayment(state, { from: B, to: A, currency: 'EUR', amount: 1 })).toEqual({
      limit: 0,
      excess: 1,
    });
  });

  it('flags paying a request after everything is settled', () => {
    const L = flat();
    L.add(B, { type: 'expense.created', expense: equalExpense(B, [A, B], 2500, { currency: 'EUR' }) });
    pay(L, A, B, 1250);
    const state = fold(L.groupId, L.entries);
    expect(overpayment(state, { from: A, to: B, amount: 1250, currency: 'EUR' })).toEqual({
      limit: 0,
      excess: 1250,
    });
  });

  it('paying the settling limit never turns a debtor into a creditor or the reverse', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            payer: fc.constantFrom(A, B, C),
            amount: fc.integer({ min: 1, max: 100_000 }),
            among: fc.subarray([A, B, C], { minLength: 1 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.constantFrom(A, B, C),
        fc.constantFrom(A, B, C),
        (expenses, from, to) => {
          fc.pre(from !== to);
          const L = flat();
          for (const x of expenses) {
            L.add(x.payer, {
              type: 'expense.created',
              expense: equalExpense(x.payer, x.among, x.amount, { currency: 'EUR' }),
            });
          }
          const before = computeBalances(fold(L.groupId, L.entries)).get('EUR')!;
          const limit = settlingLimit(fold(L.groupId, L.entries), from, to, 'EUR');
          if (limit > 0) pay(L, from, to, limit);
          const after = computeBalances(fold(L.groupId, L.entries)).get('EUR')!;
          // Signs never flip: a debtor stays a debtor (or settles), a creditor stays a creditor.
          expect(Math.sign(after.get(from)!) * Math.sign(before.get(from)!)).toBeGreaterThanOrEqual(0);
          expect(Math.sign(after.get(to)!) * Math.sign(before.get(to)!)).toBeGreaterThanOrEqual(0);
          // And it settles as much as possible: one of the two reaches zero, or nothing was owed.
          if (before.get(from)! < 0 && before.get(to)! > 0) {
            expect(after.get(from) === 0 || after.get(to) === 0).toBe(true);
          } else {
            expect(limit).toBe(0);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
