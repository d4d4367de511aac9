import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { BalanceGlance } from '../components/BalanceGlance';
import { LanNearbyPrompt } from '../components/LanNearbyPrompt';
import { ScreenBoundary } from '../components/ScreenBoundary';
import { SyncProblemNotice } from '../components/SyncProblemNotice';
import { useFormat } from '../hooks';
import type { GroupHandle } from '../hooks/services';
import { useDateRefresh } from '../hooks/useDateRefresh';
import { activeMembers } from '../lib/membership';
import { GROUP_TABS, type GroupTab, hrefFor } from '../lib/route';
import { BalancesTab } from './BalancesTab';
import { ExpensesTab } from './ExpensesTab';
import { AnalysisTab, ChatTab, ExportTab, ImportTab, InviteTab, ReconcileTab } from './lazy';

export function GroupScreen({ group, tab }: { group: GroupHandle; tab: GroupTab }) {
  const { t } = useTranslation();
  const state = group.snap.state!;
  const fmt = useFormat(state);
  useDateRefresh(group.session);
  // The same number as the sidebar's badge (lib/reviewCount.ts).
  const attention = group.snap.review;
  return (
    <section aria-labelledby="group-title" data-testid="group-screen" data-group-id={state.groupId}>
      <div className="row between">
        <h1 id="group-title" data-testid="group-name">
          {state.name}
        </h1>
        <span className="muted small">
          {t('group.memberCount', { count: activeMembers(state).length })} · {state.currency}
        </span>
      </div>
      {/* The balances tab shows the same figures in full. */}
      {tab !== 'balances' && <BalanceGlance state={state} fmt={fmt} />}
      {group.snap.error && (
        <p className="notice danger" role="alert" data-testid="group-error">
          {group.snap.error}
        </p>
      )}
      <SyncProblemNotice group={group} />
      <LanNearbyPrompt groupId={state.groupId} groupName={state.name} />
      <nav className="tabs" aria-label={t('group.sections')}>
        {GROUP_TABS.map((name) => (
          <a
            key={name}
            href={hrefFor({ name: 'group', groupId: state.groupId, tab: name })}
            aria-current={name === tab ? 'page' : undefined}
            data-testid={`tab-${name}`}
          >
            {t(`group.tabs.${name}`)}
            {name === 'reconcile' && attention > 0 && (
              <span className="badge" data-testid="reconcile-badge">
                {attention}
              </span>
            )}
          </a>
        ))}
      </nav>
      <ScreenBoundary resetKey={tab}>
        <Suspense
          fallback={
            <p className="muted" aria-busy="true">
              {t('app.loading')}
            </p>
          }
        >
          {tab === 'expenses' && <ExpensesTab group={group} />}
          {tab === 'balances' && <BalancesTab group={group} />}
          {tab === 'analysis' && <AnalysisTab group={group} />}
          {tab === 'chat' && <ChatTab group={group} />}
          {tab === 'reconcile' && <ReconcileTab group={group} />}
          {tab === 'export' && <ExportTab group={group} />}
          {tab === 'import' && <ImportTab group={group} />}
          {tab === 'invite' && <InviteTab group={group} />}
        </Suspense>
      </ScreenBoundary>
    </section>
  );
}
