/**
 * Native notifications for what involves you: an expense you are in, a payment to you, a request
 * to you, a conflict on your expense. `noticesSince` finds them in folded state (entries newer than
 * a Lamport mark, written by others); `groupNotices` turns one batch into ONE notification, so a
 * sync that brings twenty entries shows one line, not twenty. Pure: the text comes from a
 * translate function; nothing here touches the platform.
 */
import type { ExpenseData } from '../../../shared/ledger/events';
import type { GroupState } from '../../../shared/ledger/types';
import type { CurrencyCode, MemberId, Minor } from '../../../shared/money/types';
import { hrefFor } from './route';

export const NOTICE_KINDS = ['expense', 'payment', 'request', 'conflict'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * Every kind with a setting of its own: the grouped ones above, chat messages
 * (services/noticeCenter.ts discreetNotify) and recurring reminders (services/reminderCenter.ts).
 */
export const NOTICE_SETTING_KINDS = [...NOTICE_KINDS, 'chat', 'reminder'] as const;
export type NoticeSettingKind = (typeof NOTICE_SETTING_KINDS)[number];

/** Which kinds this device notifies about (a setting per kind). */
export type NoticeSettings = Readonly<Record<NoticeSettingKind, boolean>>;
export const DEFAULT_NOTICE_SETTINGS: NoticeSettings = {
  expense: true,
  payment: true,
  request: true,
  conflict: true,
  chat: true,
  reminder: true,
};

export interface Notice {
  readonly kind: NoticeKind;
  readonly author: MemberId;
  /** What a click opens (an app route). */
  readonly target: string;
  readonly label: string;
  readonly amount?: Minor;
  readonly currency?: CurrencyCode;
}

/** Whether `me` pays or shares in an expense. */
export function involves(data: ExpenseData, me: MemberId): boolean {
  if (data.payers.some((p) => p.member === me)) return true;
  const split = data.split;
  switch (split.mode) {
    case 'equal':
    case 'adjustment':
      return split.members.includes(me);
    case 'exact':
      return (split.amounts[me] ?? 0) !== 0;
    case 'percent':
      return (split.basisPoints[me] ?? 0) !== 0;
    case 'shares':
      return (split.weights[me] ?? 0) !== 0;
  }
}

/** What arrived after Lamport `since`, written by others, that involves `me`, oldest first. */
export function noticesSince(state: GroupState, since: number, me: MemberId): Notice[] {
  const out: (Notice & { lamport: number })[] = [];
  const groupId = state.groupId;
  const expenseHref = (expenseId: string) => hrefFor({ name: 'expense-view', groupId, expenseId });
  const mine = new Set<string>();
  for (const e of state.expenses) {
    if (e.createdBy === me) mine.add(e.id);
    const last = e.versions[e.versions.length - 1];
    if (!last || last.lamport <= since || last.author === me) continue;
    // Several new versions of one expense make one notice, about where it stands now.
    if (involves(e.data, me) || e.createdBy === me) {
      out.push({
        kind: 'expense',
        author: last.author,
        target: expenseHref(e.id),
        label: e.data.description,
        amount: e.data.amount,
        currency: e.data.currency,
        lamport: last.lamport,
      });
    }
  }
  for (const p of state.payments) {
    if (p.lamport <= since || p.author === me || p.to !== me || p.deleted) continue;
    out.push({
      kind: 'payment',
      author: p.author,
      target: hrefFor({ name: 'group', groupId, tab: 'balances' }),
      label: '',
      amount: p.amount,
      currency: p.currency,
      lamport: p.lamport,
    });
  }
  for (const r of state.requests) {
    // `from` owes: a request to you asks you to pay.
    if (r.lamport <= since || r.author === me || r.from !== me || r.status !== 'open') continue;
    out.push({
      kind: 'request',
      author: r.author,
      target: hrefFor({ name: 'group', groupId, tab: 'chat' }),
      label: r.note ?? '',
      amount: r.amount,
      currency: r.currency,
      lamport: r.lamport,
    });
  }
  const versions = new Map(state.expenses.flatMap((e) => e.versions.map((v) => [v.entryId, v] as const)));
  for (const c of state.conflicts) {
    if (c.resolved || !mine.has(c.expense)) continue;
    const newest = Math.max(...c.versions.map((id) => versions.get(id)?.lamport ?? 0));
    const author = versions.get(c.winner)?.author ?? '';
    if (newest <= since) continue;
    const expense = state.expenses.find((e) => e.id === c.expense);
    out.push({
      kind: 'conflict',
      author,
      target: expenseHref(c.expense),
      label: expense?.data.description ?? '',
      lamport: newest,
    });
  }
  return out.sort((a, b) => a.lamport - b.lamport).map(({ lamport: _, ...n }) => n);
}

export interface NoticeText {
  /** Translates a key of the "notices" section. */
  t(key: string, values?: Record<string, string | number>): string;
  name(member: MemberId): string;
  money(amount: Minor, currency: CurrencyCode): string;
}

export interface GroupedNotice {
  readonly title: string;
  readonly body: string;
  /** What a click opens: the item when there is one, else the group. */
  readonly target: string;
}

/** What a notification says while the app is locked: only how many things arrived. */
export function discreetNotice(text: Pick<NoticeText, 't'>, count: number, target: string): GroupedNotice {
  return { title: text.t('notices.discreetTitle'), body: text.t('notices.discreet', { count }), target };
}

/**
 * One notification for a batch, or null when nothing is left after the settings. While the app
 * is locked (`discreet`) it names no group, member, description or amount: only how many.
 */
export function groupNotices(
  notices: readonly Notice[],
  settings: NoticeSettings,
  group: { readonly id: string; readonly name: string },
  text: NoticeText,
  discreet: boolean,
): GroupedNotice | null {
  const shown = notices.filter((n) => settings[n.kind]);
  const first = shown[0];
  if (!first) return null;
  const groupHref = hrefFor({ name: 'group', groupId: group.id, tab: 'expenses' });
  if (discreet) return discreetNotice(text, shown.length, groupHref);
  if (shown.length === 1) {
    const amount =
      first.amount !== undefined && first.currency ? text.money(first.amount, first.currency) : '';
    return {
      title: group.name,
      body: text.t(`notices.${first.kind}`, { name: text.name(first.author), label: first.label, amount }),
      target: first.target,
    };
  }
  const counts = NOTICE_KINDS.map((kind) => [kind, shown.filter((n) => n.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => text.t(`notices.count.${kind}`, { count: n }));
  return {
    title: group.name,
    body: text.t('notices.many', { count: shown.length, parts: counts.join(', ') }),
    target: groupHref,
  };
}

/** Reads the stored per-kind settings; anything missing or malformed is on. */
export function parseNoticeSettings(raw: unknown): NoticeSettings {
  const v = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const out = { ...DEFAULT_NOTICE_SETTINGS };
  for (const kind of NOTICE_SETTING_KINDS) if (typeof v[kind] === 'boolean') out[kind] = v[kind];
  return out;
}
