/**
 * A sync problem as the person should see it: which words (i18n keys under `sync.problems`),
 * with what values, whether Tally is still trying by itself, and which action to offer. Pure,
 * so every code is tested without React.
 */
import type { SyncProblem, SyncProblemCode } from '../../../shared/sync/sync-snapshot';

export type ProblemAction =
  /** Remove the group's local copy (after a confirmation). */
  | 'remove'
  /** Restore the missing history from a backup file. */
  | 'restore';

export interface ProblemText {
  readonly code: SyncProblemCode;
  /** Short, for the status line: `sync.problems.<code>.short`. */
  readonly shortKey: string;
  /** What happened: `sync.problems.<code>.title`. */
  readonly titleKey: string;
  /** What to do: `sync.problems.<code>.hint`. */
  readonly hintKey: string;
  readonly values: Readonly<Record<string, string | number>>;
  /** False when nothing will change by waiting (a wrong key): no "trying" look. */
  readonly retrying: boolean;
  readonly actions: readonly ProblemAction[];
}

/** Every code with words of its own; any other reads as `refused`. */
export const PROBLEM_CODES: readonly SyncProblemCode[] = [
  'invite_key_mismatch',
  'relay_busy',
  'room_full',
  'author_quota',
  'unreachable',
  'refused',
  'relay_has_no_group',
  'history_incomplete',
];

export interface ProblemContext {
  /** HH:MM of a moment, in the UI's locale. */
  readonly clock: (ms: number) => string;
  readonly relay: string;
}

/** Describes a problem; an unknown code (a newer core) reads as a refusal, with its own words. */
export function describeProblem(problem: SyncProblem, ctx: ProblemContext): ProblemText {
  const code: SyncProblemCode = PROBLEM_CODES.includes(problem.code) ? problem.code : 'refused';
  const key = (part: string) => `sync.problems.${code}.${part}`;
  const values: Record<string, string | number> = { relay: ctx.relay, message: problem.message };
  if (problem.retryAt !== undefined) values.time = ctx.clock(problem.retryAt);
  if (problem.count !== undefined) values.count = problem.count;
  return {
    code,
    shortKey: key('short'),
    titleKey: key('title'),
    hintKey: key('hint'),
    values,
    retrying: code !== 'invite_key_mismatch' && code !== 'relay_has_no_group',
    actions: actionsFor(code),
  };
}

function actionsFor(code: SyncProblemCode): readonly ProblemAction[] {
  switch (code) {
    case 'invite_key_mismatch':
    case 'relay_has_no_group':
      // Nothing of the group can reach this device through this invite: the copy is useless.
      return ['remove'];
    case 'history_incomplete':
      return ['restore'];
    default:
      return [];
  }
}

/** The problem to show for several groups at once (the top bar outside a group): the first one. */
export function firstProblem(problems: readonly (SyncProblem | undefined)[]): SyncProblem | undefined {
  return problems.find((p) => p !== undefined);
}
