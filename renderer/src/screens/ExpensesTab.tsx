import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { TFunction } from 'i18next';
import { ListFilter } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { DepartedRuleWarnings } from '../components/DepartedRuleWarnings';
import { UpcomingReminders } from '../components/UpcomingReminders';
import { DateField } from '../components/DateField';
import { CategoryIcon } from '../components/CategoryIcon';
import { MemberAvatar } from '../components/MemberAvatar';
import type { ExpenseState } from '../../../shared/ledger/types';
import { categoryLabel } from '../components/labels';
import { MemberSelect } from '../components/MemberSelect';
import { OccurrenceRow } from '../components/OccurrenceRow';
import { type Formatters, useFormat } from '../hooks';
import type { GroupHandle } from '../hooks/services';
import {
  categoriesOf,
  EMPTY_FILTER,
  type ExpenseFilter,
  filterExpenses,
  isFilterActive,
} from '../lib/expenseFilter';
import { todayIso } from '../lib/format';
import { listRows } from '../lib/recurringRows';
import { hrefFor } from '../lib/route';
import { skipOccurrence, stopRecurringAfter } from '../services/recurringActions';

const PAGE = 100;
/**
 * Rows in the tab's first frame: more than the tallest window shows below the filters. The rest
 * of the page is drawn right after (a deferred render), so opening a group does not wait for
 * rows nobody can see yet.
 */
const FIRST_FRAME = 30;

export function ExpensesTab({ group }: { group: GroupHandle }) {
  const { t } = useTranslation();
  const state = group.snap.state!;
  const fmt = useFormat(state);
  const [filter, setFilter] = useState<ExpenseFilter>(EMPTY_FILTER);
  const [limit, setLimit] = useState(PAGE);
  const drawn = useDeferredValue(limit, FIRST_FRAME);
  const id = useId();

  const categories = useMemo(() => categoriesOf(state.expenses), [state.expenses]);
  // Recurring occurrences are listed at their dates among the expenses.
  const rows = useMemo(
    () =>
      listRows(
        filterExpenses(state.expenses, filter),
        state.occurrences ?? [],
        state.recurring ?? [],
        filter,
      ),
    [state.expenses, state.occurrences, state.recurring, filter],
  );
  const conflicted = useMemo(
    () => new Set(state.conflicts.filter((c) => !c.resolved).map((c) => c.expense)),
    [state.conflicts],
  );
  // The filters beyond search open by themselves when one of them is in use.
  const moreFilters =
    filter.member !== EMPTY_FILTER.member ||
    filter.category !== EMPTY_FILTER.category ||
    filter.from !== '' ||
    filter.to !== '' ||
    filter.showDeleted;
  const update = (patch: Partial<ExpenseFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    setLimit(PAGE);
  };

  return (
    <div data-testid="expenses-tab">
      <div className="row between">
        <h2>{t('expenses.title')}</h2>
        <a
          className="button primary"
          href={hrefFor({ name: 'expense-new', groupId: state.groupId })}
          data-testid="add-expense"
        >
          {t('expenses.add')}
        </a>
      </div>
      <UpcomingReminders state={state} />
      <DepartedRuleWarnings state={state} />
      <search className="card" aria-label={t('expenses.filters')}>
        <div className="field">
          <label htmlFor={`${id}-q`}>{t('expenses.search')}</label>
          <input
            id={`${id}-q`}
            type="search"
            data-testid="expense-search"
            value={filter.text}
            onChange={(e) => update({ text: e.target.value })}
          />
        </div>
        <details className="filters" open={moreFilters || undefined} data-testid="expense-filters">
          <summary>
            <ListFilter size={16} aria-hidden="true" />
            {t('expenses.moreFilters')}
            {moreFilters && <span className="badge">{t('expenses.filtersOn')}</span>}
          </summary>
          <div className="grid-2">
            <MemberSelect
              label={t('expenses.member')}
              value={filter.member}
              onChange={(member) => update({ member })}
              members={state.members}
              nameOf={fmt.name}
              testId="expense-filter-member"
              anyLabel={t('expenses.everyone')}
            />
            <div className="field">
              <label htmlFor={`${id}-c`}>{t('expenses.category')}</label>
              <select
                id={`${id}-c`}
                data-testid="expense-filter-category"
                value={filter.category}
                onChange={(e) => update({ category: e.target.value })}
              >
                <option value="">{t('expenses.allCategories')}</option>
                {categories.map((c) => (
                  <option key={c} value={c}>
                    {categoryLabel(t, c)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-from`}>{t('expenses.from')}</label>
              <DateField
                id={`${id}-from`}
                testId="expense-filter-from"
                value={filter.from}
                onChange={(from) => update({ from })}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-to`}>{t('expenses.to')}</label>
              <DateField
                id={`${id}-to`}
                testId="expense-filter-to"
                value={filter.to}
                onChange={(to) => update({ to })}
              />
            </div>
          </div>
          <div className="row between">
            <div className="field inline">
              <input
                id={`${id}-del`}
                type="checkbox"
                checked={filter.showDeleted}
                onChange={(e) => update({ showDeleted: e.target.checked })}
              />
              <label htmlFor={`${id}-del`}>{t('expenses.showDeleted')}</label>
            </div>
            {isFilterActive(filter) && (
              <button type="button" className="link" onClick={() => update(EMPTY_FILTER)}>
                {t('expenses.clearFilters')}
              </button>
            )}
          </div>
        </details>
      </search>

      <p className="muted small" data-testid="expense-count" aria-live="polite">
        {t('expenses.count', { count: rows.length })}
      </p>
      {rows.length === 0 ? (
        <div className="card empty">
          {state.expenses.length === 0 && !state.occurrences?.length
            ? t('expenses.empty')
            : t('expenses.noMatch')}
        </div>
      ) : (
        <div className="card">
          <table data-testid="expense-list">
            <thead>
              <tr>
                <th scope="col">{t('expenses.date')}</th>
                <th scope="col">{t('expenses.description')}</th>
                <th scope="col">{t('expenses.paidBy')}</th>
                <th scope="col" className="num">
                  {t('expenses.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, drawn).map((row) =>
                row.kind === 'expense' ? (
                  <ExpenseRow
                    key={row.expense.id}
                    expense={row.expense}
                    conflicted={conflicted.has(row.expense.id)}
                    groupId={state.groupId}
                    fmt={fmt}
                    t={t}
                  />
                ) : (
                  <OccurrenceRow
                    key={row.occurrence.id}
                    occurrence={row.occurrence}
                    schedule={row.schedule}
                    fmt={fmt}
                    t={t}
                    onSkip={(o) => skipOccurrence(group.session, o.rule, o.date)}
                    onStop={(o) => stopRecurringAfter(group.session, o.rule, todayIso())}
                    editHref={hrefFor({
                      name: 'occurrence-edit',
                      groupId: state.groupId,
                      rule: row.occurrence.rule,
                      date: row.occurrence.date,
                    })}
                  />
                ),
              )}
            </tbody>
          </table>
          {rows.length > limit && (
            <div className="row end">
              <button type="button" data-testid="expenses-more" onClick={() => setLimit((l) => l + PAGE * 5)}>
                {t('expenses.showMore', { count: rows.length - limit })}
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

/** One row of the list; `t` comes from the list (a hook per row costs more than the row itself). */
function ExpenseRow({
  expense,
  conflicted,
  groupId,
  fmt,
  t,
}: {
  expense: ExpenseState;
  conflicted: boolean;
  groupId: string;
  fmt: Formatters;
  t: TFunction;
}) {
  const d = expense.data;
  return (
    <tr
      className={expense.deleted ? 'deleted' : undefined}
      data-testid="expense-row"
      data-expense-id={expense.id}
      data-deleted={expense.deleted || undefined}
    >
      <td className="date">{fmt.date(d.date)}</td>
      <td>
        <div className="expense-cell">
          <CategoryIcon category={d.category} />
          <div>
            {expense.deleted ? (
              <span data-testid="expense-description">{d.description}</span>
            ) : (
              <a
                href={hrefFor({ name: 'expense-view', groupId, expenseId: expense.id })}
                data-testid="expense-description"
              >
                {d.description}
              </a>
            )}
            <div className="muted small">
              {categoryLabel(t, d.category)}
              {conflicted && (
                <>
                  {' · '}
                  <a href={hrefFor({ name: 'group', groupId, tab: 'reconcile' })} className="neg">
                    {t('expenses.conflict')}
                  </a>
                </>
              )}
              {expense.deleted && ` · ${t('expenses.deleted')}`}
            </div>
          </div>
        </div>
      </td>
      <td>
        {d.payers.map((p, i) => (
          <span key={p.member} className="who">
            {i > 0 && ', '}
            <MemberAvatar memberId={p.member} name={fmt.name(p.member)} size={20} />
            {fmt.name(p.member)}
          </span>
        ))}
      </td>
      <td className="num" data-testid="expense-amount">
        {fmt.money(d.amount, d.currency)}
      </td>
    </tr>
  );
}
