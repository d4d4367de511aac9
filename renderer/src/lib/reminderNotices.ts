/**
 * Recurring-expense reminders as notifications (issue 12 §3): which upcoming occurrences
 * (lib/reminders.ts) have not been announced yet, and the ONE notification for them. An
 * occurrence is announced once: its key (group, rule, date) is remembered, and forgotten once its
 * date has passed. Pure: the memory, the clock and the platform are the caller's
 * (services/reminderCenter.ts).
 */
import { discreetNotice, type GroupedNotice, type NoticeText } from './notices';
import type { Upcoming } from './reminders';
import { hrefFor } from './route';

/** What identifies one announced occurrence. */
export function reminderKey(groupId: string, u: Pick<Upcoming, 'rule' | 'date'>): string {
  return `${groupId}|${u.rule}|${u.date}`;
}

/** The occurrences whose key is not in `shown`. */
export function unannounced(
  groupId: string,
  upcoming: readonly Upcoming[],
  shown: ReadonlySet<string>,
): Upcoming[] {
  return upcoming.filter((u) => !shown.has(reminderKey(groupId, u)));
}

/** The remembered keys whose occurrence is still today or later (the rest can never come again). */
export function stillAhead(shown: Iterable<string>, today: string): string[] {
  return [...shown].filter((key) => {
    const date = key.slice(key.lastIndexOf('|') + 1);
    return date >= today;
  });
}

/**
 * One notification for the occurrences about to come in one group, or null for none. While the
 * app is locked (`discreet`) it names no group, description or amount: only how many.
 */
export function reminderNotice(
  upcoming: readonly Upcoming[],
  group: { readonly id: string; readonly name: string },
  text: Pick<NoticeText, 't' | 'money'> & { date(iso: string): string },
  discreet: boolean,
): GroupedNotice | null {
  const first = upcoming[0];
  if (!first) return null;
  const target = hrefFor({ name: 'group', groupId: group.id, tab: 'expenses' });
  if (discreet) return discreetNotice(text, upcoming.length, target);
  const line = (u: Upcoming) =>
    text.t(u.inDays === 1 ? 'reminders.tomorrow' : 'reminders.inDays', {
      description: u.description,
      amount: text.money(u.amount, u.currency),
      date: text.date(u.date),
      count: u.inDays,
    });
  return { title: group.name, body: upcoming.map(line).join('\n'), target };
}
