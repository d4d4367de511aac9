/**
 * For the importers' tests: folds imported events into a real group state (fold-testkit's
 * unsigned entries), so the balances a file implies are checked through the app's own fold.
 */
import { fold } from '../ledger/fold';
import { memberId, TEST_GROUP, TestLedger } from '../ledger/fold-testkit';
import type { GroupState } from '../ledger/types';
import type { MemberId, Minor } from '../money/types';
import { computeBalances } from '../settle/balances';
import type { ImportPlan } from './plan';
import { type ImportEvent, resolvePlan } from './resolve';

/** Member ids named after the plan's people ("member:Ann"), so tests can read balances by name. */
export function idsByName(plan: ImportPlan): Record<string, MemberId> {
  return Object.fromEntries(plan.people.map((p) => [p.key, memberId(p.name)]));
}

/** The group after importing `events` into a group whose members are `members` (the first writes). */
export function stateAfter(members: readonly MemberId[], events: readonly ImportEvent[]): GroupState {
  const ledger = new TestLedger();
  const [writer, ...others] = members;
  ledger.add(writer!, { type: 'group.created', name: 'Imported', currency: 'USD', memberName: 'w' });
  for (const m of others) ledger.add(m, { type: 'member.joined', name: m.slice(0, 8) });
  for (const e of events) ledger.add(writer!, e);
  return fold(TEST_GROUP, ledger.entries);
}

/** Balances per currency, by person key, after importing the whole plan into an empty group. */
export function balancesOf(plan: ImportPlan): Record<string, Record<string, Minor>> {
  const ids = idsByName(plan);
  const people = Object.fromEntries(plan.people.map((p) => [p.key, { newName: p.name }]));
  const resolved = resolvePlan(plan, { people }, ids, new Set());
  if (!resolved.ok) throw resolved.error;
  const state = stateAfter(Object.values(ids), resolved.value.events);
  if (state.ignored.length > 0) throw new Error(`fold ignored ${state.ignored[0]!.code}`);
  const out: Record<string, Record<string, Minor>> = {};
  for (const [currency, byMember] of computeBalances(state)) {
    // The group's own currency is listed even with nothing in it.
    if ([...byMember.values()].every((v) => v === 0)) continue;
    out[currency] = {};
    for (const p of plan.people) out[currency][p.name] = byMember.get(ids[p.key]!) ?? 0;
  }
  return out;
}

/** A group's own balances by member name per currency (currencies where someone is not settled). */
export function balancesByName(state: GroupState): Record<string, Record<string, Minor>> {
  const names = new Map(state.members.map((m) => [m.id, m.name]));
  const out: Record<string, Record<string, Minor>> = {};
  for (const [currency, byMember] of computeBalances(state)) {
    if ([...byMember.values()].every((v) => v === 0)) continue;
    out[currency] = Object.fromEntries(state.members.map((m) => [names.get(m.id)!, byMember.get(m.id) ?? 0]));
  }
  return out;
}
