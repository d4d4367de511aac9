/**
 * Numbers for member sets, so that "every member this expense names is in the group" can be
 * remembered across folds instead of asked again for each expense version on every fold (one Map
 * lookup per named member: a tenth of a warm 100k-entry fold).
 *
 * A fold reaches its member set by adding members one at a time, so a set is numbered by its
 * history: the number of (previous set, added member). Refolding the same entries retraces the
 * same history and finds the same numbers; a different history gets different numbers, which only
 * means the check is made again. Members never leave, so while the number is unchanged the set is.
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
  const key = `${set} ${member}`;
  let id = steps.get(key);
  if (id === undefined) {
    if (steps.size >= MAX_STEPS) steps.clear();
    id = ++lastId;
    steps.set(key, id);
  }
  return id;
}
