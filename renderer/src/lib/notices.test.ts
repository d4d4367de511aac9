import { describe, expect, it } from 'vitest';
import type { ExpenseData } from '../../../shared/ledger/events';
import type { ExpenseState, GroupState } from '../../../shared/ledger/types';
import {
  DEFAULT_NOTICE_SETTINGS,
  groupNotices,
  involves,
  type NoticeText,
  noticesSince,
  parseNoticeSettings,
} from './notices';

const ME = 'a'.repeat(64);
const BO = 'b'.repeat(64);
const CY = 'c'.repeat(64);
const GID = '0'.repeat(32);
const id = (n: number) => n.toString(16).padStart(64, '0');
const data = (patch: Partial<ExpenseData> = {}): ExpenseData => ({
  description: 'Power',
  category: 'utilities',
  currency: 'EUR',
  amount: 3000,
  date: '2025-01-31',
  payers: [{ member: BO, amount: 3000 }],
  split: { mode: 'equal', members: [ME, BO] },
  ...patch,
});
const expense = (n: number, author: string, lamport: number, d: ExpenseData): ExpenseState => ({
  id: id(n),
  createdBy: author,
  data: d,
  deleted: false,
  head: id(n),
  versions: [{ entryId: id(n), author, lamport, time: 0, base: null, data: d }],
});

function state(patch: Partial<GroupState>): GroupState {
  return {
    groupId: GID,
    name: 'Flat',
    currency: 'EUR',
    createdBy: ME,
    members: [],
    expenses: [],
    payments: [],
    requests: [],
    chat: [],
    rates: [],
    conflicts: [],
    ignored: [],
    entryCount: 0,
    maxLamport: 20,
    ...patch,
  } as GroupState;
}

const text: NoticeText = {
  t: (key, values) => `${key}${values ? ` ${JSON.stringify(values)}` : ''}`,
  name: (m) => (m === BO ? 'Bo' : m === CY ? 'Cy' : '?'),
  money: (amount, currency) => `${currency} ${amount}`,
};

describe('involves', () => {
  it('counts payers and members with a share, not members without one', () => {
    expect(involves(data(), ME)).toBe(true);
    expect(involves(data({ split: { mode: 'equal', members: [BO] } }), ME)).toBe(false);
    expect(
      involves(data({ split: { mode: 'equal', members: [BO] }, payers: [{ member: ME, amount: 3000 }] }), ME),
    ).toBe(true);
    expect(involves(data({ split: { mode: 'exact', amounts: { [BO]: 3000, [ME]: 0 } } }), ME)).toBe(false);
    expect(involves(data({ split: { mode: 'shares', weights: { [BO]: 1, [ME]: 2 } } }), ME)).toBe(true);
  });
});

describe('noticesSince', () => {
  it('finds what others did that involves me after the mark, oldest first', () => {
    const s = state({
      expenses: [
        expense(1, BO, 5, data({ description: 'Old' })),
        expense(2, BO, 12, data({ description: 'Power' })),
        expense(3, BO, 11, data({ description: 'Not mine', split: { mode: 'equal', members: [BO, CY] } })),
        expense(4, ME, 13, data({ description: 'By me' })),
      ],
      payments: [
        {
          id: id(5),
          author: BO,
          from: BO,
          to: ME,
          amount: 700,
          currency: 'EUR',
          date: '2025-02-01',
          deleted: false,
          lamport: 14,
          time: 0,
        },
        {
          id: id(6),
          author: BO,
          from: BO,
          to: CY,
          amount: 800,
          currency: 'EUR',
          date: '2025-02-01',
          deleted: false,
          lamport: 15,
          time: 0,
        },
      ],
      requests: [
        {
          id: id(7),
          author: CY,
          from: ME,
          to: CY,
          amount: 900,
          currency: 'EUR',
          status: 'open',
          lamport: 11,
          time: 0,
        },
        {
          id: id(8),
          author: CY,
          from: BO,
          to: CY,
          amount: 900,
          currency: 'EUR',
          status: 'open',
          lamport: 16,
          time: 0,
        },
      ],
    });
    const got = noticesSince(s, 10, ME);
    expect(got.map((n) => [n.kind, n.label || n.amount])).toEqual([
      ['request', 900],
      ['expense', 'Power'],
      ['payment', 700],
    ]);
    expect(got[1]?.target).toBe(`#/g/${GID}/expenses/${id(2)}`);
  });

  it('reports an open conflict on an expense I created, with its newest version', () => {
    const mineExpense: ExpenseState = {
      ...expense(1, ME, 3, data()),
      versions: [
        { entryId: id(1), author: ME, lamport: 3, time: 0, base: null, data: data() },
        { entryId: id(2), author: ME, lamport: 4, time: 0, base: id(1), data: data({ amount: 10 }) },
        { entryId: id(3), author: BO, lamport: 12, time: 0, base: id(1), data: data({ amount: 20 }) },
      ],
    };
    const conflict = {
      expense: id(1),
      kind: 'update-update' as const,
      base: id(1),
      versions: [id(2), id(3)],
      winner: id(3),
      resolved: false,
    };
    const s = state({ expenses: [mineExpense], conflicts: [conflict] });
    expect(noticesSince(s, 10, ME).map((n) => n.kind)).toEqual(['expense', 'conflict']);
    expect(
      noticesSince(
        state({ expenses: [mineExpense], conflicts: [{ ...conflict, resolved: true }] }),
        10,
        ME,
      ).map((n) => n.kind),
    ).toEqual(['expense']);
  });
});

describe('groupNotices', () => {
  const group = { id: GID, name: 'Flat 3B' };
  const expenseNotice = {
    kind: 'expense' as const,
    author: BO,
    target: '#/x',
    label: 'Power',
    amount: 3000,
    currency: 'EUR',
  };
  const paymentNotice = {
    kind: 'payment' as const,
    author: BO,
    target: '#/y',
    label: '',
    amount: 700,
    currency: 'EUR',
  };

  it('describes a single arrival and opens it', () => {
    const n = groupNotices([expenseNotice], DEFAULT_NOTICE_SETTINGS, group, text, false);
    expect(n?.title).toBe('Flat 3B');
    expect(n?.body).toContain('notices.expense');
    expect(n?.body).toContain('"label":"Power"');
    expect(n?.body).toContain('EUR 3000');
    expect(n?.target).toBe('#/x');
  });

  it('makes one notification of several, counted by kind, opening the group', () => {
    const n = groupNotices(
      [expenseNotice, expenseNotice, paymentNotice],
      DEFAULT_NOTICE_SETTINGS,
      group,
      text,
      false,
    );
    expect(n?.body).toContain('notices.many');
    expect(n?.body).toContain('"count":3');
    expect(n?.body).toContain('notices.count.expense {\\"count\\":2}');
    expect(n?.target).toBe(`#/g/${GID}/expenses`);
  });

  it('leaves out the kinds switched off, and is null when none is left', () => {
    const noPayments = { ...DEFAULT_NOTICE_SETTINGS, payment: false };
    expect(groupNotices([paymentNotice, expenseNotice], noPayments, group, text, false)?.target).toBe('#/x');
    expect(groupNotices([paymentNotice], noPayments, group, text, false)).toBeNull();
  });

  it('names nothing while locked: no group, member, description or amount', () => {
    const n = groupNotices([expenseNotice, paymentNotice], DEFAULT_NOTICE_SETTINGS, group, text, true);
    const all = `${n?.title} ${n?.body}`;
    for (const secret of ['Flat 3B', 'Bo', 'Power', '3000', '700']) expect(all).not.toContain(secret);
    expect(n?.body).toContain('"count":2');
  });
});

describe('parseNoticeSettings', () => {
  it('keeps booleans per kind and turns the rest on', () => {
    expect(parseNoticeSettings({ expense: false, payment: 'no' })).toEqual({
      ...DEFAULT_NOTICE_SETTINGS,
      expense: false,
    });
    expect(parseNoticeSettings(null)).toEqual(DEFAULT_NOTICE_SETTINGS);
  });

  it('has a setting for chat messages and reminders too, on unless stored off', () => {
    // Settings stored before these kinds existed turn them on.
    expect(
      parseNoticeSettings({ expense: true, payment: true, request: true, conflict: true }),
    ).toMatchObject({
      chat: true,
      reminder: true,
    });
    expect(parseNoticeSettings({ chat: false, reminder: false })).toMatchObject({
      chat: false,
      reminder: false,
    });
  });
});
