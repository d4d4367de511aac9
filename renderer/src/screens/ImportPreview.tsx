import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isWalletError } from '../../../shared/errors';
import {
  type ImportPlan,
  isImported,
  type PersonChoice,
  type PlannedItem,
  peopleInUse,
  planSummary,
  suggestCategory,
  suggestPeople,
} from '../../../shared/import';
import { BUILTIN_CATEGORIES, categoryLabel, errorText } from '../components/labels';
import { useFormat } from '../hooks';
import type { GroupHandle } from '../hooks/services';
import { existingImportIds, type ImportReport, writeImportPlan } from '../services/importWriter';

/** Rows shown in the preview table; the rest are counted (a 10k-row file would be a slow page). */
const SHOWN = 200;
const NEW = '\u0000new';

/** The preview of a planned import: who is who, what will be created, what cannot be read; then the write. */
export function ImportPreview({
  group,
  plan,
  fileName,
}: {
  group: GroupHandle;
  plan: ImportPlan;
  fileName: string;
}) {
  const { t } = useTranslation();
  const state = group.snap.state!;
  const fmt = useFormat(state);
  const id = useId();
  const used = useMemo(() => peopleInUse(plan), [plan]);
  const people = plan.people.filter((p) => used.has(p.key));
  const summary = useMemo(() => planSummary(plan), [plan]);
  const [choices, setChoices] = useState<Record<string, PersonChoice>>(() =>
    suggestPeople(plan.people, state.members),
  );
  const [categories, setCategories] = useState<Record<string, string>>(() =>
    Object.fromEntries(summary.categories.map((c) => [c.name, suggestCategory(c.name)])),
  );
  const [existing, setExisting] = useState<ReadonlySet<string> | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    let live = true;
    group.session
      .importTarget()
      .then((target) => live && setExisting(existingImportIds(target.sync)))
      .catch(() => live && setExisting(new Set()));
    return () => {
      live = false;
    };
  }, [group.session]);

  const fresh = existing ? plan.items.filter((i) => !isImported(i, existing)) : plan.items;
  const taken = new Map<string, number>();
  for (const p of people) {
    const c = choices[p.key];
    if (c && 'member' in c) taken.set(c.member, (taken.get(c.member) ?? 0) + 1);
  }
  const clash = [...taken.values()].some((n) => n > 1);
  const unnamed = people.some((p) => {
    const c = choices[p.key];
    return c !== undefined && 'newName' in c && c.newName.trim() === '';
  });
  const categoryOptions = [...new Set([...BUILTIN_CATEGORIES, ...Object.values(categories)])];

  async function write() {
    setResult(null);
    setProgress({ done: 0, total: fresh.length });
    try {
      const target = await group.session.importTarget();
      const report: ImportReport = await writeImportPlan(
        target,
        plan,
        { people: choices, categories },
        (done, total) => setProgress({ done, total }),
      );
      setExisting(existingImportIds(target.sync));
      setResult({ ok: true, text: t('import.done', { ...report }) });
    } catch (err) {
      setResult({ ok: false, text: isWalletError(err) ? errorText(t, err.code, err.message) : String(err) });
    } finally {
      setProgress(null);
    }
  }

  const itemText = (item: PlannedItem) =>
    item.kind === 'expense'
      ? item.description
      : `${plan.people.find((p) => p.key === item.from)?.name ?? item.from} → ${plan.people.find((p) => p.key === item.to)?.name ?? item.to}`;

  return (
    <div className="card" data-testid="import-preview">
      <h2>{t('import.previewTitle', { file: fileName })}</h2>
      <p data-testid="import-summary">
        {t(`import.format.${plan.format}`)} ·{' '}
        {t('import.summary', {
          expenses: summary.expenses,
          payments: summary.payments,
          errors: plan.errors.length,
          already: plan.items.length - fresh.length,
        })}
      </p>

      <h3>{t('import.people')}</h3>
      <p className="muted small">{t('import.peopleExplain')}</p>
      <table>
        <tbody>
          {people.map((p, i) => {
            const c = choices[p.key];
            const value = c && 'member' in c ? c.member : NEW;
            return (
              <tr key={p.key}>
                <th scope="row">
                  <label htmlFor={`${id}-p${i}`}>{p.name}</label>
                </th>
                <td>
                  <select
                    id={`${id}-p${i}`}
                    value={value}
                    data-testid={`import-person-${i}`}
                    onChange={(e) =>
                      setChoices({
                        ...choices,
                        [p.key]:
                          e.target.value === NEW
                            ? { newName: p.name.slice(0, 80) }
                            : { member: e.target.value },
                      })
                    }
                  >
                    <option value={NEW}>{t('import.newMember', { name: p.name })}</option>
                    {state.members.map((m) => (
                      <option key={m.id} value={m.id}>
                        {fmt.name(m.id)}
                      </option>
                    ))}
                  </select>
                  {c && 'newName' in c && (
                    <input
                      value={c.newName}
                      maxLength={80}
                      aria-label={t('import.newName', { name: p.name })}
                      onChange={(e) => setChoices({ ...choices, [p.key]: { newName: e.target.value } })}
                      data-testid={`import-new-name-${i}`}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {clash && (
        <p className="error" role="alert" data-testid="import-clash">
          {t('import.clash')}
        </p>
      )}

      {summary.categories.length > 0 && (
        <>
          <h3>{t('import.categories')}</h3>
          <table>
            <tbody>
              {summary.categories.map((c, i) => (
                <tr key={c.name}>
                  <th scope="row">
                    <label htmlFor={`${id}-c${i}`}>{c.name || '—'}</label>
                  </th>
                  <td>
                    <select
                      id={`${id}-c${i}`}
                      value={categories[c.name] ?? suggestCategory(c.name)}
                      onChange={(e) => setCategories({ ...categories, [c.name]: e.target.value })}
                    >
                      {categoryOptions.map((k) => (
                        <option key={k} value={k}>
                          {categoryLabel(t, k)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="muted small">{t('import.count', { count: c.count })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h3>{t('import.currencies')}</h3>
      <p data-testid="import-currencies">
        {summary.currencies.map((c) => `${c.code} (${c.count})`).join(' · ') || '—'}
      </p>

      <h3>{t('import.items')}</h3>
      <table data-testid="import-items">
        <thead>
          <tr>
            <th scope="col">{t('import.row')}</th>
            <th scope="col">{t('expenses.date')}</th>
            <th scope="col">{t('import.what')}</th>
            <th scope="col">{t('expenses.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {plan.items.slice(0, SHOWN).map((item) => (
            <tr key={item.importId} className={existing && isImported(item, existing) ? 'muted' : undefined}>
              <td>{item.row}</td>
              <td>{fmt.date(item.date)}</td>
              <td>
                {item.kind === 'payment' ? `${t('import.payment')}: ` : ''}
                {itemText(item)}
                {existing && isImported(item, existing) && (
                  <span className="small"> · {t('import.already')}</span>
                )}
              </td>
              <td>{fmt.money(item.amount, item.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {plan.items.length > SHOWN && (
        <p className="muted small">{t('import.more', { count: plan.items.length - SHOWN })}</p>
      )}

      {plan.errors.length > 0 && (
        <>
          <h3>{t('import.unreadable')}</h3>
          <ul data-testid="import-row-errors">
            {plan.errors.slice(0, SHOWN).map((e) => (
              <li key={`${e.row}-${e.code}`} data-testid="import-row-error">
                {t('import.rowError', { row: e.row, column: e.column ?? '—' })} {t(`errors.${e.code}`)}{' '}
                <span className="muted small">({e.message})</span>
              </li>
            ))}
          </ul>
        </>
      )}

      {progress && (
        <div data-testid="import-progress">
          <progress
            max={progress.total || undefined}
            value={progress.done}
            aria-label={t('export.progress')}
          />
          <p className="muted small">{t('export.progressText', progress)}</p>
        </div>
      )}
      {result && (
        <p className={result.ok ? 'muted' : 'error'} role="status" data-testid="import-result">
          {result.text}
        </p>
      )}
      <button
        type="button"
        className="primary"
        disabled={progress !== null || clash || unnamed || existing === null || fresh.length === 0}
        onClick={write}
        data-testid="import-write"
      >
        {t('import.write', { count: fresh.length })}
      </button>
    </div>
  );
}
