/** fold: payments, requests, chat and rates (fold.test.ts has groups, members, expenses and conflicts). */
import { beforeEach, describe, expect, it } from 'vitest';
import { fold } from './fold';
import { hexId, memberId, TestLedger } from './fold-testkit';
import type { GroupState, VerifiedEntry } from './types';

const A = memberId('alice');
const B = memberId('bo');
const C = memberId('chen');
const STRANGER = memberId('stranger');

let L: TestLedger;
const state = (entries: readonly VerifiedEntry[] = L.entries): GroupState => fold(L.groupId, entries);
const ignoredCodes = (s: GroupState) => s.ignored.map((i) => i.code);

/** A group of A, B and C (lamports 1–3). */
function flat(): void {
  L.add(A, { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Alice' });
  L.add(B, { type: 'member.joined', name: 'Bo' });
  L.add(C, { type: 'member.joined', name: 'Chen' });
}

beforeEach(() => {
  L = new TestLedger();
});
describe('payments and requests', () => {
  beforeEach(flat);
  const pay = (from: string, to: string, amount: number, request?: string) => ({
    type: 'payment.recorded' as const,
    from,
    to,
    amount,
    currency: 'CNY',
    date: '2025-03-02',
    ...(request ? { request } : {}),
  });

  it('records payments between members and ignores others', () => {
    const p = L.add(B, { ...pay(B, A, 500), note: 'rent' });
    L.add(B, pay(B, STRANGER, 500));
    L.add(B, { ...pay(B, A, 500), currency: 'ZZZ' });
    const s = state();
    expect(s.payments).toEqual([
      {
        id: p.id,
        author: B,
        from: B,
        to: A,
        amount: 500,
        currency: 'CNY',
        date: '2025-03-02',
        note: 'rent',
        deleted: false,
        lamport: p.header.lamport,
        time: p.header.time,
      },
    ]);
    expect(ignoredCodes(s)).toEqual(['unknown_member', 'unknown_currency']);
  });

  it('payment.deleted marks an existing payment deleted, once', () => {
    const p = L.add(B, pay(B, A, 500));
    L.add(A, { type: 'payment.deleted', payment: p.id });
    L.add(C, { type: 'payment.deleted', payment: p.id });
    L.add(C, { type: 'payment.deleted', payment: hexId('nope') });
    const s = state();
    expect(s.payments[0]!.deleted).toBe(true);
    expect(ignoredCodes(s)).toEqual(['already_deleted', 'unknown_payment']);
  });

  it('request lifecycle: created open, paid by a matching payment, reopened when that payment is deleted', () => {
    const r = L.add(A, {
      type: 'request.created',
      from: B,
      to: A,
      amount: 700,
      currency: 'CNY',
      note: 'gas',
    });
    let s = state();
    expect(s.requests).toEqual([
      {
        id: r.id,
        author: A,
        from: B,
        to: A,
        amount: 700,
        currency: 'CNY',
        note: 'gas',
        status: 'open',
        lamport: r.header.lamport,
        time: r.header.time,
      },
    ]);
    const p = L.add(B, pay(B, A, 700, r.id));
    s = state();
    expect(s.requests[0]).toMatchObject({ status: 'paid', paidBy: p.id });
    expect(s.payments[0]!.request).toBe(r.id);
    L.add(B, { type: 'payment.deleted', payment: p.id });
    s = state();
    expect(s.requests[0]!.status).toBe('open');
    expect(s.requests[0]).not.toHaveProperty('paidBy');
  });

  it('a payment that does not match its request still counts but leaves the request open', () => {
    const r = L.add(A, { type: 'request.created', from: B, to: A, amount: 700, currency: 'CNY' });
    L.add(B, pay(B, A, 600, r.id));
    L.add(C, pay(C, A, 700, r.id));
    const s = state();
    expect(s.payments.map((p) => p.amount)).toEqual([600, 700]);
    expect(s.requests[0]!.status).toBe('open');
    expect(s.ignored).toEqual([]);
  });

  it('deleting the paying payment hands the request to another matching payment', () => {
    const r = L.add(A, { type: 'request.created', from: B, to: A, amount: 700, currency: 'CNY' });
    const p1 = L.add(B, pay(B, A, 700, r.id));
    const p2 = L.add(C, pay(B, A, 700, r.id));
    expect(state().requests[0]!.paidBy).toBe(p1.id);
    L.add(B, { type: 'payment.deleted', payment: p1.id });
    expect(state().requests[0]).toMatchObject({ status: 'paid', paidBy: p2.id });
  });

  it('cancels open requests only', () => {
    const r1 = L.add(A, { type: 'request.created', from: B, to: A, amount: 700, currency: 'CNY' });
    const r2 = L.add(A, { type: 'request.created', from: C, to: A, amount: 100, currency: 'CNY' });
    L.add(B, pay(C, A, 100, r2.id));
    L.add(A, { type: 'request.cancelled', request: r1.id });
    L.add(A, { type: 'request.cancelled', request: r1.id });
    L.add(A, { type: 'request.cancelled', request: r2.id });
    L.add(A, { type: 'request.cancelled', request: hexId('nope') });
    L.add(B, pay(B, A, 700, r1.id));
    L.add(C, { type: 'request.created', from: C, to: STRANGER, amount: 1, currency: 'CNY' });
    const s = state();
    expect(s.requests.map((r) => r.status)).toEqual(['cancelled', 'paid']);
    expect(ignoredCodes(s)).toEqual([
      'request_not_open',
      'request_not_open',
      'unknown_request',
      'unknown_member',
    ]);
  });
});

describe('chat and rates', () => {
  beforeEach(flat);

  it('keeps chat messages in total order, with references', () => {
    const late = L.add(B, { type: 'chat.message', text: 'second' }, { lamport: 9 });
    const ref = { kind: 'expense' as const, id: hexId('x') };
    const early = L.add(C, { type: 'chat.message', text: 'first', ref }, { lamport: 8 });
    const s = state();
    expect(s.chat).toEqual([
      { id: early.id, author: C, text: 'first', ref, lamport: 8, time: early.header.time },
      { id: late.id, author: B, text: 'second', lamport: 9, time: late.header.time },
    ]);
  });

  it('records rates in order and ignores unknown currencies', () => {
    const rate = (num: string, to = 'CNY') =>
      ({ type: 'rate.recorded', from: 'EUR', to, rate: { num, den: '100' }, date: '2025-03-01' }) as const;
    const r1 = L.add(A, rate('780'));
    const r2 = L.add(B, rate('790'));
    L.add(B, rate('790', 'QQQ'));
    const s = state();
    expect(s.rates).toEqual([
      {
        id: r1.id,
        from: 'EUR',
        to: 'CNY',
        rate: { num: '780', den: '100' },
        date: '2025-03-01',
        lamport: r1.header.lamport,
      },
      {
        id: r2.id,
        from: 'EUR',
        to: 'CNY',
        rate: { num: '790', den: '100' },
        date: '2025-03-01',
        lamport: r2.header.lamport,
      },
    ]);
    expect(ignoredCodes(s)).toEqual(['unknown_currency']);
  });
});
