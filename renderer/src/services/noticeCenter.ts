/**
 * Native notifications (docs/renderer.md, "Notifications"): what involves this member, one
 * notification per batch (lib/notices.ts), the kinds chosen in Settings, nothing named while the
 * app is locked unless the person allowed it, and a click that opens the item.
 */
import type { GroupState } from '../../../shared/ledger/types';
import { formatAmount } from '../../../shared/money/format';
import type { MemberId } from '../../../shared/money/types';
import { groupNotices, noticesSince } from '../lib/notices';
import type { Prefs } from './prefs';

export interface NoticeCenterDeps {
  prefs(): Pick<Prefs, 'notices' | 'noticeDetailsWhenLocked' | 'language'>;
  isLocked(): boolean;
  /** Shows a system notification; `target` is the app route a click opens. */
  notify(title: string, body: string, target?: string): void;
  t(key: string, values?: Record<string, string | number>): string;
}

/** WalletDeps.notices: grouped notifications for one group's new state. */
export function noticeCenter(deps: NoticeCenterDeps) {
  return (state: GroupState, since: number, me: MemberId): void => {
    const prefs = deps.prefs();
    const names = new Map(state.members.map((m) => [m.id, m.name]));
    const grouped = groupNotices(
      noticesSince(state, since, me),
      prefs.notices,
      { id: state.groupId, name: state.name },
      {
        t: deps.t,
        name: (m) => names.get(m) ?? '?',
        money: (amount, currency) => formatAmount(amount, currency, prefs.language),
      },
      deps.isLocked() && !prefs.noticeDetailsWhenLocked,
    );
    if (grouped) deps.notify(grouped.title, grouped.body, grouped.target);
  };
}

/**
 * Wraps the plain notify (chat messages): nothing when the "chat" setting is off, and while
 * locked only that something arrived: no group, name or text.
 */
export function discreetNotify(
  notify: (title: string, body: string, target?: string) => void,
  deps: Pick<NoticeCenterDeps, 'prefs' | 'isLocked' | 't'>,
): (title: string, body: string) => void {
  return (title, body) => {
    if (!deps.prefs().notices.chat) return;
    if (deps.isLocked() && !deps.prefs().noticeDetailsWhenLocked) {
      notify(deps.t('notices.discreetTitle'), deps.t('notices.discreet', { count: 1 }));
      return;
    }
    notify(title, body);
  };
}
