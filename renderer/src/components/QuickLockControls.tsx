/** The top bar's privacy toggle (amounts •••) and, with a passcode set, the Lock button. */
import { useTranslation } from 'react-i18next';
import { useAppLock, usePrefs, usePrefsStore } from '../hooks';

export function QuickLockControls() {
  const { t } = useTranslation();
  const prefs = usePrefs();
  const store = usePrefsStore();
  const lock = useAppLock();
  return (
    <>
      <button
        type="button"
        aria-pressed={prefs.privacyMode}
        data-testid="privacy-toggle"
        title={t('privacy.toggleHint')}
        onClick={() => store.update({ privacyMode: !prefs.privacyMode })}
      >
        {t('privacy.toggle')}
      </button>
      {lock?.snap.canLock && (
        <button
          type="button"
          data-testid="lock-button"
          title={t('lock.lockHint')}
          onClick={() => lock.service.lock()}
        >
          {t('lock.lockNow')}
        </button>
      )}
    </>
  );
}
