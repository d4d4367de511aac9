/**
 * What the expense editor asks while someone types: a category and the usual payer and split,
 * learned from the group's own history plus a starter set for the UI language. Pure and local:
 * built from the folded state once, then asked per keystroke.
 */
import type { GroupState } from '../ledger/types';
import type { MemberId } from '../money/types';
import { type CategoryGuess, guessCategory, trainCategoryModel } from './category-model';
import { categoryExamples, personalExamples } from './history';
import { starterExamples } from './starter';
import { tokensOf } from './tokenize';
import { buildUsualSplitIndex, type UsualSplit, usualSplit } from './usual-split';

/** Below this posterior a guess is more noise than help, so none is offered. */
export const MIN_CATEGORY_PROBABILITY = 0.4;

export interface Suggestion {
  readonly category: CategoryGuess | null;
  readonly usual: UsualSplit | null;
}

export interface Suggester {
  suggest(description: string): Suggestion;
}

/**
 * `elsewhere`: the person's other groups, whose categories they chose count a little (their
 * payers and splits do not: other groups have other members).
 */
export function buildSuggester(
  state: GroupState,
  me: MemberId | null,
  locale: string,
  elsewhere: readonly GroupState[] = [],
): Suggester {
  const model = trainCategoryModel([
    ...starterExamples(locale),
    ...categoryExamples(state, me),
    ...personalExamples(
      elsewhere.filter((s) => s.groupId !== state.groupId),
      me,
    ),
  ]);
  const index = buildUsualSplitIndex(state);
  return {
    suggest(description) {
      if (description.trim() === '') return { category: null, usual: null };
      const guess = guessCategory(model, tokensOf(description));
      return {
        category: guess && guess.probability >= MIN_CATEGORY_PROBABILITY ? guess : null,
        usual: usualSplit(index, description),
      };
    },
  };
}
