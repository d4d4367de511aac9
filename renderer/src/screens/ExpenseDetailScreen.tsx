import { ArrowLeft, Pencil } from 'lucide-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { expenseShares } from '../../../shared/ledger/fold-shares';
import { CategoryIcon } from '../components/CategoryIcon';
import { categoryLabel } from '../components/labels';
import { MemberAvatar } from '../components/MemberAvatar';
import { useFormat } from '../hooks';
import type { GroupHandle } from '../hooks/services';
import { hrefFor } from '../lib/route';

/**
 * One expense as it stands: amount, who paid, each member's share, the note, and its history
 * (who created and changed it, when). Reading never risks an accidental edit: editing is one
 * more click.
 */
export function ExpenseDetailScreen({ group, expenseId }: { group: GroupHandle; expenseId: string }) {
  const { t } = useTranslation();
  const state = group.snap.state!;
  const fmt = useFormat(state);
  const expense = state.expenses.find((x) => x.id === expenseId);
  const shares = useMemo(() => (expense ? expenseShares(expense.data) : null), [expense]);
  const back = hrefFor({ name: 'group', groupId: state.groupId, tab: 'expenses' });

  if (!expense) {
    return (
      <section className="narrow" data-testid="expense-detail">
        <p>{t('editor.notFound')}</p>
        <a href={back}>{t('detail.back')}</a>
      </section>
    );
  }
  const d = expense.data;
  const conflict = state.conflicts.find((c) => c.expense === expense.id && !c.resolved);
  const members = shares?.ok
    ? [...new Set([...Object.keys(shares.value.paid), ...Object.keys(shares.value.owed)])]
    : [];

  return (
    <section className="narrow stack" aria-labelledby="expense-detail-title" data-testid="expense-detail">
      <a href={back} className="row nowrap muted">
        <ArrowLeft size={16} aria-hidden="true" /> {t('detail.back')}
      </a>
      <div className="card stack">
        <div className="row between">
          <div className="expense-cell">
            <CategoryIcon category={d.category} size={22} />
            <div>
              <h1 id="expense-detail-title" data-testid="detail-description">
                {d.description}
              </h1>
              <p className="muted small">
                {categoryLabel(t, d.category)} · {fmt.date(d.date)}
                {expense.deleted && ` · ${t('expenses.deleted')}`}
              </p>
            </div>
          </div>
          <p className="num" data-testid="detail-amount" style={{ fontSize: '1.5rem', fontWeight: 700 }}>
            {fmt.money(d.amount, d.currency)}
          </p>
        </div>
        {conflict && (
          <p className="notice danger">
            <a href={hrefFor({ name: 'group', groupId: state.groupId, tab: 'reconcile' })}>
              {t('expenses.conflict')}
            </a>
          </p>
        )}
        {d.note && <p data-testid="detail-note">{d.note}</p>}
        {shares?.ok && (
          <table data-testid="detail-shares">
            <thead>
              <tr>
                <th scope="col">{t('editor.member')}</th>
                <th scope="col" className="num">
                  {t('detail.paid')}
                </th>
                <th scope="col" className="num">
                  {t('editor.share')}
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m} data-testid="detail-share-row" data-member={m}>
                  <td>
                    <span className="who">
                      <MemberAvatar memberId={m} name={fmt.name(m)} size={20} />
                      {fmt.name(m)}
                    </span>
                  </td>
                  <td className="num">
                    {shares.value.paid[m] ? fmt.money(shares.value.paid[m]!, d.currency) : '—'}
                  </td>
                  <td className="num" data-testid="detail-share" data-minor={shares.value.owed[m] ?? 0}>
                    {shares.value.owed[m] ? fmt.money(shares.value.owed[m]!, d.currency) : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {!expense.deleted && (
          <div className="row">
            <a
              className="button primary"
              href={hrefFor({ name: 'expense-edit', groupId: state.groupId, expenseId: expense.id })}
              data-testid="expense-edit"
            >
              <Pencil size={14} aria-hidden="true" /> {t('detail.edit')}
            </a>
          </div>
        )}
      </div>
      <div className="card">
        <h2>{t('detail.history')}</h2>
        <ol className="plain-list" data-testid="detail-history">
          {expense.versions.map((v, i) => (
            <li key={v.entryId} className="muted small">
              {t(v.data === null ? 'detail.deletedBy' : i === 0 ? 'detail.createdBy' : 'detail.editedBy', {
                name: fmt.name(v.author),
                when: fmt.dateTime(v.time),
              })}
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}
