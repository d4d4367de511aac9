import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UpdateStatus } from '../../../electron/preload/api';
import { bridge } from '../services/platform';

/**
 * Automatic updates (desktop only; renders nothing in a browser): the setting, what is happening,
 * and "Restart to update" once one is downloaded. The desktop refuses to restart while a write is
 * under way (UPDATE_BUSY), and says so.
 */
export function UpdateSettings() {
  const { t } = useTranslation();
  const id = useId();
  const desktop = bridge();
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    if (!desktop?.updateStatus) return;
    void desktop.updateStatus().then((r) => r.ok && setStatus(r.value));
    return desktop.onUpdateStatus?.((s) => setStatus(s));
  }, [desktop]);

  if (!desktop?.updateStatus || status === null) return null;

  async function toggle(enabled: boolean) {
    const r = await desktop!.updateSetEnabled(enabled);
    if (r.ok) setStatus(r.value);
    else setMessage(r.error.message);
  }

  async function install() {
    const r = await desktop!.updateInstall();
    if (!r.ok) setMessage(r.error.code === 'UPDATE_BUSY' ? t('updates.busy') : r.error.message);
  }

  return (
    <div className="field" data-testid="settings-updates">
      <label htmlFor={`${id}-auto`} className="row nowrap">
        <input
          id={`${id}-auto`}
          type="checkbox"
          checked={status.enabled}
          disabled={!status.supported}
          onChange={(e) => void toggle(e.target.checked)}
        />
        {t('updates.auto')}
      </label>
      <p className="muted small">
        {status.supported
          ? t(`updates.state.${status.state}`, { version: status.version ?? '' })
          : t('updates.unsupported')}
      </p>
      {status.state === 'ready' && (
        <button type="button" className="primary" onClick={() => void install()}>
          {t('updates.restart', { version: status.version ?? '' })}
        </button>
      )}
      {message && (
        <p className="error" role="status">
          {message}
        </p>
      )}
    </div>
  );
}
