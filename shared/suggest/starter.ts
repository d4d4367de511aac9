/** The starter phrases for a UI language, as training examples for the category model. */
import type { LabelledTokens } from './category-model';
import { STARTER_EN } from './starter-en';
import { STARTER_ZH_CN } from './starter-zh-CN';
import { tokenize } from './tokenize';

export type StarterLanguage = 'en' | 'zh-CN';

const STARTERS: Readonly<Record<StarterLanguage, Readonly<Record<string, readonly string[]>>>> = {
  en: STARTER_EN,
  'zh-CN': STARTER_ZH_CN,
};

/** "zh", "zh-CN", "zh-Hans-CN" → zh-CN; anything else → en. */
export function starterLanguage(locale: string): StarterLanguage {
  return /^zh\b/i.test(locale) ? 'zh-CN' : 'en';
}

/** Every category the starter sets use (each one is a built-in category of the app). */
export function starterCategories(): string[] {
  return [...new Set(Object.values(STARTERS).flatMap((s) => Object.keys(s)))].sort();
}

/**
 * One example of weight 1 per starter phrase, kept out of the category prior. History examples
 * weigh more (see history.ts), so a group's own habits soon outvote the starter set.
 */
export function starterExamples(locale: string): readonly LabelledTokens[] {
  const language = starterLanguage(locale);
  let examples = built.get(language);
  if (!examples) {
    examples = Object.entries(STARTERS[language]).flatMap(([category, phrases]) =>
      phrases.map((p) => ({ tokens: tokenize(p), category, weight: 1, inPrior: false })),
    );
    built.set(language, examples);
  }
  return examples;
}
const built = new Map<StarterLanguage, readonly LabelledTokens[]>();
