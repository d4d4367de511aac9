import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type BankFile,
  decodeImportFile,
  type ImportPlan,
  planImport,
  readBankFile,
} from '../../../shared/import';
import type { StatementLabels } from '../../../shared/statement/csv';
import { errorText } from '../components/labels';
import type { GroupHandle } from '../hooks/services';
import { BankImport } from './BankImport';
import { LABEL_KEYS } from './ExportTab';
import { ImportPreview } from './ImportPreview';

/** A button that opens the file picker; the input is cleared after each pick so the same file can be picked again. */
function FilePick({
  label,
  accept,
  disabled,
  onFile,
  testId,
}: {
  label: string;
  accept: string;
  disabled: boolean;
  onFile: (file: File) => void;
  testId: string;
}) {
  const ref = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" disabled={disabled} onClick={() => ref.current?.click()}>
        {label}
      </button>
      <input
        ref={ref}
        type="file"
        accept={accept}
        hidden
        aria-label={label}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
        data-testid={testId}
      />
    </>
  );
}

/** The file's text, or the reason it cannot be read (not UTF-8, empty). */
async function readText(file: File): Promise<{ text: string } | { code: string; message: string }> {
  const decoded = decodeImportFile(new Uint8Array(await file.arrayBuffer()));
  return decoded.ok ? { text: decoded.value } : { code: decoded.error.code, message: decoded.error.message };
}

/** Moving in: another app's history (Splitwise, Spliit, a Tally statement) or one's bank statement. */
export function ImportTab({ group }: { group: GroupHandle }) {
  const { t } = useTranslation();
  const state = group.snap.state!;
  const [plan, setPlan] = useState<{ plan: ImportPlan; fileName: string } | null>(null);
  const [bank, setBank] = useState<{ file: BankFile; fileName: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function pickHistory(file: File) {
    setError(null);
    setPlan(null);
    const read = await readText(file);
    if (!('text' in read)) return setError(errorText(t, read.code, read.message));
    const labels: Partial<StatementLabels> = Object.fromEntries(LABEL_KEYS.map((k) => [k, t(`csv.${k}`)]));
    const planned = planImport(read.text, { fallbackCurrency: state.currency, labelSets: [labels] });
    if (!planned.ok) return setError(errorText(t, planned.error.code, planned.error.message));
    setPlan({ plan: planned.value, fileName: file.name });
  }

  async function pickBank(file: File) {
    setError(null);
    setBank(null);
    const read = await readText(file);
    if (!('text' in read)) return setError(errorText(t, read.code, read.message));
    const parsed = readBankFile(read.text);
    if (!parsed.ok) return setError(errorText(t, parsed.error.code, parsed.error.message));
    setBank({ file: parsed.value, fileName: file.name });
  }

  const joined = group.snap.joined;
  return (
    <div data-testid="import-tab">
      <div className="card">
        <h2>{t('import.title')}</h2>
        <p className="muted">{t('import.explain')}</p>
        <p className="muted small">{t('import.private')}</p>
        {!joined && <p className="notice">{t('import.notJoined')}</p>}
        <div className="row">
          <FilePick
            label={t('import.pickHistory')}
            accept=".csv,.json,text/csv,application/json"
            disabled={!joined}
            onFile={pickHistory}
            testId="import-file"
          />
          <FilePick
            label={t('import.pickBank')}
            accept=".csv,text/csv"
            disabled={!joined}
            onFile={pickBank}
            testId="bank-file"
          />
        </div>
        {error && (
          <p className="error" role="alert" data-testid="import-error">
            {error}
          </p>
        )}
      </div>
      {plan && (
        <ImportPreview
          key={plan.fileName + plan.plan.items.length}
          group={group}
          plan={plan.plan}
          fileName={plan.fileName}
        />
      )}
      {bank && (
        <BankImport
          key={bank.file.headerKey + bank.fileName}
          group={group}
          file={bank.file}
          fileName={bank.fileName}
        />
      )}
    </div>
  );
}
