/**
 * Recurring rules that still name someone who left or was removed (issue 12): their next
 * occurrence would charge or pay a person who is gone, so the expenses tab warns and offers to
 * edit the rule. Pure.
 */
import type { ExpenseData } from '../../../shared/ledger/events';
import type { EntryId, GroupState } from '../../../shared/ledger/types';
import { involves } from './notices';

export interface RuleNamingDeparted {
  readonly rule: EntryId;
  readonly description: string;
  /** The departed members it names, in the group's member order. */
  readonly names: readonly string[];
  /** Its next occurrence: where "Edit rule" opens (editing from there on changes the rule). */
  readonly next: string;
}

export function rulesNamingDeparted(state: GroupState): RuleNamingDeparted[] {
  const departed = state.members.filter((m) => m.status !== undefined);
  if (departed.length === 0) return [];
  const out: RuleNamingDeparted[] = [];
  for (const rule of state.recurring ?? []) {
    const next = rule.next;
    if (rule.stopped || next === undefined) continue;
    // The version in force on the next date: a later version may already leave them out.
    const version = [...rule.versions].reverse().find((v) => v.effectiveFrom <= next);
    if (!version?.template) continue;
    const data: ExpenseData = { ...version.template, date: next };
    const names = departed.filter((m) => involves(data, m.id)).map((m) => m.name);
    if (names.length > 0) out.push({ rule: rule.id, description: data.description, names, next });
  }
  return out;
}
