/**
 * Recurring-expense reminders as native notifications (desktop) or browser notifications (when
 * permitted): for each group's state, the occurrences due within the days set in Settings that
 * were not announced yet, as one notification; each occurrence once per device (the keys shown
 * are kept in localStorage). Respects the "reminder" notification setting and the lock's
 * discreet mode. It looks whenever a group's state is folded (opening the app, any arrival or
 * write); the expenses tab shows the same reminders meanwhile (components/UpcomingReminders.tsx).
 */
import type { GroupState } from '../../../shared/ledger/types';
import { formatAmount } from '../../../shared/money/format';
import { formatDate, todayIso } from '../lib/format';
import type { NoticeText } from '../lib/notices';
import { reminderKey, reminderNotice, stillAhead, unannounced } from '../lib/reminderNotices';
import { upcomingOccurrences } from '../lib/reminders';
import type { Prefs } from './prefs';

const KEY = 'tally.reminders.shown.v1';

export interface ReminderCenterDeps {
  prefs(): Pick<Prefs, 'notices' | 'noticeDetailsWhenLocked' | 'language' | 'reminderDays'>;
  isLocked(): boolean;
  /** Shows a notification even while the window has focus (a reminder is not live news). */
  notify(title: string, body: string, target?: string): void;
  t: NoticeText['t'];
  storage?: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  /** Today as YYYY-MM-DD in local time (tests give their own). */
  today?(): string;
}

function readShown(storage: ReminderCenterDeps['storage']): Set<string> {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(KEY) ?? '[]');
    return new Set(Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : []);
  } catch {
    return new Set();
  }
}

/** WalletDeps.reminders: call with each group state; announces what is due and not yet announced. */
export function reminderCenter(deps: ReminderCenterDeps): (state: GroupState) => void {
  const today = deps.today ?? (() => todayIso());
  return (state) => {
    const prefs = deps.prefs();
    if (!prefs.notices.reminder || !state.createdBy) return;
    const day = today();
    const upcoming = upcomingOccurrences(state.recurring, day, prefs.reminderDays);
    if (upcoming.length === 0) return;
    const shown = readShown(deps.storage);
    const fresh = unannounced(state.groupId, upcoming, shown);
    const notice = reminderNotice(
      fresh,
      { id: state.groupId, name: state.name },
      {
        t: deps.t,
        money: (amount, currency) => formatAmount(amount, currency, prefs.language),
        date: (iso) => formatDate(iso, prefs.language),
      },
      deps.isLocked() && !prefs.noticeDetailsWhenLocked,
    );
    if (!notice) return;
    const kept = stillAhead(shown, day);
    for (const u of fresh) kept.push(reminderKey(state.groupId, u));
    try {
      deps.storage?.setItem(KEY, JSON.stringify(kept));
    } catch {
      // Storage full or disabled: the reminder may come again next time, never silently lost.
    }
    deps.notify(notice.title, notice.body, notice.target);
  };
}
