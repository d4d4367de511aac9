/** Training examples for the category model from a folded group state (no I/O). */
import type { MemberId } from '../money/types';
import type { ExpenseState, GroupState } from '../ledger/types';
import type { LabelledTokens } from './category-model';
import { tokensOf } from './tokenize';

/** The form's default category: an expense left at it says nothing about its words. */
export const DEFAULT_CATEGORY = 'general';

/**
 * How much one expense counts: the person's own choices in this group most, then the rest of
 * the group's, then the person's choices in their other groups (as much as a starter phrase).
 */
export const OWN_WEIGHT = 3;
export const GROUP_WEIGHT = 2;
export const ELSEWHERE_WEIGHT = 1;

/**
 * One example per live expense of this group that has a category of its own choosing; when
 * `me` made its current version, it counts OWN_WEIGHT times.
 */
export function categoryExamples(state: GroupState, me: MemberId | null): LabelledTokens[] {
  const out: LabelledTokens[] = [];
  for (const e of state.expenses) {
    const category = chosenCategory(e);
    if (category === null) continue;
    out.push({
      tokens: tokensOf(e.data.description),
      category,
      weight: me !== null && chooserOf(e) === me ? OWN_WEIGHT : GROUP_WEIGHT,
    });
  }
  return out;
}

/** The person's own choices in their other groups (other members' choices there are not theirs). */
export function personalExamples(others: readonly GroupState[], me: MemberId | null): LabelledTokens[] {
  if (me === null) return [];
  const out: LabelledTokens[] = [];
  for (const state of others) {
    for (const e of state.expenses) {
      const category = chosenCategory(e);
      if (category === null || chooserOf(e) !== me) continue;
      out.push({ tokens: tokensOf(e.data.description), category, weight: ELSEWHERE_WEIGHT });
    }
  }
  return out;
}

/** Whoever made the current version chose its category. */
function chooserOf(e: ExpenseState): MemberId {
  return e.versions[e.versions.length - 1]?.author ?? e.createdBy;
}

function chosenCategory(e: ExpenseState): string | null {
  if (e.deleted) return null;
  const category = e.data.category.trim();
  return category === '' || category === DEFAULT_CATEGORY ? null : category;
}
