import { type ReactNode, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chartFileName, chartToPng } from '../../lib/chartExport';
import { saveBinaryFile } from '../../services/platform';

/**
 * One chart with what makes it usable by everyone: a title, a description read by screen readers,
 * a table view of the same figures, and "Export PNG".
 */
export function ChartCard({
  id,
  title,
  description,
  fileParts,
  chart,
  table,
}: {
  /** Stable name for test ids, e.g. "category". */
  id: string;
  title: string;
  description: string;
  fileParts: readonly string[];
  chart: ReactNode;
  table: ReactNode;
}) {
  const { t } = useTranslation();
  const [asTable, setAsTable] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chartRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descId = useId();

  const exportPng = async () => {
    setError(null);
    try {
      if (!chartRef.current) return;
      await saveBinaryFile(chartFileName(...fileParts, title), await chartToPng(chartRef.current), 'png');
    } catch {
      setError(t('analysis.exportFailed'));
    }
  };

  return (
    <figure
      className="card chart-card"
      aria-labelledby={titleId}
      aria-describedby={descId}
      data-testid={`chart-${id}`}
    >
      <div className="row between">
        <h3 id={titleId}>{title}</h3>
        <div className="row">
          <button
            type="button"
            aria-pressed={asTable}
            onClick={() => setAsTable((v) => !v)}
            data-testid={`chart-${id}-table-toggle`}
          >
            {asTable ? t('analysis.showChart') : t('analysis.showTable')}
          </button>
          <button type="button" onClick={exportPng} disabled={asTable} data-testid={`chart-${id}-export`}>
            {t('analysis.exportPng')}
          </button>
        </div>
      </div>
      <p id={descId} className="muted small">
        {description}
      </p>
      {error && (
        <p className="notice danger" role="alert">
          {error}
        </p>
      )}
      {asTable ? (
        <div data-testid={`chart-${id}-table`}>{table}</div>
      ) : (
        <div ref={chartRef} className="chart-area" data-testid={`chart-${id}-chart`}>
          {chart}
        </div>
      )}
    </figure>
  );
}
