/**
 * The charts of one spending section (one currency). This module is the only one that imports
 * Recharts, and it is loaded on demand (screens/lazy.ts), so the first screen does not carry it.
 */
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CurrencySpending } from '../../../../shared/analysis/spending';
import type { Minor } from '../../../../shared/money/types';
import type { Formatters } from '../../hooks';
import { categoryMonthTable, categoryRows, memberRows, monthRows } from '../../lib/analysisRows';
import { categoryLabel } from '../labels';
import { ChartCard } from './ChartCard';

/** Distinct mid-tones readable on the light and the dark surface. */
const PALETTE = [
  '#2563eb',
  '#c2410c',
  '#15803d',
  '#7c3aed',
  '#b91c1c',
  '#0e7490',
  '#a16207',
  '#be185d',
  '#4d7c0f',
  '#64748b',
];
const color = (i: number) => PALETTE[i % PALETTE.length]!;
const axisTick = { fill: 'currentColor', fontSize: 12 };
/** Legend text in the page's text colour: series colours are too light for text on the dark theme. */
const legend = <Legend formatter={(value) => <span style={{ color: 'var(--text)' }}>{value}</span>} />;

export interface SpendingChartsProps {
  readonly section: CurrencySpending;
  readonly fmt: Formatters;
  /** A member's display name. */
  readonly name: (member: string) => string;
  /** Leading parts of exported file names (e.g. the group's name). */
  readonly fileParts: readonly string[];
}

export function SpendingCharts({ section, fmt, name, fileParts }: SpendingChartsProps) {
  const { t } = useTranslation();
  const cur = section.currency;
  const money = (v: Minor) => fmt.money(v, cur);
  const cat = (key: string) => categoryLabel(t, key);
  const files = [...fileParts, cur];

  const categories = categoryRows(section).map((r) => ({ ...r, label: cat(r.key) }));
  const months = monthRows(section);
  const members = memberRows(section).map((r) => ({ ...r, label: name(r.member) }));
  const cross = categoryMonthTable(section);
  const crossData = cross.rows.map((r) => ({
    month: r.month,
    ...Object.fromEntries(cross.categories.map((c, i) => [c, r.amounts[i]])),
  }));
  const top = categories[0];
  const peak = months.reduce<(typeof months)[number] | undefined>(
    (p, m) => (!p || m.total > p.total ? m : p),
    undefined,
  );
  const tooltip = <Tooltip formatter={(v) => money(Number(v))} />;

  return (
    <div className="chart-grid">
      <ChartCard
        id="category"
        title={t('analysis.byCategory')}
        description={t('analysis.byCategoryDesc', {
          count: categories.length,
          total: money(section.total),
          top: top ? cat(top.key) : '',
          topAmount: top ? money(top.amount) : '',
        })}
        fileParts={files}
        chart={
          <ResponsiveContainer width="100%" height={Math.max(160, 36 * categories.length + 40)}>
            <BarChart data={categories} layout="vertical" margin={{ left: 16, right: 24 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" tickFormatter={money} tick={axisTick} />
              <YAxis type="category" dataKey="label" width={110} tick={axisTick} />
              {tooltip}
              <Bar dataKey="amount" name={t('analysis.amount')} fill={color(0)} />
            </BarChart>
          </ResponsiveContainer>
        }
        table={
          <table data-testid="category-table">
            <thead>
              <tr>
                <th scope="col">{t('analysis.category')}</th>
                <th scope="col" className="num">
                  {t('analysis.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {categories.map((r) => (
                <tr key={r.key} data-testid="category-row" data-category={r.key} data-amount={r.amount}>
                  <th scope="row">{r.label}</th>
                  <td className="num">{money(r.amount)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('analysis.total')}</th>
                <td className="num" data-testid="category-total" data-amount={section.total}>
                  {money(section.total)}
                </td>
              </tr>
            </tfoot>
          </table>
        }
      />
      <ChartCard
        id="month"
        title={t('analysis.byMonth')}
        description={t('analysis.byMonthDesc', {
          count: months.length,
          peak: peak?.month ?? '',
          peakAmount: peak ? money(peak.total) : '',
        })}
        fileParts={files}
        chart={
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={months} margin={{ left: 16, right: 24 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="month" tick={axisTick} />
              <YAxis tickFormatter={money} width={90} tick={axisTick} />
              {tooltip}
              <Bar dataKey="total" name={t('analysis.amount')} fill={color(5)} />
            </BarChart>
          </ResponsiveContainer>
        }
        table={
          <table data-testid="month-table">
            <thead>
              <tr>
                <th scope="col">{t('analysis.month')}</th>
                <th scope="col" className="num">
                  {t('analysis.amount')}
                </th>
                <th scope="col" className="num">
                  {t('analysis.change')}
                </th>
              </tr>
            </thead>
            <tbody>
              {months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{m.month}</th>
                  <td className="num">{money(m.total)}</td>
                  <td className="num">
                    {m.change === null
                      ? '—'
                      : m.changeBasisPoints === null
                        ? fmt.money(m.change, cur, true)
                        : `${fmt.money(m.change, cur, true)} (${(m.changeBasisPoints / 100).toLocaleString(fmt.locale, { signDisplay: 'exceptZero' })}%)`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
      <ChartCard
        id="category-month"
        title={t('analysis.byCategoryMonth')}
        description={t('analysis.byCategoryMonthDesc', {
          categories: cross.categories.length,
          months: cross.rows.length,
        })}
        fileParts={files}
        chart={
          <ResponsiveContainer width="100%" height={280}>
            <BarChart data={crossData} margin={{ left: 16, right: 24 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="month" tick={axisTick} />
              <YAxis tickFormatter={money} width={90} tick={axisTick} />
              {tooltip}
              {legend}
              {cross.categories.map((c, i) => (
                <Bar key={c} dataKey={c} name={cat(c)} stackId="month" fill={color(i)} />
              ))}
            </BarChart>
          </ResponsiveContainer>
        }
        table={
          <div className="table-scroll">
            <table data-testid="category-month-table">
              <thead>
                <tr>
                  <th scope="col">{t('analysis.month')}</th>
                  {cross.categories.map((c) => (
                    <th scope="col" className="num" key={c}>
                      {cat(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {cross.rows.map((r) => (
                  <tr key={r.month}>
                    <th scope="row">{r.month}</th>
                    {r.amounts.map((a, i) => (
                      <td className="num" key={cross.categories[i]}>
                        {money(a)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        }
      />
      <ChartCard
        id="member"
        title={t('analysis.byMember')}
        description={t('analysis.byMemberDesc', { count: members.length, total: money(section.total) })}
        fileParts={files}
        chart={
          <ResponsiveContainer width="100%" height={Math.max(160, 44 * members.length + 60)}>
            <BarChart data={members} layout="vertical" margin={{ left: 16, right: 24 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" tickFormatter={money} tick={axisTick} />
              <YAxis type="category" dataKey="label" width={110} tick={axisTick} />
              {tooltip}
              {legend}
              <Bar dataKey="paid" name={t('analysis.paid')} fill={color(0)} />
              <Bar dataKey="share" name={t('analysis.share')} fill={color(1)} />
            </BarChart>
          </ResponsiveContainer>
        }
        table={
          <table data-testid="member-table">
            <thead>
              <tr>
                <th scope="col">{t('analysis.member')}</th>
                <th scope="col" className="num">
                  {t('analysis.paid')}
                </th>
                <th scope="col" className="num">
                  {t('analysis.share')}
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((r) => (
                <tr key={r.member}>
                  <th scope="row">{r.label}</th>
                  <td className="num">{money(r.paid)}</td>
                  <td className="num">{money(r.share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        }
      />
    </div>
  );
}
