/** Training examples for the category model from a folded group state (no I/O). */
import type { MemberId } from '../money/types';
import type { GroupState } from '../ledger/types';
import type { LabelledTokens } from './category-model';
import { tokensOf } from './tokenize';

/** The form's default category: an expense left at it says nothing about its words. */
export const DEFAULT_CATEGORY = 'general';

/** How much one expense counts: the person's own choices more than the rest of the group's. */
export const OWN_WEIGHT = 3;
export const GROUP_WEIGHT = 2;

/**
 * One example per live expense that has a category of its own choosing. Whoever made the
 * current version chose its category; when that is `me`, it counts OWN_WEIGHT times.
 */
export function categoryExamples(state: GroupState, me: MemberId | null): LabelledTokens[] {
  const out: LabelledTokens[] = [];
  for (const e of state.expenses) {
    if (e.deleted) continue;
    const category = e.data.category.trim();
    if (category === '' || category === DEFAULT_CATEGORY) continue;
    const chooser = e.versions[e.versions.length - 1]?.author ?? e.createdBy;
    out.push({
      tokens: tokensOf(e.data.description),
      category,
      weight: me !== null && chooser === me ? OWN_WEIGHT : GROUP_WEIGHT,
    });
  }
  return out;
}
