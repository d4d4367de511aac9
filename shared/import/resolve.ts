/**
 * From a plan and the user's choices to the events that will be written: people mapped to
 * members, categories mapped, and every item already imported (its importId found in the
 * group's history) left out. Pure: the renderer's import writer signs and appends the result.
 */
import { err, ok, type Result } from '../errors';
import { type EventOf, type WalletEvent, walletEventSchema } from '../ledger/events';
import type { MemberState } from '../ledger/types';
import { splitAmount, splitPayers } from '../money/split';
import type { MemberId, SplitSpec } from '../money/types';
import { suggestCategory } from './categories';
import type { ImportPlan, PersonSplit, PlannedItem, PlanPerson, RowError } from './plan';
import { rowError } from './plan';

/** Who a person of the file becomes: an existing member, or a new member with this name. */
export type PersonChoice = { readonly member: MemberId } | { readonly newName: string };

export interface ImportChoices {
  /** By person key. Every person an item names must have a choice. */
  readonly people: Readonly<Record<string, PersonChoice>>;
  /** Category as the file names it → category to store; unlisted ones get `suggestCategory`. */
  readonly categories?: Readonly<Record<string, string>>;
}

export type ImportEvent = EventOf<'expense.created'> | EventOf<'payment.recorded'>;

/** Every importId in a group's history (created, edited, deleted alike): those rows are done. */
export function importIdsOf(events: Iterable<WalletEvent>): Set<string> {
  const ids = new Set<string>();
  for (const e of events) {
    if (e.type === 'expense.created' && e.expense.importId) ids.add(e.expense.importId);
    else if (e.type === 'expense.updated' && e.data.importId) ids.add(e.data.importId);
    else if (e.type === 'payment.recorded' && e.importId) ids.add(e.importId);
  }
  return ids;
}

/**
 * True when the group already has the item: its importId was written before, or (a Tally
 * statement read back into its own group) the entry the row was exported from is in the group.
 * `existing` holds the group's importIds and entry ids (both 64 hex).
 */
export function isImported(item: PlannedItem, existing: ReadonlySet<string>): boolean {
  return (
    existing.has(item.importId) || (item.sourceEntryId !== undefined && existing.has(item.sourceEntryId))
  );
}

/** A first choice per person: the member with the same name (ignoring case and spaces), else a new member. */
export function suggestPeople(
  people: readonly PlanPerson[],
  members: readonly MemberState[],
): Record<string, PersonChoice> {
  const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  const taken = new Set<MemberId>();
  const out: Record<string, PersonChoice> = {};
  for (const p of people) {
    const match = members.find((m) => !taken.has(m.id) && norm(m.name) === norm(p.name));
    if (match) taken.add(match.id);
    out[p.key] = match ? { member: match.id } : { newName: p.name.trim().slice(0, 80) || p.key.slice(0, 80) };
  }
  return out;
}

/** The people that items of the plan name (those who need a choice). */
export function peopleInUse(plan: ImportPlan): Set<string> {
  const used = new Set<string>();
  for (const item of plan.items) {
    if (item.kind === 'payment') {
      used.add(item.from);
      used.add(item.to);
      continue;
    }
    for (const p of item.payers) used.add(p.person);
    for (const k of splitPeople(item.split)) used.add(k);
  }
  return used;
}

function splitPeople(split: PersonSplit): string[] {
  switch (split.mode) {
    case 'equal':
      return [...split.members];
    case 'exact':
      return Object.keys(split.amounts);
    case 'percent':
      return Object.keys(split.basisPoints);
    case 'shares':
      return Object.keys(split.weights);
  }
}

export type ResolveErrorCode = 'import.unmapped-person' | 'import.same-member';

export interface Resolved {
  /** Events to write, in file order. `member(key)` ids: new members are written first (ids given). */
  readonly events: readonly ImportEvent[];
  /** Items left out because the group already has them. */
  readonly skipped: number;
  /** Items that, once mapped, would not make a valid entry (reported, not written). */
  readonly errors: readonly RowError[];
}

/**
 * Events for the plan. `memberOf` gives the member id of each person key (existing members from
 * the choices, new ones once their join entries exist). Two people mapped to the same member is
 * refused: their shares in one expense would collide.
 */
export function resolvePlan(
  plan: ImportPlan,
  choices: ImportChoices,
  memberOf: Readonly<Record<string, MemberId>>,
  existing: ReadonlySet<string>,
): Result<Resolved, ResolveErrorCode> {
  const used = peopleInUse(plan);
  const owner = new Map<MemberId, string>();
  for (const key of used) {
    const id = memberOf[key];
    if (!id || !choices.people[key]) {
      return err('import.unmapped-person', `Choose who “${key}” is in this group.`, { person: key });
    }
    const other = owner.get(id);
    if (other !== undefined) {
      return err('import.same-member', `“${other}” and “${key}” cannot both be the same member.`, {
        people: [other, key],
      });
    }
    owner.set(id, key);
  }
  const events: ImportEvent[] = [];
  const errors: RowError[] = [];
  let skipped = 0;
  const seen = new Set<string>();
  for (const item of plan.items) {
    if (isImported(item, existing) || seen.has(item.importId)) {
      skipped++;
      continue;
    }
    seen.add(item.importId);
    const event = eventOf(item, memberOf, choices.categories ?? {});
    const problem = checkEvent(event);
    if (problem) errors.push(rowError(item.row, 'row.bad-split', problem));
    else events.push(event);
  }
  return ok({ events, skipped, errors });
}

function eventOf(
  item: PlannedItem,
  memberOf: Readonly<Record<string, MemberId>>,
  categories: Readonly<Record<string, string>>,
): ImportEvent {
  const id = (key: string) => memberOf[key]!;
  const note = item.note === undefined ? {} : { note: item.note };
  if (item.kind === 'payment') {
    return {
      type: 'payment.recorded',
      from: id(item.from),
      to: id(item.to),
      amount: item.amount,
      currency: item.currency,
      date: item.date,
      ...note,
      importId: item.importId,
    };
  }
  const rekey = <V>(r: Readonly<Record<string, V>>) =>
    Object.fromEntries(Object.entries(r).map(([k, v]) => [id(k), v]));
  const s = item.split;
  const split: SplitSpec =
    s.mode === 'equal'
      ? { mode: 'equal', members: s.members.map(id) }
      : s.mode === 'exact'
        ? { mode: 'exact', amounts: rekey(s.amounts) }
        : s.mode === 'percent'
          ? { mode: 'percent', basisPoints: rekey(s.basisPoints) }
          : { mode: 'shares', weights: rekey(s.weights) };
  return {
    type: 'expense.created',
    expense: {
      description: item.description,
      category: categories[item.category] ?? suggestCategory(item.category),
      currency: item.currency,
      amount: item.amount,
      date: item.date,
      ...note,
      importId: item.importId,
      payers: item.payers.map((p) => ({ member: id(p.person), amount: p.amount })),
      split: split as EventOf<'expense.created'>['expense']['split'],
    },
  };
}

/** Why an event would be refused (schema, payers or split not adding up), or undefined. */
function checkEvent(event: ImportEvent): string | undefined {
  const parsed = walletEventSchema.safeParse(event);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'not a valid entry';
  if (event.type !== 'expense.created') return undefined;
  const x = event.expense;
  const payers = splitPayers(x.amount, x.payers);
  if (!payers.ok) return payers.error.message;
  const shares = splitAmount(x.amount, x.split);
  if (!shares.ok) return shares.error.message;
  return undefined;
}
