import { CalendarClock } from 'lucide-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupState } from '../../../shared/ledger/types';
import { useFormat, usePrefs } from '../hooks';
import { todayIso } from '../lib/format';
import { upcomingOccurrences } from '../lib/reminders';

/** Recurring expenses due within the days set in Settings ("Reminders"); nothing when none or off. */
export function UpcomingReminders({ state }: { state: GroupState }) {
  const { t } = useTranslation();
  const fmt = useFormat(state);
  const { reminderDays } = usePrefs();
  const today = todayIso();
  const upcoming = useMemo(
    () => upcomingOccurrences(state.recurring, today, reminderDays),
    [state.recurring, today, reminderDays],
  );
  if (upcoming.length === 0) return null;
  return (
    <div className="notice" role="status" data-testid="upcoming-reminders">
      <CalendarClock size={16} aria-hidden="true" />{' '}
      {upcoming.map((u, i) => (
        <span key={`${u.rule}|${u.date}`} data-testid="upcoming-reminder">
          {i > 0 && ' · '}
          {t(u.inDays === 1 ? 'reminders.tomorrow' : 'reminders.inDays', {
            description: u.description,
            amount: fmt.money(u.amount, u.currency),
            date: fmt.date(u.date),
            count: u.inDays,
          })}
        </span>
      ))}
    </div>
  );
}
