import { useMemo, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupState } from '../../../shared/ledger/types';
import { formatAmount } from '../../../shared/money/format';
import type { CurrencyCode, MemberId, Minor } from '../../../shared/money/types';
import { formatDate, formatDateTime, shortId } from '../lib/format';
import { amountsHidden, shownAmount } from '../lib/privacy';
import { privacyReveal } from '../services/privacyReveal';
import { useApp, usePrefs } from './services';

export interface Formatters {
  readonly locale: string;
  money(minor: Minor, currency: CurrencyCode, signed?: boolean): string;
  date(isoDate: string): string;
  dateTime(ms: number): string;
  /** A member's display name; "(you)" marks this device's member. */
  name(member: MemberId): string;
}

export function useFormat(state?: GroupState | null): Formatters {
  const { i18n, t } = useTranslation();
  const app = useApp();
  const locale = i18n.language;
  const me = app.me?.id;
  // Privacy mode: every amount on screen goes through here, so this is the one place it hides them.
  const privacyMode = usePrefs().privacyMode;
  const revealedUntil = useSyncExternalStore(privacyReveal.subscribe, privacyReveal.getSnapshot);
  const hidden = amountsHidden({ enabled: privacyMode, revealedUntil }, Date.now());
  return useMemo(() => {
    const names = new Map(state?.members.map((m) => [m.id, m.name]) ?? []);
    return {
      locale,
      money: (minor, currency, signed = false) =>
        shownAmount(
          formatAmount(minor, currency, locale, signed ? { signDisplay: 'exceptZero' } : {}),
          hidden,
        ),
      date: (iso) => formatDate(iso, locale),
      dateTime: (ms) => formatDateTime(ms, locale),
      name: (member) => {
        const n = names.get(member) ?? t('common.unknownMember', { id: shortId(member) });
        return member === me ? t('common.you', { name: n }) : n;
      },
    };
  }, [locale, state, me, t, hidden]);
}
