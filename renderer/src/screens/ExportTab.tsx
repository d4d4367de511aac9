import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isWalletError } from '../../../shared/errors';
import { groupStatementCsv, memberStatementCsv, type StatementLabels } from '../../../shared/statement/csv';
import { BackupFileButton } from '../components/BackupFileButton';
import { DateField } from '../components/DateField';
import { ForgetGroupCard } from '../components/ForgetGroupCard';
import { errorText } from '../components/labels';
import { useApp, useFormat } from '../hooks';
import type { GroupHandle } from '../hooks/services';
import { todayIso } from '../lib/format';
import { saveTextFile } from '../services/platform';

/** A file name people recognise: "flat-3b-2025-06-30.csv" (non-ASCII names kept, unsafe characters dropped). */
export function fileNameFor(groupName: string, suffix: string, ext: string): string {
  const slug = groupName
    .normalize('NFKC')
    .replace(/[\\/:*?"<>|\p{Cc}]/gu, '')
    .trim()
    .replace(/\s+/g, '-')
    .toLowerCase()
    .slice(0, 60);
  return `${slug || 'tally'}-${suffix}.${ext}`;
}

export const LABEL_KEYS: readonly (keyof StatementLabels)[] = [
  'date',
  'type',
  'description',
  'category',
  'currency',
  'amount',
  'paidBy',
  'sharePrefix',
  'from',
  'to',
  'note',
  'entryId',
  'paidByMember',
  'memberShare',
  'effect',
  'runningBalance',
  'expense',
  'payment',
  'redEnvelope',
];

/** Yields to the browser so a progress indicator can paint before a long synchronous step. */
const nextFrame = () => new Promise<void>((r) => setTimeout(r, 0));

export function ExportTab({ group }: { group: GroupHandle }) {
  const { t } = useTranslation();
  const app = useApp();
  const state = group.snap.state!;
  const fmt = useFormat(state);
  const id = useId();
  const [scope, setScope] = useState<string>('group');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [bom, setBom] = useState(true);
  const [translated, setTranslated] = useState(true);
  const [csvMsg, setCsvMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [backupMsg, setBackupMsg] = useState<{ ok: boolean; text: string } | null>(null);

  const labels = (): Partial<StatementLabels> =>
    translated ? Object.fromEntries(LABEL_KEYS.map((k) => [k, t(`csv.${k}`)])) : {};

  async function exportCsv(e: FormEvent) {
    e.preventDefault();
    setCsvMsg(null);
    setBusy('csv');
    await nextFrame();
    try {
      const opts = { bom, labels: labels(), ...(from ? { from } : {}), ...(to ? { to } : {}) };
      const csv = scope === 'group' ? groupStatementCsv(state, opts) : memberStatementCsv(state, scope, opts);
      const who =
        scope === 'group' ? '' : `-${state.members.find((m) => m.id === scope)?.name ?? scope.slice(0, 8)}`;
      const saved = await saveTextFile(
        fileNameFor(`${state.name}${who}`, to || todayIso(), 'csv'),
        csv,
        'text/csv;charset=utf-8',
        'csv',
      );
      if (saved) setCsvMsg({ ok: true, text: t('export.csvDone') });
    } catch (err) {
      setCsvMsg({
        ok: false,
        text: isWalletError(err) ? errorText(t, err.code, err.message) : String(err),
      });
    } finally {
      setBusy(null);
    }
  }

  async function backup() {
    setBackupMsg(null);
    setBusy('backup');
    setProgress({ done: 0, total: state.entryCount });
    try {
      let count = 0;
      const json = await group.session.exportBackup((done, total) => {
        count = total;
        setProgress({ done, total });
      });
      const saved = await saveTextFile(
        fileNameFor(state.name, `backup-${todayIso()}`, 'json'),
        json,
        'application/json',
        'json',
      );
      if (saved) setBackupMsg({ ok: true, text: t('export.backupDone', { count }) });
    } catch (err) {
      setBackupMsg({
        ok: false,
        text: isWalletError(err) ? errorText(t, err.code, err.message) : String(err),
      });
    } finally {
      setBusy(null);
      setProgress(null);
    }
  }

  async function restore(file: File) {
    setBackupMsg(null);
    setBusy('restore');
    setProgress({ done: 0, total: 0 });
    try {
      const text = await file.text();
      const report = await group.session.importBackup(text, (done, total) => setProgress({ done, total }));
      setBackupMsg({ ok: true, text: t('export.restoreDone', { ...report }) });
    } catch (err) {
      setBackupMsg({
        ok: false,
        text: isWalletError(err) ? errorText(t, err.code, err.message) : String(err),
      });
    } finally {
      setBusy(null);
      setProgress(null);
    }
  }

  return (
    <div data-testid="export-tab">
      <form className="card" onSubmit={exportCsv} noValidate>
        <h2>{t('export.csvTitle')}</h2>
        <p className="muted">{t('export.csvExplain')}</p>
        <div className="grid-2">
          <div className="field">
            <label htmlFor={`${id}-scope`}>{t('export.scope')}</label>
            <select
              id={`${id}-scope`}
              value={scope}
              onChange={(e) => setScope(e.target.value)}
              data-testid="csv-scope"
            >
              <option value="group">{t('export.wholeGroup')}</option>
              {state.members.map((m) => (
                <option key={m.id} value={m.id}>
                  {t('export.memberStatement', { name: fmt.name(m.id) })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-from`}>{t('expenses.from')}</label>
            <DateField id={`${id}-from`} value={from} onChange={setFrom} testId="csv-from" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>{t('expenses.to')}</label>
            <DateField id={`${id}-to`} value={to} onChange={setTo} testId="csv-to" />
          </div>
        </div>
        <div className="field inline">
          <input
            id={`${id}-bom`}
            type="checkbox"
            checked={bom}
            onChange={(e) => setBom(e.target.checked)}
            data-testid="csv-bom"
          />
          <label htmlFor={`${id}-bom`}>{t('export.bom')}</label>
        </div>
        <div className="field inline">
          <input
            id={`${id}-tr`}
            type="checkbox"
            checked={translated}
            onChange={(e) => setTranslated(e.target.checked)}
          />
          <label htmlFor={`${id}-tr`}>{t('export.translatedHeaders')}</label>
        </div>
        {csvMsg && (
          <p className={csvMsg.ok ? 'muted' : 'error'} role="status" data-testid="csv-msg">
            {csvMsg.text}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy !== null} data-testid="export-csv">
          {busy === 'csv' ? t('export.preparing') : t('export.downloadCsv')}
        </button>
      </form>

      <div className="card">
        <h2>{t('export.backupTitle')}</h2>
        <p className="muted">{t('export.backupExplain')}</p>
        <p className="notice small">{t('export.backupSecret')}</p>
        {progress && (
          <div data-testid="backup-progress">
            <progress
              max={progress.total || undefined}
              value={progress.total ? progress.done : undefined}
              aria-label={t('export.progress')}
            />
            <p className="muted small">
              {progress.total ? t('export.progressText', progress) : t('export.preparing')}
            </p>
          </div>
        )}
        {backupMsg && (
          <p className={backupMsg.ok ? 'muted' : 'error'} role="status" data-testid="backup-msg">
            {backupMsg.text}
          </p>
        )}
        <div className="row">
          <button type="button" onClick={backup} disabled={busy !== null} data-testid="export-backup">
            {t('export.downloadBackup')}
          </button>
          <BackupFileButton disabled={busy !== null} onFile={restore} />
        </div>
        {!app.secretProtected && <p className="muted small">{t('export.browserNote')}</p>}
      </div>

      <ForgetGroupCard groupId={state.groupId} state={state} onBackup={() => void backup()} />
    </div>
  );
}
