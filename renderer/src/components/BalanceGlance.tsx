import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupState } from '../../../shared/ledger/types';
import type { Formatters } from '../hooks';
import { memberNets } from '../lib/balances';
import { MemberAvatar } from './MemberAvatar';

/**
 * Who owes and who is owed, one line per member, above the group's tabs: the question people
 * open a shared-expenses group to answer, answered without a click. The balances tab has the
 * details (paid, share, payments) and the settlement plan. Reads the cached balance sheets.
 */
export function BalanceGlance({ state, fmt }: { state: GroupState; fmt: Formatters }) {
  const { t } = useTranslation();
  const members = useMemo(() => memberNets(state), [state]);
  return (
    <ul className="glance" aria-label={t('group.glance')} data-testid="balance-glance">
      {members.map(({ member, nets }) => (
        <li key={member} data-testid="member-balance" data-member={member}>
          <span className="glance-name who">
            <MemberAvatar memberId={member} name={fmt.name(member)} size={20} />
            {fmt.name(member)}
          </span>{' '}
          {nets.length === 0 ? (
            <span className="muted">{t('balances.settled')}</span>
          ) : (
            nets.map((n, i) => (
              <span
                key={n.currency}
                className={n.amount > 0 ? 'pos' : 'neg'}
                data-testid="member-net"
                data-currency={n.currency}
                data-minor={n.amount}
              >
                {i > 0 && ' · '}
                {n.amount > 0
                  ? t('balances.isOwed', { amount: fmt.money(n.amount, n.currency) })
                  : t('balances.owes', { amount: fmt.money(-n.amount, n.currency) })}
              </span>
            ))
          )}
        </li>
      ))}
    </ul>
  );
}
