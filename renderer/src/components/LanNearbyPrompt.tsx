import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useWallet } from '../hooks';
import { lanStatus, setLanEnabled } from '../services/platform';

/** "Not now" lasts for this window's life; "Don't ask again" is kept. */
const NEVER_KEY = 'tally.lanPrompt.never';
const dismissedNow = new Set<string>();

function neverAsk(): boolean {
  try {
    return localStorage.getItem(NEVER_KEY) === '1';
  } catch {
    return false;
  }
}

/**
 * Offers "Sync with devices on this network" when it is off and a member of this group announces
 * a LAN relay here (desktop only; shared/sync/lan-tags.ts says how that is known without telling
 * strangers anything). Renders nothing otherwise.
 */
export function LanNearbyPrompt({ groupId, groupName }: { groupId: string; groupName: string }) {
  const { t } = useTranslation();
  const wallet = useWallet();
  const [nearby, setNearby] = useState(false);
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [hidden, setHidden] = useState(() => neverAsk() || dismissedNow.has(groupId));
  const [error, setError] = useState<string | null>(null);

  useEffect(() => wallet.onLanNearby((ids) => setNearby(ids.includes(groupId))), [wallet, groupId]);
  useEffect(() => {
    if (nearby) void lanStatus().then((s) => setEnabled(s ? s.enabled : null));
  }, [nearby]);

  if (!nearby || enabled !== false || hidden) return null;

  async function turnOn() {
    setError(null);
    try {
      // The window reloads with the new connection policy once it is on.
      await setLanEnabled(true);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <div className="notice" role="status" data-testid="lan-nearby">
      <p>
        <strong>{t('lanNearby.title', { group: groupName })}</strong>
      </p>
      <p className="small">{t('lanNearby.hint')}</p>
      <p className="row">
        <button type="button" className="primary" data-testid="lan-nearby-on" onClick={() => void turnOn()}>
          {t('lanNearby.turnOn')}
        </button>
        <button
          type="button"
          data-testid="lan-nearby-later"
          onClick={() => {
            dismissedNow.add(groupId);
            setHidden(true);
          }}
        >
          {t('lanNearby.notNow')}
        </button>
        <button
          type="button"
          className="link"
          data-testid="lan-nearby-never"
          onClick={() => {
            try {
              localStorage.setItem(NEVER_KEY, '1');
            } catch {
              // Private mode: it is at least hidden for this window.
            }
            setHidden(true);
          }}
        >
          {t('lanNearby.never')}
        </button>
      </p>
      {error && (
        <p className="error" data-testid="lan-nearby-error">
          {error}
        </p>
      )}
    </div>
  );
}
