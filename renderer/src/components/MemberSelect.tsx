import { useId } from 'react';
import type { MemberState } from '../../../shared/ledger/types';

/** A labelled select of group members by display name; `anyLabel` adds a leading "no filter" option. */
export function MemberSelect({
  label,
  value,
  onChange,
  members,
  nameOf,
  testId,
  anyLabel,
}: {
  label: string;
  value: string;
  onChange: (member: string) => void;
  members: readonly MemberState[];
  nameOf: (member: string) => string;
  testId?: string;
  anyLabel?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} data-testid={testId} onChange={(e) => onChange(e.target.value)}>
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {nameOf(m.id)}
          </option>
        ))}
      </select>
    </div>
  );
}
