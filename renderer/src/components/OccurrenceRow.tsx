import type { TFunction } from 'i18next';
import { useState } from 'react';
import type { Schedule } from '../../../shared/ledger/events';
import type { OccurrenceState } from '../../../shared/ledger/types';
import type { Formatters } from '../hooks';
import { categoryLabel } from './labels';

/** How a schedule reads in the list: "Monthly", "Every 2 weeks". */
export function scheduleSummary(t: TFunction, schedule: Schedule | undefined): string {
  if (!schedule) return t('repeat.summary.unknown');
  return schedule.interval === 1
    ? t(`repeat.freq.${schedule.freq}`)
    : t(`repeat.summary.${schedule.freq}`, { count: schedule.interval });
}

/**
 * One occurrence of a recurring expense in the expense list, marked as recurring, with ways to
 * skip it or stop the rule (each asks first). `t` comes from the list, as for expense rows.
 */
export function OccurrenceRow({
  occurrence,
  schedule,
  fmt,
  t,
  onSkip,
  onStop,
  editHref,
}: {
  occurrence: OccurrenceState;
  schedule: Schedule | undefined;
  fmt: Formatters;
  t: TFunction;
  onSkip: (o: OccurrenceState) => Promise<unknown>;
  onStop: (o: OccurrenceState) => Promise<unknown>;
  /** Where its description links to: the editor for this occurrence. */
  editHref: string;
}) {
  const [asking, setAsking] = useState<'skip' | 'stop' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const d = occurrence.data;
  const act = async (what: (o: OccurrenceState) => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await what(occurrence);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <tr data-testid="occurrence-row" data-rule-id={occurrence.rule} data-occurrence-date={occurrence.date}>
      <td className="date">{fmt.date(d.date)}</td>
      <td>
        <a href={editHref} data-testid="expense-description">
          {d.description}
        </a>
        <div className="muted small">
          <span role="img" aria-label={t('repeat.mark')} data-testid="recurring-mark">
            ↻
          </span>{' '}
          {scheduleSummary(t, schedule)} · {categoryLabel(t, d.category)}
          {occurrence.editedBy !== undefined && ` · ${t('repeat.edited')}`}
        </div>
        {asking === null ? (
          <div className="row">
            <button
              type="button"
              className="link"
              onClick={() => setAsking('skip')}
              data-testid="skip-occurrence"
            >
              {t('repeat.skip')}
            </button>
            <button
              type="button"
              className="link"
              onClick={() => setAsking('stop')}
              data-testid="stop-recurring"
            >
              {t('repeat.stop')}
            </button>
          </div>
        ) : (
          <div className="row">
            <span>
              {asking === 'skip'
                ? t('repeat.skipAsk', { date: fmt.date(occurrence.date) })
                : t('repeat.stopAsk')}
            </span>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => act(asking === 'skip' ? onSkip : onStop)}
              data-testid={asking === 'skip' ? 'confirm-skip-occurrence' : 'confirm-stop-recurring'}
            >
              {asking === 'skip' ? t('repeat.skipConfirm') : t('repeat.stopConfirm')}
            </button>
            <button type="button" onClick={() => setAsking(null)} disabled={busy}>
              {t('common.cancel')}
            </button>
          </div>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </td>
      <td>{d.payers.map((p) => fmt.name(p.member)).join(', ')}</td>
      <td className="num" data-testid="expense-amount">
        {fmt.money(d.amount, d.currency)}
      </td>
    </tr>
  );
}
