import type { TFunction } from 'i18next';

/** Categories offered by the form; any other text people type is kept as typed. */
export const BUILTIN_CATEGORIES = [
  'general',
  'groceries',
  'dining',
  'rent',
  'utilities',
  'transport',
  'household',
  'entertainment',
  'travel',
  'other',
] as const;

/** Built-in categories are translated; the ones people typed are shown as typed. */
export function categoryLabel(t: TFunction, category: string): string {
  return (BUILTIN_CATEGORIES as readonly string[]).includes(category)
    ? t(`categories.${category}`)
    : category;
}

/** A core error code as words: the translation when we have one, else the core's own message. */
export function errorText(
  t: TFunction,
  code: string,
  fallback: string,
  values?: Record<string, unknown>,
): string {
  return t(`errors.${code}`, { defaultValue: fallback, ...values });
}
