/**
 * What protects this device's data at rest, in one line (docs/threat-model.md, "Encryption at
 * rest"). `AtRestNotice` is the plain warning on the groups screen when nothing but the profile
 * directory protects the data; `AtRestStatus` is the line in Settings.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { KeyProtection } from '../../../shared/sync/at-rest-vault';
import { useAtRest } from '../hooks';
import { isDesktop } from '../services/platform';

function protectionText(t: TFunction, protection: KeyProtection): string {
  switch (protection) {
    case 'none':
      return isDesktop() ? t('atRest.noneDesktop') : t('atRest.none');
    case 'keychain':
      return t('atRest.keychain');
    case 'passcode':
      return t('atRest.passcode');
    case 'keychain+passcode':
      return t('atRest.keychainPasscode');
  }
}

export function AtRestNotice() {
  const { t } = useTranslation();
  const atRest = useAtRest();
  if (atRest?.snap.protection !== 'none') return null;
  return (
    <p className="notice" role="note" data-testid="at-rest-notice">
      {protectionText(t, 'none')}
    </p>
  );
}

export function AtRestStatus() {
  const { t } = useTranslation();
  const protection = useAtRest()?.snap.protection;
  if (!protection) return null;
  return (
    <p className={protection === 'none' ? 'notice' : undefined} data-testid="at-rest-status">
      {protectionText(t, protection)}
    </p>
  );
}
