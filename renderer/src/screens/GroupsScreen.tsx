import { useTranslation } from 'react-i18next';
import { AtRestNotice } from '../components/AtRestStatus';
import { useApp, useFormat } from '../hooks';
import { useOnline } from '../hooks/useOnline';
import { formatDateTime } from '../lib/format';
import { honestSync } from '../lib/honestSync';
import { hrefFor } from '../lib/route';

export function GroupsScreen() {
  const { t, i18n } = useTranslation();
  const app = useApp();
  const fmt = useFormat();
  const online = useOnline();
  return (
    <section aria-labelledby="groups-title" data-testid="groups-screen">
      <div className="row between">
        <h1 id="groups-title">{t('groups.title')}</h1>
        <div className="row">
          <a className="button" href="#/join" data-testid="join-group-link">
            {t('nav.join')}
          </a>
          <a className="button primary" href="#/new" data-testid="new-group-link">
            {t('nav.newGroup')}
          </a>
        </div>
      </div>
      <AtRestNotice />
      {app.groups.length === 0 && app.opening > 0 ? (
        <p className="muted" aria-busy="true">
          {t('app.loading')}
        </p>
      ) : app.groups.length === 0 ? (
        <div className="card empty">
          <p>{t('groups.empty')}</p>
        </div>
      ) : (
        <div className="card">
          <table data-testid="group-list">
            <thead>
              <tr>
                <th scope="col">{t('groups.name')}</th>
                <th scope="col" className="num">
                  {t('groups.myBalance')}
                </th>
                <th scope="col">{t('groups.status')}</th>
              </tr>
            </thead>
            <tbody>
              {app.groups.map((g) => (
                <tr key={g.id} data-testid="group-row" data-group-id={g.id}>
                  <td>
                    <a href={hrefFor({ name: 'group', groupId: g.id, tab: 'expenses' })}>{g.name}</a>
                    {g.review > 0 && (
                      <span className="badge" data-testid="group-review-badge">
                        {g.review}
                      </span>
                    )}
                  </td>
                  <td className="num" data-testid="group-balance">
                    {g.myBalances.length === 0 ? (
                      <span className="muted">{t('groups.settled')}</span>
                    ) : (
                      g.myBalances.map((b) => (
                        <div
                          key={b.currency}
                          className={b.amount > 0 ? 'pos' : b.amount < 0 ? 'neg' : undefined}
                        >
                          {b.amount > 0
                            ? t('groups.youAreOwed', { amount: fmt.money(b.amount, b.currency) })
                            : t('groups.youOwe', { amount: fmt.money(-b.amount, b.currency) })}
                        </div>
                      ))
                    )}
                  </td>
                  <td className="muted small" data-testid="group-sync">
                    {t(`sync.${honestSync(g.sync, online).phase}` as 'sync.offline', {
                      count: g.sync.pending,
                    })}
                    {(g.sync.unsent ?? 0) > 0 && <div>{t('sync.unsent', { count: g.sync.unsent })}</div>}
                    {honestSync(g.sync, online).phase !== 'synced' &&
                      typeof g.sync.lastSyncedAt === 'number' && (
                        <div>
                          {t('sync.lastSynced', { time: formatDateTime(g.sync.lastSyncedAt, i18n.language) })}
                        </div>
                      )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
