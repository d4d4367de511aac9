/** Hash routes: everything after `#`, so the app works from file://, any sub-path, and Electron. */

export type GroupTab =
  | 'expenses'
  | 'balances'
  | 'analysis'
  | 'chat'
  | 'reconcile'
  | 'export'
  | 'import'
  | 'invite';
export const GROUP_TABS: readonly GroupTab[] = [
  'expenses',
  'balances',
  'analysis',
  'chat',
  'reconcile',
  'export',
  'import',
  'invite',
];

export type Route =
  | { readonly name: 'groups' }
  /** Across all groups: balances, recent activity, what needs me, spending. */
  | { readonly name: 'home' }
  | { readonly name: 'new-group' }
  | { readonly name: 'join'; readonly query: string }
  /** A device link (tally://link…) opened from the OS: the welcome screen's "link this device", filled in. */
  | { readonly name: 'link-device'; readonly link: string }
  | { readonly name: 'settings' }
  | { readonly name: 'group'; readonly groupId: string; readonly tab: GroupTab }
  | { readonly name: 'expense-new'; readonly groupId: string }
  /** One expense as it is (details, shares, history); editing is one more click. */
  | { readonly name: 'expense-view'; readonly groupId: string; readonly expenseId: string }
  | { readonly name: 'expense-edit'; readonly groupId: string; readonly expenseId: string }
  /** One occurrence of a recurring expense: its rule and its date in the rule. */
  | {
      readonly name: 'occurrence-edit';
      readonly groupId: string;
      readonly rule: string;
      readonly date: string;
    }
  | { readonly name: 'not-found' };

const GROUP_RE = /^[0-9a-f]{32}$/;
const ENTRY_RE = /^[0-9a-f]{64}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function parseRoute(hash: string): Route {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const qIndex = raw.indexOf('?');
  const path = qIndex >= 0 ? raw.slice(0, qIndex) : raw;
  const query = qIndex >= 0 ? raw.slice(qIndex + 1) : '';
  const parts = path.split('/').filter(Boolean);

  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'groups')) return { name: 'groups' };
  if (parts.length === 1 && parts[0] === 'home') return { name: 'home' };
  if (parts.length === 1 && parts[0] === 'new') return { name: 'new-group' };
  if (parts.length === 1 && parts[0] === 'join') return { name: 'join', query };
  if (parts.length === 1 && parts[0] === 'link') {
    return { name: 'link-device', link: new URLSearchParams(query).get('link') ?? '' };
  }
  if (parts.length === 1 && parts[0] === 'settings') return { name: 'settings' };
  if (parts[0] === 'g' && parts[1] && GROUP_RE.test(parts[1])) {
    const groupId = parts[1];
    const tab = parts[2] ?? 'expenses';
    if (parts.length <= 3 && (GROUP_TABS as readonly string[]).includes(tab)) {
      return { name: 'group', groupId, tab: tab as GroupTab };
    }
    if (parts.length === 4 && tab === 'expenses' && parts[3] === 'new')
      return { name: 'expense-new', groupId };
    if (parts.length === 4 && tab === 'expenses' && ENTRY_RE.test(parts[3]!)) {
      return { name: 'expense-view', groupId, expenseId: parts[3]! };
    }
    if (parts.length === 5 && tab === 'expenses' && ENTRY_RE.test(parts[3]!) && parts[4] === 'edit') {
      return { name: 'expense-edit', groupId, expenseId: parts[3]! };
    }
    if (parts.length === 5 && tab === 'expenses' && ENTRY_RE.test(parts[3]!) && DATE_RE.test(parts[4]!)) {
      return { name: 'occurrence-edit', groupId, rule: parts[3]!, date: parts[4]! };
    }
  }
  return { name: 'not-found' };
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'groups':
      return '#/';
    case 'home':
      return '#/home';
    case 'new-group':
      return '#/new';
    case 'join':
      return route.query ? `#/join?${route.query}` : '#/join';
    case 'link-device':
      return `#/link?${new URLSearchParams({ link: route.link }).toString()}`;
    case 'settings':
      return '#/settings';
    case 'group':
      return `#/g/${route.groupId}/${route.tab}`;
    case 'expense-new':
      return `#/g/${route.groupId}/expenses/new`;
    case 'expense-view':
      return `#/g/${route.groupId}/expenses/${route.expenseId}`;
    case 'expense-edit':
      return `#/g/${route.groupId}/expenses/${route.expenseId}/edit`;
    case 'occurrence-edit':
      return `#/g/${route.groupId}/expenses/${route.rule}/${route.date}`;
    case 'not-found':
      return '#/';
  }
}
