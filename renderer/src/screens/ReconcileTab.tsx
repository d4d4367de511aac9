import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExpenseData } from '../../../shared/ledger/events';
import type { ConflictState, GroupState } from '../../../shared/ledger/types';
import { categoryLabel } from '../components/labels';
import { type Formatters, useFormat } from '../hooks';
import type { GroupHandle } from '../hooks/services';
import {
  type ArrivalGroup,
  diffExpense,
  type EntryDescription,
  groupArrivals,
  indexEntries,
  openConflictEntries,
} from '../lib/arrivals';
import { shortId } from '../lib/format';
import type { Problem } from '../services/wallet';

export function ReconcileTab({ group }: { group: GroupHandle }) {
  const { t } = useTranslation();
  const state = group.snap.state!;
  const fmt = useFormat(state);
  const session = group.session;
  const [arrivals, setArrivals] = useState<ArrivalGroup[] | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const index = useMemo(() => indexEntries(state), [state]);
  const open = state.conflicts.filter((c) => !c.resolved);

  const { rejected } = group.snap.sync;
  const { unseen } = group.snap;
  // Reload when new entries arrive (index), are refused (rejected) or are marked seen (unseen).
  // biome-ignore lint/correctness/useExhaustiveDependencies: rejected and unseen are reload triggers
  useEffect(() => {
    let live = true;
    void session.arrivals().then((list) => {
      if (live) setArrivals(groupArrivals(list, index, openConflictEntries(state)));
    });
    void session.problems().then((list) => {
      if (live) setProblems(list);
    });
    return () => {
      live = false;
    };
  }, [session, index, rejected, unseen]);

  // Leaving the tab after the feed was on screen counts as having seen it: the Review badge
  // (lib/reviewCount.ts) drops what arrived and keeps only open conflicts. Marking on the way out
  // keeps the list in place while it is being read.
  const shown = useRef(false);
  if (arrivals && arrivals.length > 0) shown.current = true;
  useEffect(
    () => () => {
      if (shown.current) void session.markSeen().catch(() => undefined);
    },
    [session],
  );

  return (
    <div data-testid="reconcile-tab">
      <section className="card" aria-labelledby="arrivals-title" data-testid="arrivals">
        <div className="row between">
          <h2 id="arrivals-title">{t('reconcile.arrivedTitle')}</h2>
          {arrivals && arrivals.length > 0 && (
            <button type="button" onClick={() => void session.markSeen()} data-testid="mark-seen">
              {t('reconcile.markSeen')}
            </button>
          )}
        </div>
        {!arrivals ? (
          <p className="muted">{t('app.loading')}</p>
        ) : arrivals.length === 0 ? (
          <p className="muted" data-testid="arrivals-empty">
            {t('reconcile.nothingNew')}
          </p>
        ) : (
          arrivals.map((g) => (
            <div key={g.member} className="arrival-group" data-testid="arrival-group" data-member={g.member}>
              <h3>{t('reconcile.fromMember', { name: fmt.name(g.member), count: g.items.length })}</h3>
              <ul>
                {g.items.slice(0, 50).map((i) => (
                  <li key={i.entryId} data-testid="arrival-item">
                    {describeEntry(t, fmt, i.description)}
                  </li>
                ))}
                {g.items.length > 50 && (
                  <li className="muted">{t('reconcile.andMore', { count: g.items.length - 50 })}</li>
                )}
              </ul>
            </div>
          ))
        )}
      </section>

      <section className="card" aria-labelledby="conflicts-title" data-testid="conflict-list">
        <h2 id="conflicts-title">{t('reconcile.conflictsTitle', { count: open.length })}</h2>
        {open.length === 0 ? (
          <p className="muted" data-testid="conflicts-empty">
            {t('reconcile.noConflicts')}
          </p>
        ) : (
          <>
            <p className="muted">{t('reconcile.conflictsExplain')}</p>
            {open.map((c) => (
              <ConflictCard
                key={`${c.expense}:${c.base}`}
                conflict={c}
                state={state}
                fmt={fmt}
                group={group}
              />
            ))}
          </>
        )}
      </section>

      <section className="card" aria-labelledby="problems-title" data-testid="problem-list">
        <h2 id="problems-title">{t('reconcile.problemsTitle')}</h2>
        {problems.length === 0 ? (
          <p className="muted" data-testid="problems-empty">
            {t('reconcile.noProblems')}
          </p>
        ) : (
          <>
            <p className="muted">{t('reconcile.problemsExplain')}</p>
            <ul>
              {problems.map((p) => (
                <li key={`${p.kind}:${p.key}`} data-testid="problem-item" data-code={p.code}>
                  <strong>{t(`reconcile.problemKind.${p.kind}`)}</strong>{' '}
                  {t(`reconcile.reasons.${p.code}`, {
                    defaultValue: t('reconcile.reasons.unknown', { message: p.message }),
                  })}
                  <div className="muted small">
                    {p.author ? `${fmt.name(p.author)} · ` : ''}
                    {p.entryId ? t('reconcile.entry', { id: shortId(p.entryId) }) : ''}
                    {p.at ? ` · ${fmt.dateTime(p.at)}` : ''}
                  </div>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}

type T = ReturnType<typeof useTranslation>['t'];

function describeEntry(t: T, fmt: Formatters, d: EntryDescription): string {
  switch (d.kind) {
    case 'joined':
    case 'left':
    case 'removed':
      return t(`reconcile.kinds.${d.kind}`, { name: d.name });
    case 'expense-created':
    case 'expense-updated':
    case 'expense-deleted':
      return t(`reconcile.kinds.${d.kind}`, {
        description: d.data.description,
        amount: fmt.money(d.data.amount, d.data.currency),
      });
    case 'payment':
      return t('reconcile.kinds.payment', {
        from: fmt.name(d.from),
        to: fmt.name(d.to),
        amount: fmt.money(d.amount, d.currency),
      });
    case 'request':
      return t('reconcile.kinds.request', {
        from: fmt.name(d.from),
        to: fmt.name(d.to),
        amount: fmt.money(d.amount, d.currency),
      });
    case 'message':
      return t('reconcile.kinds.message', { text: d.text.length > 80 ? `${d.text.slice(0, 80)}…` : d.text });
    case 'envelope-sent':
    case 'envelope-reclaimed':
      return t(`reconcile.kinds.${d.kind}`, { amount: fmt.money(d.amount, d.currency) });
    case 'envelope-opened':
      return t('reconcile.kinds.envelope-opened', {
        sender: fmt.name(d.sender),
        amount: fmt.money(d.amount, d.currency),
      });
    case 'other':
      return t('reconcile.kinds.other');
  }
}

function ConflictCard({
  conflict,
  state,
  fmt,
  group,
}: {
  conflict: ConflictState;
  state: GroupState;
  fmt: Formatters;
  group: GroupHandle;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const expense = state.expenses.find((e) => e.id === conflict.expense);
  if (!expense) return null;
  const versions = conflict.versions
    .map((id) => expense.versions.find((v) => v.entryId === id))
    .filter((v) => v !== undefined);
  const base = expense.versions.find((v) => v.entryId === conflict.base);
  const baseData = base?.data ?? expense.versions.find((v) => v.data)?.data ?? null;

  async function keep(versionId: string) {
    setBusy(true);
    setError(null);
    try {
      await group.session.keepVersion(conflict, versionId);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <div
      className="conflict"
      data-testid="conflict"
      data-expense-id={conflict.expense}
      data-kind={conflict.kind}
    >
      <h3>
        {t('reconcile.conflictOn', { description: (baseData ?? expense.data).description })}{' '}
        <span className="muted small">{t(`reconcile.conflictKind.${conflict.kind}`)}</span>
      </h3>
      <div className="versions">
        {versions.map((v) => {
          const diff = diffExpense(baseData, v.data);
          return (
            <div
              key={v.entryId}
              className={`version${v.entryId === conflict.winner ? ' winner' : ''}`}
              data-testid="conflict-version"
              data-entry-id={v.entryId}
              data-winner={v.entryId === conflict.winner || undefined}
            >
              <p className="small">
                <strong>{fmt.name(v.author)}</strong> · {fmt.dateTime(v.time)}
                {v.entryId === conflict.winner && <> · {t('reconcile.currentlyShown')}</>}
              </p>
              {v.data ? (
                <VersionDetails data={v.data} diff={diff} fmt={fmt} />
              ) : (
                <p>{t('reconcile.deletedVersion')}</p>
              )}
              <button
                type="button"
                className="primary"
                disabled={busy}
                onClick={() => keep(v.entryId)}
                data-testid="keep-version"
              >
                {v.data ? t('reconcile.keepThis') : t('reconcile.keepDeleted')}
              </button>
            </div>
          );
        })}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function VersionDetails({ data, diff, fmt }: { data: ExpenseData; diff: Set<string>; fmt: Formatters }) {
  const { t } = useTranslation();
  const cls = (f: string) => (diff.has(f) ? 'diff' : undefined);
  return (
    <dl>
      <dt>{t('editor.description')}</dt>
      <dd className={cls('description')}>{data.description}</dd>
      <dt>{t('editor.amount')}</dt>
      <dd className={cls('amount') ?? cls('currency')} data-testid="version-amount">
        {fmt.money(data.amount, data.currency)}
      </dd>
      <dt>{t('editor.date')}</dt>
      <dd className={cls('date')}>{fmt.date(data.date)}</dd>
      <dt>{t('editor.category')}</dt>
      <dd className={cls('category')}>{categoryLabel(t, data.category)}</dd>
      <dt>{t('editor.paidBy')}</dt>
      <dd className={cls('payers')}>
        {data.payers.map((p) => `${fmt.name(p.member)} ${fmt.money(p.amount, data.currency)}`).join(', ')}
      </dd>
      <dt>{t('editor.split')}</dt>
      <dd className={cls('split')}>{t(`editor.modes.${data.split.mode}`)}</dd>
      {data.note && (
        <>
          <dt>{t('editor.note')}</dt>
          <dd className={cls('note')}>{data.note}</dd>
        </>
      )}
    </dl>
  );
}
