import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupState } from '../../../shared/ledger/types';
import { formatAmount } from '../../../shared/money/format';
import type { CurrencyCode, MemberId, Minor } from '../../../shared/money/types';
import { formatDate, formatDateTime, shortId } from '../lib/format';
import { useApp } from './services';

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
  return useMemo(() => {
    const names = new Map(state?.members.map((m) => [m.id, m.name]) ?? []);
    return {
      locale,
      money: (minor, currency, signed = false) =>
        formatAmount(minor, currency, locale, signed ? { signDisplay: 'exceptZero' } : {}),
      date: (iso) => formatDate(iso, locale),
      dateTime: (ms) => formatDateTime(ms, locale),
      name: (member) => {
        const n = names.get(member) ?? t('common.unknownMember', { id: shortId(member) });
        return member === me ? t('common.you', { name: n }) : n;
      },
    };
  }, [locale, state, me, t]);
}
