/**
 * Numbers for member sets, so that "every member this expense names is in the group" can be
 * remembered across folds instead of asked again for each expense version on every fold (one Map
 * lookup per named member: a tenth of a warm 100k-entry fold).
 *
 * A fold reaches its set of active members by adding and taking away members one at a time, so a
 * set is numbered by its history: the number of (previous set, added or departed member).
 * Refolding the same entries retraces the same history and finds the same numbers; a different
 * history gets different numbers, which only means the check is made again. Every change of the set
 * (a join, a leave, a removal) is a step, so while the number is unchanged the set is; a set that
 * shrank and grew back to the same members gets a new number, which again only costs a check.
 */
import type { MemberId } from '../money/types';

/** A member-set number; `NO_MEMBERS` is the empty set a fold starts from. */
export type MemberSetId = number;
export const NO_MEMBERS: MemberSetId = 0;

/**
 * Past this many remembered steps the table starts over, so a process folding many hostile
 * ledgers does not grow without bound. Numbers are never reused, so nothing stale can match.
 */
const MAX_STEPS = 50_000;

const steps = new Map<string, MemberSetId>();
let lastId = NO_MEMBERS;

/** The number of `set` with `member` added. */
export function memberSetWith(set: MemberSetId, member: MemberId): MemberSetId {
  return step(`${set} +${member}`);
}

/** The number of `set` with `member` gone (left or removed). */
export function memberSetWithout(set: MemberSetId, member: MemberId): MemberSetId {
  return step(`${set} -${member}`);
}

function step(key: string): MemberSetId {
  let id = steps.get(key);
  if (id === undefined) {
    if (steps.size >= MAX_STEPS) steps.clear();
    id = ++lastId;
    steps.set(key, id);
  }
  return id;
}
