import { Suspense, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { QuickLockControls } from './components/QuickLockControls';
import { ScreenBoundary } from './components/ScreenBoundary';
import { combineSync, SyncStatus } from './components/SyncStatus';
import { useApp, useGroup, usePrefs, useWallet } from './hooks';
import type { GroupHandle } from './hooks/services';
import { navigate, useRoute } from './hooks/useRoute';
import { hrefFor, type Route } from './lib/route';
import { onInvite } from './services/platform';
import { GroupScreen } from './screens/GroupScreen';
import { GroupsScreen } from './screens/GroupsScreen';
// Only the group list, expenses and balances are in the start-up bundle; the rest loads on demand.
import {
  ExpenseDetailScreen,
  ExpenseEditorScreen,
  HomeScreen,
  JoinScreen,
  NewGroupScreen,
  SettingsScreen,
  WaitingForHistory,
  WelcomeScreen,
} from './screens/lazy';

export function App() {
  const { t, i18n } = useTranslation();
  const app = useApp();
  const prefs = usePrefs();
  const route = useRoute();

  useEffect(() => {
    document.documentElement.dataset.theme = prefs.theme;
  }, [prefs.theme]);
  useEffect(() => {
    if (i18n.language !== prefs.language) void i18n.changeLanguage(prefs.language);
    document.documentElement.lang = prefs.language;
  }, [prefs.language, i18n]);
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  // After a page change, move focus to the page so keyboard and screen-reader users start there.
  // Not on the first page: focus starts at the document anyway, and focusing would force a
  // layout of the whole first screen before it is painted.
  const href = hrefFor(route);
  const firstHref = useRef(href);
  useEffect(() => {
    if (href && href !== firstHref.current) {
      firstHref.current = '';
      document.getElementById('main')?.focus({ preventScroll: true });
    }
  }, [href]);
  // Deep links (wallet://join…) from the desktop shell open the join screen with the link filled in.
  useEffect(
    () =>
      onInvite((link) => {
        // A device link (tally://link…) goes to "link this device"; anything else is an invite.
        if (/^tally:\/\/link[/?]/i.test(link)) navigate(hrefFor({ name: 'link-device', link }));
        else navigate(`#/join?link=${encodeURIComponent(link)}`);
      }),
    [],
  );

  if (app.phase === 'loading') {
    return (
      <main className="main" aria-busy="true">
        <p className="muted">{t('app.loading')}</p>
      </main>
    );
  }
  if (app.phase === 'locked') {
    return (
      <main className="main narrow" data-testid="locked">
        <h1>{t('app.lockedTitle')}</h1>
        <p className="notice">{t('app.locked')}</p>
      </main>
    );
  }
  if (app.phase === 'error') {
    return (
      <main className="main narrow">
        <h1>{t('app.errorTitle')}</h1>
        <p className="notice danger" role="alert">
          {app.error}
        </p>
      </main>
    );
  }
  if (app.phase === 'needs-identity') {
    return (
      <ScreenBoundary resetKey="welcome">
        <Suspense fallback={<Loading />}>
          <WelcomeScreen pendingRoute={route} />
        </Suspense>
      </ScreenBoundary>
    );
  }

  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/">
          <img src="./icon.png" alt="" />
          {t('app.name')}
        </a>
        <span className="spacer" />
        <TopSync route={route} />
        <QuickLockControls />
        <a className="button" href="#/settings" aria-current={route.name === 'settings' ? 'page' : undefined}>
          {t('nav.settings')}
        </a>
      </header>
      <Sidebar route={route} />
      <main className="main" id="main" tabIndex={-1}>
        <ScreenBoundary resetKey={href}>
          <Suspense fallback={<Loading />}>
            <RouteView route={route} />
          </Suspense>
        </ScreenBoundary>
      </main>
    </div>
  );
}

/** Shown while a screen's code chunk loads (usually a few milliseconds). */
function Loading() {
  const { t } = useTranslation();
  return (
    <p className="muted" aria-busy="true">
      {t('app.loading')}
    </p>
  );
}

function TopSync({ route }: { route: Route }) {
  const { t } = useTranslation();
  const app = useApp();
  const wallet = useWallet();
  const groupId = 'groupId' in route ? route.groupId : '';
  const current = app.groups.find((g) => g.id === groupId);
  if (current) {
    const relay = wallet.session(current.id)?.getSnapshot().relayUrl ?? '';
    return (
      <SyncStatus sync={current.sync} scope={t('sync.scopeGroup', { name: current.name })} relay={relay} />
    );
  }
  return <SyncStatus sync={combineSync(app.groups.map((g) => g.sync))} scope={t('sync.scopeAll')} />;
}

function Sidebar({ route }: { route: Route }) {
  const { t } = useTranslation();
  const app = useApp();
  const current = 'groupId' in route ? route.groupId : '';
  return (
    <nav className="sidebar" aria-label={t('nav.groups')}>
      <ul className="nav-list">
        <li>
          <a href="#/home" aria-current={route.name === 'home' ? 'page' : undefined} data-testid="nav-home">
            {t('nav.home')}
          </a>
        </li>
      </ul>
      <h2>{t('nav.groups')}</h2>
      <ul className="nav-list" data-testid="sidebar-groups">
        {app.groups.map((g) => (
          <li key={g.id}>
            <a
              href={hrefFor({ name: 'group', groupId: g.id, tab: 'expenses' })}
              aria-current={current === g.id ? 'page' : undefined}
            >
              <span>{g.name}</span>
              {g.review > 0 && (
                <span className="badge" data-testid="sidebar-review-badge">
                  <span aria-hidden="true">{g.review}</span>
                  <span className="visually-hidden">{t('groups.review', { count: g.review })}</span>
                </span>
              )}
            </a>
          </li>
        ))}
      </ul>
      <ul className="nav-list">
        <li>
          <a href="#/new" aria-current={route.name === 'new-group' ? 'page' : undefined}>
            {t('nav.newGroup')}
          </a>
        </li>
        <li>
          <a href="#/join" aria-current={route.name === 'join' ? 'page' : undefined}>
            {t('nav.join')}
          </a>
        </li>
      </ul>
      {app.me && <p className="muted small">{t('nav.signedInAs', { name: app.me.name })}</p>}
    </nav>
  );
}

function RouteView({ route }: { route: Route }) {
  const { t } = useTranslation();
  switch (route.name) {
    case 'groups':
      return <GroupsScreen />;
    case 'home':
      return <HomeScreen />;
    case 'new-group':
      return <NewGroupScreen />;
    case 'join':
      return <JoinScreen query={route.query} />;
    case 'settings':
      return <SettingsScreen />;
    case 'group':
      return (
        <GroupRoute groupId={route.groupId}>{(g) => <GroupScreen group={g} tab={route.tab} />}</GroupRoute>
      );
    case 'expense-new':
      return <GroupRoute groupId={route.groupId}>{(g) => <ExpenseEditorScreen group={g} />}</GroupRoute>;
    case 'expense-view':
      return (
        <GroupRoute groupId={route.groupId}>
          {(g) => <ExpenseDetailScreen group={g} expenseId={route.expenseId} />}
        </GroupRoute>
      );
    case 'expense-edit':
      return (
        <GroupRoute groupId={route.groupId}>
          {(g) => <ExpenseEditorScreen group={g} expenseId={route.expenseId} />}
        </GroupRoute>
      );
    case 'occurrence-edit':
      return (
        <GroupRoute groupId={route.groupId}>
          {(g) => <ExpenseEditorScreen group={g} occurrence={{ rule: route.rule, date: route.date }} />}
        </GroupRoute>
      );
    case 'link-device':
      // This device already has an identity: a device link is for a new device.
      return (
        <div className="empty" data-testid="link-device-here">
          <p>{t('devices.alreadySetUp')}</p>
          <a href="#/settings">{t('nav.settings')}</a>
        </div>
      );
    case 'not-found':
      return (
        <div className="empty">
          <p>{t('app.notFound')}</p>
          <a href="#/">{t('nav.backToGroups')}</a>
        </div>
      );
  }
}

function GroupRoute({
  groupId,
  children,
}: {
  groupId: string;
  children: (g: GroupHandle) => React.ReactNode;
}) {
  const { t } = useTranslation();
  const g = useGroup(groupId);
  const app = useApp();
  if (!g && app.opening > 0) return <Loading />;
  if (!g) {
    return (
      <div className="empty">
        <p>{t('groups.unknown')}</p>
        <a href="#/">{t('nav.backToGroups')}</a>
      </div>
    );
  }
  if (!g.snap.state) return g.snap.loading ? <Loading /> : <WaitingForHistory group={g} />;
  return <>{children(g)}</>;
}
