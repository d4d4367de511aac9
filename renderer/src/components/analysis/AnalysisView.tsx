import { Suspense, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../DateField';
import { CodeSelect } from '../CodeSelect';
import type { MemberId } from '../../../../shared/money/types';
import { useApp, useFormat } from '../../hooks';
import { runAnalysis, type SpendingSource, memberNames, spentCurrencies } from '../../lib/analysisRows';
import { shortId } from '../../lib/format';
import { SpendingCharts } from '../../screens/lazy';

/**
 * Spending of one group or of several: a date range, a currency (or all converted into one with
 * the groups' recorded rates), what I paid against my share, and the charts.
 */
export function AnalysisView({
  sources,
  fileParts,
}: {
  sources: readonly SpendingSource[];
  fileParts: readonly string[];
}) {
  const { t } = useTranslation();
  const app = useApp();
  const me = app.me?.id;
  const fmt = useFormat(sources.length === 1 ? sources[0]!.state : null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [currency, setCurrency] = useState('');
  const [convertTo, setConvertTo] = useState('');
  const ids = { from: useId(), to: useId(), currency: useId(), convert: useId() };

  const currencies = useMemo(() => spentCurrencies(sources), [sources]);
  const names = useMemo(() => memberNames(sources), [sources]);
  const outcome = useMemo(
    () =>
      runAnalysis(
        sources,
        { from: from || undefined, to: to || undefined, currency: currency || undefined },
        convertTo || undefined,
      ),
    [sources, from, to, currency, convertTo],
  );
  const name = (member: MemberId) => {
    const n = names.get(member) ?? t('common.unknownMember', { id: shortId(member) });
    return member === me ? t('common.you', { name: n }) : n;
  };

  return (
    <div className="analysis" data-testid="analysis-view">
      <form
        className="card analysis-filters row"
        onSubmit={(e) => e.preventDefault()}
        aria-label={t('analysis.filters')}
      >
        <label htmlFor={ids.from}>
          {t('analysis.from')}
          <DateField id={ids.from} value={from} onChange={setFrom} testId="analysis-from" />
        </label>
        <label htmlFor={ids.to}>
          {t('analysis.to')}
          <DateField id={ids.to} value={to} onChange={setTo} testId="analysis-to" />
        </label>
        <label htmlFor={ids.currency}>
          {t('analysis.currency')}
          <CodeSelect
            id={ids.currency}
            value={currency}
            onChange={setCurrency}
            codes={currencies}
            emptyLabel={t('analysis.allCurrencies')}
            testId="analysis-currency"
          />
        </label>
        <label htmlFor={ids.convert}>
          {t('analysis.convertTo')}
          <CodeSelect
            id={ids.convert}
            value={convertTo}
            onChange={setConvertTo}
            codes={currencies}
            emptyLabel={t('analysis.noConversion')}
            testId="analysis-convert"
          />
        </label>
      </form>
      {!outcome.ok ? (
        <p className="notice danger" role="alert" data-testid="analysis-error">
          {outcome.code === 'missing_rate'
            ? t('analysis.missingRate', {
                from: String(outcome.details?.from ?? ''),
                to: String(outcome.details?.to ?? ''),
                group: sources.find((s) => s.groupId === outcome.details?.groupId)?.name ?? '',
              })
            : t(`analysis.errors.${outcome.code}`, { defaultValue: outcome.message })}
        </p>
      ) : outcome.sections.length === 0 ? (
        <div className="card empty" data-testid="analysis-empty">
          {t('analysis.empty')}
        </div>
      ) : (
        outcome.sections.map((section) => {
          const mine = me ? section.byMember.get(me) : undefined;
          return (
            <section key={section.currency} data-testid="analysis-section" data-currency={section.currency}>
              <h2>{t('analysis.sectionTitle', { currency: section.currency })}</h2>
              <dl className="card summary-list">
                <div>
                  <dt>{t('analysis.total')}</dt>
                  <dd data-testid="analysis-total" data-amount={section.total}>
                    {fmt.money(section.total, section.currency)}
                  </dd>
                </div>
                <div>
                  <dt>{t('analysis.expenseCount')}</dt>
                  <dd>{section.count}</dd>
                </div>
                {me && (
                  <>
                    <div>
                      <dt>{t('analysis.youPaid')}</dt>
                      <dd data-testid="analysis-you-paid">{fmt.money(mine?.paid ?? 0, section.currency)}</dd>
                    </div>
                    <div>
                      <dt>{t('analysis.yourShare')}</dt>
                      <dd data-testid="analysis-your-share">
                        {fmt.money(mine?.share ?? 0, section.currency)}
                      </dd>
                    </div>
                  </>
                )}
              </dl>
              <Suspense
                fallback={
                  <p className="muted" aria-busy="true">
                    {t('app.loading')}
                  </p>
                }
              >
                <SpendingCharts section={section} fmt={fmt} name={name} fileParts={fileParts} />
              </Suspense>
            </section>
          );
        })
      )}
    </div>
  );
}
