/**
 * Which of the app's built-in categories (renderer/src/components/labels.ts) an imported
 * category most likely is. Splitwise and Spliit name theirs in English; anything unknown is kept
 * as the file writes it, which the app shows as typed.
 */
const KNOWN: Readonly<Record<string, string>> = {
  general: 'general',
  uncategorized: 'general',
  groceries: 'groceries',
  'dining out': 'dining',
  restaurant: 'dining',
  restaurants: 'dining',
  'food and drink': 'dining',
  'food and drink - other': 'dining',
  liquor: 'dining',
  rent: 'rent',
  mortgage: 'rent',
  electricity: 'utilities',
  'heat/gas': 'utilities',
  water: 'utilities',
  'tv/phone/internet': 'utilities',
  trash: 'utilities',
  cleaning: 'household',
  'utilities - other': 'utilities',
  utilities: 'utilities',
  'household supplies': 'household',
  furniture: 'household',
  maintenance: 'household',
  'home - other': 'household',
  household: 'household',
  pets: 'household',
  services: 'household',
  electronics: 'household',
  transportation: 'transport',
  'bus/train': 'transport',
  car: 'transport',
  'gas/fuel': 'transport',
  parking: 'transport',
  taxi: 'transport',
  bicycle: 'transport',
  'transportation - other': 'transport',
  transport: 'transport',
  entertainment: 'entertainment',
  games: 'entertainment',
  movies: 'entertainment',
  music: 'entertainment',
  sports: 'entertainment',
  'entertainment - other': 'entertainment',
  hotel: 'travel',
  plane: 'travel',
  travel: 'travel',
  accommodation: 'travel',
  other: 'other',
  'life - other': 'other',
};

/** Longest category the ledger stores (events.ts). */
export const MAX_CATEGORY = 40;

/** The built-in key for a known category name (any case), else the name itself, trimmed and clipped. */
export function suggestCategory(source: string): string {
  const name = source.trim();
  if (name === '') return 'general';
  const known = KNOWN[name.toLowerCase()];
  if (known) return known;
  return [...name].slice(0, MAX_CATEGORY).join('').trimEnd();
}
