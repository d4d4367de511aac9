import { describe, expect, it, vi } from 'vitest';
import type { GroupState } from '../../../shared/ledger/types';
import { DEFAULT_NOTICE_SETTINGS } from '../lib/notices';
import { discreetNotify, noticeCenter } from './noticeCenter';

const ME = 'a'.repeat(64);
const BO = 'b'.repeat(64);
const GID = '1'.repeat(32);

const state = {
  groupId: GID,
  name: 'Flat 3B',
  currency: 'EUR',
  createdBy: ME,
  members: [
    { id: ME, name: 'Me', joinedBy: '0'.repeat(64), joinedAt: 0 },
    { id: BO, name: 'Bo', joinedBy: '2'.repeat(64), joinedAt: 0 },
  ],
  expenses: [],
  payments: [
    {
      id: '5'.repeat(64),
      author: BO,
      from: BO,
      to: ME,
      amount: 1250,
      currency: 'EUR',
      date: '2025-01-01',
      deleted: false,
      lamport: 9,
      time: 0,
    },
  ],
  requests: [],
  chat: [],
  rates: [],
  conflicts: [],
  ignored: [],
  entryCount: 3,
  maxLamport: 9,
} as unknown as GroupState;

const t = (key: string, values?: Record<string, string | number>) => `${key}|${JSON.stringify(values ?? {})}`;

function setup(locked: boolean, details = false, payment = true) {
  const notify = vi.fn();
  const prefs = () => ({
    notices: { ...DEFAULT_NOTICE_SETTINGS, payment },
    noticeDetailsWhenLocked: details,
    language: 'en' as const,
  });
  return { notify, center: noticeCenter({ prefs, isLocked: () => locked, notify, t }) };
}

describe('noticeCenter', () => {
  it('notifies a payment to me with who, how much, and the item to open', () => {
    const { notify, center } = setup(false);
    center(state, 5, ME);
    expect(notify).toHaveBeenCalledTimes(1);
    const [title, body, target] = notify.mock.calls[0]!;
    expect(title).toBe('Flat 3B');
    expect(body).toContain('Bo');
    expect(body).toContain('€12.50');
    expect(target).toBe(`#/g/${GID}/balances`);
  });

  it('says nothing about group, people or amounts while locked', () => {
    const { notify, center } = setup(true);
    center(state, 5, ME);
    const [title, body] = notify.mock.calls[0]!;
    for (const s of ['Flat 3B', 'Bo', '12.50']) expect(`${title} ${body}`).not.toContain(s);
  });

  it('names them while locked when the person allowed it, and is silent for switched-off kinds', () => {
    const allowed = setup(true, true);
    allowed.center(state, 5, ME);
    expect(allowed.notify.mock.calls[0]![0]).toBe('Flat 3B');
    const off = setup(false, false, false);
    off.center(state, 5, ME);
    expect(off.notify).not.toHaveBeenCalled();
  });

  it('does not notify what was already notified', () => {
    const { notify, center } = setup(false);
    center(state, 9, ME);
    expect(notify).not.toHaveBeenCalled();
  });
});

describe('discreetNotify', () => {
  it('hides a chat message’s author, group and text while locked', () => {
    const notify = vi.fn();
    let locked = true;
    const wrapped = discreetNotify(notify, {
      prefs: () => ({ notices: DEFAULT_NOTICE_SETTINGS, noticeDetailsWhenLocked: false, language: 'en' }),
      isLocked: () => locked,
      t,
    });
    wrapped('Bo · Flat 3B', 'meet at the blue door');
    expect(JSON.stringify(notify.mock.calls[0])).not.toMatch(/Bo|Flat|blue door/);
    locked = false;
    wrapped('Bo · Flat 3B', 'meet at the blue door');
    expect(notify.mock.calls[1]).toEqual(['Bo · Flat 3B', 'meet at the blue door']);
  });

  it('shows no chat message at all when the chat setting is off, locked or not', () => {
    const notify = vi.fn();
    let locked = false;
    const wrapped = discreetNotify(notify, {
      prefs: () => ({
        notices: { ...DEFAULT_NOTICE_SETTINGS, chat: false },
        noticeDetailsWhenLocked: false,
        language: 'en',
      }),
      isLocked: () => locked,
      t,
    });
    wrapped('Bo · Flat 3B', 'hello');
    locked = true;
    wrapped('Bo · Flat 3B', 'hello');
    expect(notify).not.toHaveBeenCalled();
  });
});
