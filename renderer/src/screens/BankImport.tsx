import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isWalletError } from '../../../shared/errors';
import {
  type BankFile,
  type BankMapping,
  bankDraftEvents,
  bankDrafts,
  guessBankMapping,
} from '../../../shared/import/bank-csv';
import { DATE_FORMATS } from '../../../shared/import/read';
import { BUILTIN_CATEGORIES, categoryLabel, errorText } from '../components/labels';
import { useApp, useFormat } from '../hooks';
import type { GroupHandle } from '../hooks/services';
import { rememberBankMapping, rememberedBankMapping } from '../services/bankMappings';
import { existingImportIds, writeImportEvents } from '../services/importWriter';

/** localStorage when the page may use it (a sandboxed frame or a privacy mode may refuse). */
function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** A bank CSV as drafts to pick from: the column mapping (remembered per bank), then the picked rows as expenses. */
export function BankImport({
  group,
  file,
  fileName,
}: {
  group: GroupHandle;
  file: BankFile;
  fileName: string;
}) {
  const { t } = useTranslation();
  const app = useApp();
  const state = group.snap.state!;
  const fmt = useFormat(state);
  const id = useId();
  const remembered = useMemo(() => rememberedBankMapping(storage(), file.headerKey), [file.headerKey]);
  const [mapping, setMapping] = useState<BankMapping>(
    () =>
      remembered ??
      guessBankMapping(file.header, state.currency) ?? {
        date: 0,
        description: 1,
        amount: 2,
        currency: state.currency,
        dateFormat: 'YYYY-MM-DD',
        decimal: '.',
        spending: 'negative',
      },
  );
  const read = useMemo(() => bankDrafts(file, mapping), [file, mapping]);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [category, setCategory] = useState('general');
  const [existing, setExisting] = useState<ReadonlySet<string>>(new Set());
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  useEffect(() => {
    let live = true;
    group.session
      .importTarget()
      .then((target) => live && setExisting(existingImportIds(target.sync)))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [group.session]);

  const me = app.me?.id;
  const open = read.drafts.filter((d) => !existing.has(d.importId));
  const chosen = open.filter((d) => picked.has(d.importId));

  async function add() {
    if (!me) return;
    setResult(null);
    setProgress({ done: 0, total: chosen.length });
    try {
      const target = await group.session.importTarget();
      const events = bankDraftEvents(chosen, {
        payer: me,
        members: state.members.map((m) => m.id),
        category,
        existing: existingImportIds(target.sync),
      });
      const report = await writeImportEvents(target, events, (done, total) => setProgress({ done, total }));
      rememberBankMapping(storage(), file.headerKey, mapping);
      setExisting(existingImportIds(target.sync));
      setPicked(new Set());
      setResult({ ok: true, text: t('import.bankDone', { count: report.created }) });
    } catch (err) {
      setResult({ ok: false, text: isWalletError(err) ? errorText(t, err.code, err.message) : String(err) });
    } finally {
      setProgress(null);
    }
  }

  const column = (key: 'date' | 'description' | 'amount') => (
    <div className="field">
      <label htmlFor={`${id}-${key}`}>{t(`import.column.${key}`)}</label>
      <select
        id={`${id}-${key}`}
        value={mapping[key]}
        onChange={(e) => setMapping({ ...mapping, [key]: Number(e.target.value) })}
        data-testid={`bank-col-${key}`}
      >
        {file.header.map((h, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a file's columns never reorder.
          <option key={`${i}-${h}`} value={i}>
            {h || `#${i + 1}`}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <div className="card" data-testid="bank-import">
      <h2>{t('import.bankTitle', { file: fileName })}</h2>
      <p className="muted small">{remembered ? t('import.bankRemembered') : t('import.bankExplain')}</p>
      <div className="grid-2">
        {column('date')}
        {column('description')}
        {column('amount')}
        <div className="field">
          <label htmlFor={`${id}-cur`}>{t('import.column.currency')}</label>
          <select
            id={`${id}-cur`}
            value={mapping.currencyColumn ?? -1}
            onChange={(e) => {
              const { currencyColumn: _, ...rest } = mapping;
              const v = Number(e.target.value);
              setMapping(v < 0 ? rest : { ...rest, currencyColumn: v });
            }}
          >
            <option value={-1}>{t('import.allIn', { currency: mapping.currency })}</option>
            {file.header.map((h, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a file's columns never reorder.
              <option key={`${i}-${h}`} value={i}>
                {h || `#${i + 1}`}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-df`}>{t('import.dateFormat')}</label>
          <select
            id={`${id}-df`}
            value={mapping.dateFormat}
            onChange={(e) =>
              setMapping({ ...mapping, dateFormat: e.target.value as BankMapping['dateFormat'] })
            }
          >
            {DATE_FORMATS.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-dec`}>{t('import.decimal')}</label>
          <select
            id={`${id}-dec`}
            value={mapping.decimal}
            onChange={(e) => setMapping({ ...mapping, decimal: e.target.value === ',' ? ',' : '.' })}
          >
            <option value=".">12.50</option>
            <option value=",">12,50</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-sign`}>{t('import.spending')}</label>
          <select
            id={`${id}-sign`}
            value={mapping.spending}
            onChange={(e) =>
              setMapping({ ...mapping, spending: e.target.value === 'positive' ? 'positive' : 'negative' })
            }
          >
            <option value="negative">{t('import.spendingNegative')}</option>
            <option value="positive">{t('import.spendingPositive')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-cat`}>{t('expenses.category')}</label>
          <select id={`${id}-cat`} value={category} onChange={(e) => setCategory(e.target.value)}>
            {BUILTIN_CATEGORIES.map((k) => (
              <option key={k} value={k}>
                {categoryLabel(t, k)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="muted small" data-testid="bank-summary">
        {t('import.bankSummary', {
          drafts: open.length,
          incoming: read.incoming,
          errors: read.errors.length,
          already: read.drafts.length - open.length,
        })}
      </p>
      <ul className="plain">
        {open.map((d) => (
          <li key={d.importId}>
            <label>
              <input
                type="checkbox"
                checked={picked.has(d.importId)}
                onChange={(e) => {
                  const next = new Set(picked);
                  if (e.target.checked) next.add(d.importId);
                  else next.delete(d.importId);
                  setPicked(next);
                }}
                data-testid="bank-draft"
              />{' '}
              {fmt.date(d.date)} · {d.description} · {fmt.money(d.amount, d.currency)}
            </label>
          </li>
        ))}
      </ul>
      {read.errors.length > 0 && (
        <ul data-testid="bank-row-errors">
          {read.errors.map((e) => (
            <li key={`${e.row}-${e.code}`}>
              {t('import.rowError', { row: e.row, column: e.column ?? '—' })} {t(`errors.${e.code}`)}{' '}
              <span className="muted small">({e.message})</span>
            </li>
          ))}
        </ul>
      )}
      {progress && (
        <progress max={progress.total || undefined} value={progress.done} aria-label={t('export.progress')} />
      )}
      {result && (
        <p className={result.ok ? 'muted' : 'error'} role="status" data-testid="bank-result">
          {result.text}
        </p>
      )}
      <div className="row">
        <button type="button" onClick={() => setPicked(new Set(open.map((d) => d.importId)))}>
          {t('import.pickAll')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={progress !== null || chosen.length === 0 || !me}
          onClick={add}
          data-testid="bank-add"
        >
          {t('import.bankAdd', { count: chosen.length })}
        </button>
      </div>
    </div>
  );
}
