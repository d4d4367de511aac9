import { TriangleAlert } from 'lucide-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupState } from '../../../shared/ledger/types';
import { rulesNamingDeparted } from '../lib/departedRules';
import { hrefFor } from '../lib/route';

/** A warning per recurring rule that still names someone who left or was removed, with "Edit rule". */
export function DepartedRuleWarnings({ state }: { state: GroupState }) {
  const { t } = useTranslation();
  const rules = useMemo(() => rulesNamingDeparted(state), [state]);
  if (rules.length === 0) return null;
  return (
    <div className="notice" role="status" data-testid="departed-rule-warnings">
      {rules.map((r) => (
        <p key={r.rule} data-testid="departed-rule-warning">
          <TriangleAlert size={16} aria-hidden="true" />{' '}
          {t('departedRule.warning', { description: r.description, names: r.names.join(', ') })}{' '}
          <a
            href={hrefFor({ name: 'occurrence-edit', groupId: state.groupId, rule: r.rule, date: r.next })}
            data-testid="departed-rule-edit"
          >
            {t('departedRule.edit')}
          </a>
        </p>
      ))}
    </div>
  );
}
