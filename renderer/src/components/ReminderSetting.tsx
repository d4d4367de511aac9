import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs, usePrefsStore } from '../hooks';
import { REMINDER_DAYS_CHOICES } from '../lib/reminders';

/** How many days ahead recurring expenses are announced (UpcomingReminders); 0 turns it off. */
export function ReminderSetting() {
  const { t } = useTranslation();
  const id = useId();
  const prefs = usePrefs();
  const store = usePrefsStore();
  return (
    <div className="field">
      <label htmlFor={`${id}-days`}>{t('reminders.setting')}</label>
      <select
        id={`${id}-days`}
        data-testid="settings-reminders"
        value={prefs.reminderDays}
        onChange={(e) => store.update({ reminderDays: Number(e.target.value) })}
      >
        {REMINDER_DAYS_CHOICES.map((d) => (
          <option key={d} value={d}>
            {d === 0 ? t('reminders.off') : t('reminders.days', { count: d })}
          </option>
        ))}
      </select>
    </div>
  );
}
