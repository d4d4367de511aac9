/**
 * Recurring expenses in the fold: signed rules, and the occurrences derived from them.
 *
 * No device ever writes an occurrence: each one is derived from the signed rule, up to the date the
 * fold is asked about (`asOf`, given by the caller: the fold never reads a clock), so two devices
 * offline on rent day both show the rent once, and agree once they sync.
 *
 * A rule is a list of versions ("segments"), each ruling the dates from its `from` up to the next
 * one's. `recurring.updated` and `recurring.stopped` take effect from their `effectiveFrom`: the
 * segments from that date on are dropped (a later operation in total order overrides an earlier
 * one from its date) and the new one is appended, so occurrences before it never change.
 *
 * An occurrence is named by (rule, date). `occurrence.edited` replaces its data and
 * `occurrence.skipped` removes it; of several such operations on one occurrence the last in total
 * order wins (no conflict is listed). The override stays even when a later rule version no longer
 * has that date, and counts again if one does. An edit wins over a rule version: it was made for
 * that one occurrence.
 */
import type { CalendarDate } from './calendar-date';
import { dayNumber, parseCalendarDate } from './calendar-date';
import type { EventOf, ExpenseData, ExpenseTemplate, Schedule } from './events';
import { checkExpenseData } from './fold-expenses';
import { type FoldContext, type Problem, problem, shortId } from './fold-context';
import { type ExpenseFacts, expenseFacts } from './fold-shares';
import { checkSchedule, forEachOccurrence, isOccurrenceDay, occurrencesBetween } from './recurrence';
import type { EntryId, OccurrenceState, RecurringRuleState, RuleVersionState, VerifiedEntry } from './types';

/** One version of a rule while the fold runs. */
export interface RuleSegment {
  readonly entryId: EntryId;
  readonly author: string;
  readonly effectiveFrom: CalendarDate;
  /** Day number of `effectiveFrom`. */
  readonly from: number;
  /** Null: stopped from `from` on. */
  readonly schedule: Schedule | null;
  readonly template: ExpenseTemplate | null;
  /** Facts of the template (the split does not depend on the date), shared by its occurrences. */
  readonly facts: ExpenseFacts | null;
}

export interface RuleRecord {
  readonly id: EntryId;
  readonly createdBy: string;
  readonly lamport: number;
  readonly time: number;
  /** Ascending `from`. */
  segments: RuleSegment[];
}

/** An edit (data) or a skip (data null) of one occurrence. */
export interface OccurrenceOverride {
  readonly entryId: EntryId;
  readonly data: ExpenseData | null;
  readonly facts: ExpenseFacts | null;
}

const occurrenceKey = (rule: EntryId, date: CalendarDate) => `${rule}|${date}`;

/** Checks a schedule and template against the state here; returns the facts of the template. */
function checkRule(ctx: FoldContext, schedule: Schedule, template: ExpenseTemplate): Problem | ExpenseFacts {
  const checked = checkSchedule(schedule);
  if (!checked.ok) return problem(checked.error.code, checked.error.message);
  const data: ExpenseData = { ...template, date: schedule.start };
  const facts = expenseFacts(data);
  return checkExpenseData(ctx, data, facts) ?? facts;
}

const isProblem = (x: Problem | ExpenseFacts): x is Problem => 'code' in x;

function badDate(date: string): Problem | undefined {
  return parseCalendarDate(date) ? undefined : problem('rule_bad_date', `${date} is not a calendar date.`);
}

function findRule(ctx: FoldContext, id: EntryId): RuleRecord | Problem {
  return ctx.rules.get(id) ?? problem('unknown_rule', `There is no recurring expense ${shortId(id)}….`);
}

export function applyRecurringCreated(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'recurring.created'>,
): Problem | undefined {
  const facts = checkRule(ctx, ev.schedule, ev.template);
  if (isProblem(facts)) return facts;
  const h = entry.header;
  const rule: RuleRecord = {
    id: entry.id,
    createdBy: h.author,
    lamport: h.lamport,
    time: h.time,
    segments: [segmentOf(entry, ev.schedule.start, ev.schedule, ev.template, facts)],
  };
  ctx.rules.set(rule.id, rule);
  ctx.ruleList.push(rule);
  return undefined;
}

function segmentOf(
  entry: VerifiedEntry,
  effectiveFrom: CalendarDate,
  schedule: Schedule | null,
  template: ExpenseTemplate | null,
  facts: ExpenseFacts | null,
): RuleSegment {
  return {
    entryId: entry.id,
    author: entry.header.author,
    effectiveFrom,
    from: dayNumber(effectiveFrom),
    schedule,
    template,
    facts,
  };
}

/** Replaces the segments from `segment.from` on by `segment`. */
function putSegment(rule: RuleRecord, segment: RuleSegment): void {
  // A new array, not a splice: states already handed out (incremental fold) keep their copy.
  rule.segments = [...rule.segments.filter((s) => s.from < segment.from), segment];
}

/** The segment ruling `day`, if any. */
function segmentAt(rule: RuleRecord, day: number): RuleSegment | undefined {
  let found: RuleSegment | undefined;
  for (const s of rule.segments) if (s.from <= day) found = s;
  return found;
}

export function applyRecurringUpdated(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'recurring.updated'>,
): Problem | undefined {
  const rule = findRule(ctx, ev.rule);
  if ('code' in rule) return rule;
  const bad = badDate(ev.effectiveFrom);
  if (bad) return bad;
  const facts = checkRule(ctx, ev.schedule, ev.template);
  if (isProblem(facts)) return facts;
  putSegment(rule, segmentOf(entry, ev.effectiveFrom, ev.schedule, ev.template, facts));
  return undefined;
}

export function applyRecurringStopped(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ev: EventOf<'recurring.stopped'>,
): Problem | undefined {
  const rule = findRule(ctx, ev.rule);
  if ('code' in rule) return rule;
  const bad = badDate(ev.effectiveFrom);
  if (bad) return bad;
  const from = dayNumber(ev.effectiveFrom);
  const last = rule.segments[rule.segments.length - 1];
  if (last !== undefined && last.schedule === null && last.from <= from) {
    return problem('already_stopped', 'The recurring expense was already stopped by then.');
  }
  putSegment(rule, segmentOf(entry, ev.effectiveFrom, null, null, null));
  return undefined;
}

/** Applies `occurrence.edited` (data set) or `occurrence.skipped` (data null). */
export function applyOccurrenceChange(
  ctx: FoldContext,
  entry: VerifiedEntry,
  ruleId: EntryId,
  date: CalendarDate,
  data: ExpenseData | null,
): Problem | undefined {
  const rule = findRule(ctx, ruleId);
  if ('code' in rule) return rule;
  const bad = badDate(date);
  if (bad) return bad;
  const day = dayNumber(date);
  const segment = segmentAt(rule, day);
  if (!segment?.schedule || !isOccurrenceDay(segment.schedule, day)) {
    return problem('unknown_occurrence', `The recurring expense has no occurrence on ${date}.`);
  }
  let facts: ExpenseFacts | null = null;
  if (data) {
    facts = expenseFacts(data);
    // An edit may keep naming a departed member the rule names (an occurrence of the past).
    const wrong = checkExpenseData(ctx, data, facts, segment.facts);
    if (wrong) return wrong;
  }
  ctx.occurrenceOverrides.set(occurrenceKey(ruleId, date), { entryId: entry.id, data, facts });
  return undefined;
}

/** What the state shows of recurring expenses as of a date, and the facts of each live occurrence. */
export interface DerivedRecurring {
  readonly rules: RecurringRuleState[];
  readonly occurrences: OccurrenceState[];
  /** In `occurrences` order. */
  readonly facts: ExpenseFacts[];
}

/**
 * The rules and their occurrences up to and including `asOf` (none when `asOf` is undefined),
 * occurrences sorted by date, then rule id: the same on every device that folds the same entries.
 */
export function deriveRecurring(ctx: FoldContext, asOf: CalendarDate | undefined): DerivedRecurring {
  const today = asOf === undefined ? undefined : dayNumber(asOf);
  const found: { occurrence: OccurrenceState; facts: ExpenseFacts }[] = [];
  const rules: RecurringRuleState[] = [];
  for (const rule of ctx.ruleList) {
    rules.push(ruleState(ctx, rule, today));
    if (today === undefined) continue;
    const segments = rule.segments;
    for (let i = 0; i < segments.length; i++) {
      const s = segments[i]!;
      if (s.schedule === null || s.from > today) continue;
      const end = i + 1 < segments.length ? segments[i + 1]!.from - 1 : today;
      for (const date of occurrencesBetween(s.schedule, s.from, Math.min(end, today))) {
        const override = ctx.occurrenceOverrides.get(occurrenceKey(rule.id, date));
        if (override && override.data === null) continue;
        const occurrence: OccurrenceState = override
          ? {
              id: occurrenceKey(rule.id, date),
              rule: rule.id,
              date,
              data: override.data!,
              editedBy: override.entryId,
            }
          : { id: occurrenceKey(rule.id, date), rule: rule.id, date, data: { ...s.template!, date } };
        found.push({ occurrence, facts: override ? override.facts! : s.facts! });
      }
    }
  }
  found.sort((a, b) => compareOccurrences(a.occurrence, b.occurrence));
  return { rules, occurrences: found.map((f) => f.occurrence), facts: found.map((f) => f.facts) };
}

function compareOccurrences(a: OccurrenceState, b: OccurrenceState): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0;
}

function ruleState(ctx: FoldContext, rule: RuleRecord, today: number | undefined): RecurringRuleState {
  const versions: RuleVersionState[] = rule.segments.map((s) => {
    const v: RuleVersionState = { entryId: s.entryId, author: s.author, effectiveFrom: s.effectiveFrom };
    return s.schedule ? { ...v, schedule: s.schedule, template: s.template! } : v;
  });
  const state: RecurringRuleState = {
    id: rule.id,
    createdBy: rule.createdBy,
    lamport: rule.lamport,
    time: rule.time,
    versions,
    stopped: rule.segments[rule.segments.length - 1]?.schedule === null,
  };
  const next = today === undefined ? undefined : nextAfter(ctx, rule, today);
  return next === undefined ? state : { ...state, next };
}

/** The first occurrence after `today` that is not skipped, if the rule has one. */
function nextAfter(ctx: FoldContext, rule: RuleRecord, today: number): CalendarDate | undefined {
  const segments = rule.segments;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    const end = i + 1 < segments.length ? segments[i + 1]!.from : Number.POSITIVE_INFINITY;
    if (s.schedule === null || end <= today + 1) continue;
    const from = Math.max(s.from, today + 1);
    let next: CalendarDate | undefined;
    forEachOccurrence(s.schedule, (date, day) => {
      if (day >= end) return false;
      if (day < from || ctx.occurrenceOverrides.get(occurrenceKey(rule.id, date))?.data === null) return true;
      next = date;
      return false;
    });
    if (next !== undefined) return next;
  }
  return undefined;
}
