import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CodeSelect } from '../components/CodeSelect';
import { AnalysisView } from '../components/analysis/AnalysisView';
import { useApp, useFormat, useWallet } from '../hooks';
import type { SpendingSource } from '../lib/analysisRows';
import { groupsThatNeedMe, type HomeGroup, positionIn, positions, recentActivity } from '../lib/home';
import { hrefFor } from '../lib/route';

/** Across all groups: where I stand, what happened lately, what needs me, and where the money goes. */
export function HomeScreen() {
  const { t } = useTranslation();
  const app = useApp();
  const wallet = useWallet();
  const fmt = useFormat();
  const me = app.me?.id;
  const convertId = useId();
  const [target, setTarget] = useState('');

  // app changes whenever a group's state does (wallet.ts rebuilds the list), so this stays fresh.
  const groups: HomeGroup[] = useMemo(
    () =>
      app.groups.map((summary) => ({
        summary,
        state: wallet.session(summary.id)?.getSnapshot().state ?? null,
      })),
    [app.groups, wallet],
  );
  const sources: SpendingSource[] = useMemo(
    () =>
      groups.flatMap((g) =>
        g.state?.createdBy ? [{ groupId: g.summary.id, name: g.summary.name, state: g.state }] : [],
      ),
    [groups],
  );
  const stand = useMemo(() => positions(groups), [groups]);
  const inOne = useMemo(
    () => (me && target ? positionIn(groups, me, target) : undefined),
    [groups, me, target],
  );
  const recent = useMemo(() => recentActivity(groups), [groups]);
  const needs = useMemo(() => groupsThatNeedMe(groups, me), [groups, me]);
  const currencies = useMemo(
    () =>
      [...new Set([...stand.map((p) => p.currency), ...groups.map((g) => g.summary.currency)])]
        .filter(Boolean)
        .sort(),
    [stand, groups],
  );

  return (
    <section aria-labelledby="home-title" data-testid="home-screen">
      <div className="row between">
        <h1 id="home-title">{t('home.title')}</h1>
        <a className="button" href={hrefFor({ name: 'groups' })} data-testid="home-groups-link">
          {t('home.allGroups')}
        </a>
      </div>
      {app.groups.length === 0 ? (
        <div className="card empty">
          <p>{t('home.noGroups')}</p>
          <a className="button primary" href="#/new">
            {t('nav.newGroup')}
          </a>
        </div>
      ) : (
        <>
          <section className="card" aria-labelledby="home-balances" data-testid="home-balances">
            <h2 id="home-balances">{t('home.balances')}</h2>
            {stand.length === 0 ? (
              <p className="muted">{t('home.allSettled')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('home.currency')}</th>
                    <th scope="col" className="num">
                      {t('home.owed')}
                    </th>
                    <th scope="col" className="num">
                      {t('home.owe')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {stand.map((p) => (
                    <tr key={p.currency} data-testid="home-position" data-currency={p.currency}>
                      <th scope="row">{p.currency}</th>
                      <td className="num pos">{fmt.money(p.owed, p.currency)}</td>
                      <td className="num neg">{fmt.money(p.owe, p.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <div className="row">
              <label htmlFor={convertId}>{t('home.inOneCurrency')}</label>
              <CodeSelect
                id={convertId}
                value={target}
                onChange={setTarget}
                codes={currencies}
                emptyLabel={t('analysis.noConversion')}
                testId="home-convert"
              />
              {inOne &&
                (inOne.ok ? (
                  <span data-testid="home-converted">
                    {t('home.convertedPosition', {
                      owed: fmt.money(inOne.owed, target),
                      owe: fmt.money(inOne.owe, target),
                    })}
                  </span>
                ) : (
                  <span className="notice" role="status">
                    {t('analysis.missingRate', { from: inOne.from, to: inOne.to, group: inOne.group })}
                  </span>
                ))}
            </div>
          </section>

          <section className="card" aria-labelledby="home-needs" data-testid="home-needs">
            <h2 id="home-needs">{t('home.needsYou')}</h2>
            {needs.length === 0 ? (
              <p className="muted">{t('home.nothingNeeded')}</p>
            ) : (
              <ul className="plain-list">
                {needs.map((n) => (
                  <li key={n.groupId} data-testid="home-need">
                    <a
                      href={hrefFor({
                        name: 'group',
                        groupId: n.groupId,
                        tab: n.review > 0 ? 'reconcile' : 'balances',
                      })}
                    >
                      {n.name}
                    </a>
                    {n.review > 0 && <span> · {t('home.needReview', { count: n.review })}</span>}
                    {n.requests > 0 && <span> · {t('home.needRequests', { count: n.requests })}</span>}
                    {n.unsent > 0 && <span> · {t('home.needUnsent', { count: n.unsent })}</span>}
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="card" aria-labelledby="home-recent" data-testid="home-recent">
            <h2 id="home-recent">{t('home.recent')}</h2>
            {recent.length === 0 ? (
              <p className="muted">{t('home.noActivity')}</p>
            ) : (
              <ul className="plain-list">
                {recent.map((a) => (
                  <li key={`${a.groupId}:${a.id}`} data-testid="home-activity">
                    <a
                      href={hrefFor({
                        name: 'group',
                        groupId: a.groupId,
                        tab: a.kind === 'expense' ? 'expenses' : 'balances',
                      })}
                    >
                      {a.groupName}
                    </a>{' '}
                    · {a.kind === 'expense' ? a.description : a.description || t('home.payment')} ·{' '}
                    <span className="num">{fmt.money(a.amount, a.currency)}</span>{' '}
                    <span className="muted small">{fmt.date(a.date)}</span>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="home-spending">
            <h2 id="home-spending">{t('home.spending')}</h2>
            <AnalysisView sources={sources} fileParts={[t('home.title')]} />
          </section>
        </>
      )}
    </section>
  );
}
