import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { lanStatus, setLanEnabled } from '../services/platform';

/**
 * "Sync with devices on this network" (desktop only, off by default): serves this device's groups
 * to the members' apps on the same network and syncs through theirs. Renders nothing in a browser.
 */
export function LanSyncToggle() {
  const { t } = useTranslation();
  const id = useId();
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void lanStatus().then((s) => setEnabled(s ? s.enabled : null));
  }, []);

  if (enabled === null) return null;

  async function toggle(next: boolean) {
    setBusy(true);
    setError(null);
    try {
      // The window reloads when the setting changes (its connection policy follows it).
      setEnabled((await setLanEnabled(next)).enabled);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="field">
      <label htmlFor={`${id}-lan`} className="row nowrap">
        <input
          id={`${id}-lan`}
          type="checkbox"
          data-testid="settings-lan"
          checked={enabled}
          disabled={busy}
          onChange={(e) => void toggle(e.target.checked)}
        />
        {t('settings.lanSync')}
      </label>
      <p className="muted small">{t('settings.lanSyncHint')}</p>
      {error && (
        <p className="error" role="status" data-testid="settings-lan-error">
          {error}
        </p>
      )}
    </div>
  );
}
