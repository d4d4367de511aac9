import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * "Restore from backup": a button that opens the file picker for a JSON backup and hands over
 * the chosen file. The input is cleared after each pick so choosing the same file again works.
 */
export function BackupFileButton({ disabled, onFile }: { disabled: boolean; onFile: (file: File) => void }) {
  const { t } = useTranslation();
  const fileRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" disabled={disabled} onClick={() => fileRef.current?.click()}>
        {t('export.restore')}
      </button>
      <input
        ref={fileRef}
        type="file"
        accept="application/json,.json"
        hidden
        aria-label={t('export.restore')}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onFile(file);
        }}
        data-testid="restore-file"
      />
    </>
  );
}
