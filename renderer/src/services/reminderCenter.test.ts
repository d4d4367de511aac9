import { describe, expect, it, vi } from 'vitest';
import type { Schedule } from '../../../shared/ledger/events';
import { fold } from '../../../shared/ledger/fold';
import { equalExpense, memberId, TestLedger } from '../../../shared/ledger/fold-testkit';
import { DEFAULT_NOTICE_SETTINGS } from '../lib/notices';
import { reminderCenter } from './reminderCenter';

const A = memberId('alice');
const B = memberId('bo');
const monthly: Schedule = { freq: 'monthly', start: '2025-01-31', interval: 1, day: 31 };

/** Rent on the last day of every month, folded as on `today`. */
function rentGroup(today: string) {
  const L = new TestLedger();
  L.add(A, { type: 'group.created', name: 'Flat 3B', currency: 'CNY', memberName: 'Alice' });
  L.add(B, { type: 'member.joined', name: 'Bo' });
  const { date: _d, ...rest } = equalExpense(A, [A, B], 300_000, { description: 'Rent', category: 'rent' });
  L.add(A, { type: 'recurring.created', schedule: monthly, template: { category: 'rent', ...rest } });
  return fold(L.groupId, L.entries, today);
}

function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  };
}

function setup(opts: { locked?: boolean; details?: boolean; reminder?: boolean; days?: number } = {}) {
  const notify = vi.fn();
  const storage = memoryStorage();
  let today = '2025-02-27';
  const center = reminderCenter({
    prefs: () => ({
      notices: { ...DEFAULT_NOTICE_SETTINGS, reminder: opts.reminder ?? true },
      noticeDetailsWhenLocked: opts.details ?? false,
      language: 'en' as const,
      reminderDays: opts.days ?? 1,
    }),
    isLocked: () => opts.locked ?? false,
    notify,
    t: (key, values) => `${key}|${JSON.stringify(values ?? {})}`,
    storage,
    today: () => today,
  });
  return {
    notify,
    storage,
    center,
    setToday: (d: string) => {
      today = d;
    },
  };
}

describe('reminderCenter', () => {
  it('announces an occurrence due within the set days once, however often the state comes', () => {
    const { notify, center } = setup();
    const state = rentGroup('2025-02-27');
    center(state);
    center(state);
    center(rentGroup('2025-02-27'));
    expect(notify).toHaveBeenCalledTimes(1);
    const [title, body, target] = notify.mock.calls[0]!;
    expect(title).toBe('Flat 3B');
    expect(body).toContain('reminders.tomorrow');
    expect(body).toContain('"description":"Rent"');
    expect(target).toBe(`#/g/${state.groupId}/expenses`);
  });

  it('remembers across restarts, and announces the next occurrence when it comes near', () => {
    const first = setup();
    first.center(rentGroup('2025-02-27'));
    expect(first.notify).toHaveBeenCalledTimes(1);
    // A new start of the app with the same storage: nothing again.
    const again = reminderCenter({
      prefs: () => ({
        notices: DEFAULT_NOTICE_SETTINGS,
        noticeDetailsWhenLocked: false,
        language: 'en',
        reminderDays: 1,
      }),
      isLocked: () => false,
      notify: first.notify,
      t: (key) => key,
      storage: first.storage,
      today: () => '2025-02-27',
    });
    again(rentGroup('2025-02-27'));
    expect(first.notify).toHaveBeenCalledTimes(1);
    // A month later: the March rent is a new occurrence; February's key has been dropped.
    first.setToday('2025-03-30');
    first.center(rentGroup('2025-03-30'));
    expect(first.notify).toHaveBeenCalledTimes(2);
    const kept = JSON.parse([...first.storage.items.values()][0]!) as string[];
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/\|2025-03-31$/);
  });

  it('says nothing when the reminder setting is off, or nothing is due within the days set', () => {
    const off = setup({ reminder: false });
    off.center(rentGroup('2025-02-27'));
    expect(off.notify).not.toHaveBeenCalled();
    expect(off.storage.items.size).toBe(0);
    const early = setup();
    early.setToday('2025-02-20');
    early.center(rentGroup('2025-02-20'));
    expect(early.notify).not.toHaveBeenCalled();
  });

  it('names nothing while locked, unless the person allowed details', () => {
    const locked = setup({ locked: true });
    locked.center(rentGroup('2025-02-27'));
    const [title, body] = locked.notify.mock.calls[0]!;
    expect(`${title} ${body}`).not.toMatch(/Rent|Flat/);
    expect(body).toBe('notices.discreet|{"count":1}');
    const allowed = setup({ locked: true, details: true });
    allowed.center(rentGroup('2025-02-27'));
    expect(allowed.notify.mock.calls[0]![1]).toContain('Rent');
  });
});
