/**
 * Words of an expense description, as the suggestion models see them.
 *
 * - Han text has no spaces, so each run of Han characters becomes its character bigrams
 *   ("超市买菜" → 超市, 市买, 买菜; a single character stands for itself). This is done with a
 *   plain regular expression, not a dictionary segmenter, so every device (whatever its ICU
 *   version) gets the same tokens.
 * - Everything else is split into words with `Intl.Segmenter` where it exists (Node 20 and
 *   Chromium both have it), else with a Unicode regular expression; both give the same words
 *   for the descriptions people type. Words are lower-cased, a possessive "'s" and a plural "s"
 *   are folded away ("Joe's" → "joe", "bills" → "bill"), and numbers and a few filler words are dropped: they say nothing about
 *   the category.
 */

const HAN_RUN = /\p{Script=Han}+/gu;
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’][\p{L}\p{M}]+)*/gu;
const HAS_LETTER = /\p{L}/u;
const STOP_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'and',
  'at',
  'for',
  'from',
  'in',
  'of',
  'on',
  'the',
  'to',
  'with',
]);

/** Splits text that has no Han characters into word-like pieces. */
export type WordSplitter = (text: string) => string[];

/** Words by `Intl.Segmenter` (word granularity), keeping only word-like segments. */
let segmenter: Intl.Segmenter | undefined;
export function segmenterWords(text: string): string[] {
  // One segmenter for the process: building one costs far more than a keystroke's worth of work.
  segmenter ??= new Intl.Segmenter('en', { granularity: 'word' });
  const out: string[] = [];
  for (const s of segmenter.segment(text)) if (s.isWordLike) out.push(s.segment);
  return out;
}

/** Words by regular expression: runs of letters, marks and digits, with inner apostrophes. */
export function regexWords(text: string): string[] {
  return text.match(WORD) ?? [];
}

const defaultSplitter: WordSplitter = typeof Intl.Segmenter === 'function' ? segmenterWords : regexWords;

function normalizeWord(word: string): string | null {
  // "Joe's" and "Joe" are the same shop.
  const w = word.toLowerCase().replace(/’/g, "'").replace(/'s$/, '');
  if (!HAS_LETTER.test(w) || STOP_WORDS.has(w)) return null;
  // "bills"/"bill", "taxis"/"taxi" should meet; short words ("gas", "bus") and "-ss" stay.
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

function hanBigrams(run: string, out: string[]): void {
  const chars = [...run];
  if (chars.length === 1) {
    out.push(chars[0] as string);
    return;
  }
  for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
}

/**
 * The tokens of a description, in reading order (repeats kept: naive Bayes counts them).
 * `split` is replaceable so tests can check the fallback gives the same tokens.
 */
export function tokenize(text: string, split: WordSplitter = defaultSplitter): string[] {
  const normalized = text.normalize('NFKC');
  const out: string[] = [];
  // Han runs become bigrams in place of their text; the rest is split into words.
  let last = 0;
  for (const m of normalized.matchAll(HAN_RUN)) {
    pushWords(normalized.slice(last, m.index), split, out);
    hanBigrams(m[0], out);
    last = m.index + m[0].length;
  }
  pushWords(normalized.slice(last), split, out);
  return out;
}

function pushWords(text: string, split: WordSplitter, out: string[]): void {
  if (text.trim() === '') return;
  for (const word of split(text)) {
    const w = normalizeWord(word);
    if (w) out.push(w);
  }
}

/** Distinct tokens, sorted: for "shares a word with" questions. */
export function tokenSet(text: string): string[] {
  return [...new Set(tokenize(text))].sort();
}

// Groups repeat their descriptions ("Rent", "Groceries"), and every state change re-trains on
// all of them: remembering recent answers makes a re-train mostly lookups.
const CACHE_LIMIT = 20_000;
const tokenCache = new Map<string, readonly string[]>();
const setCache = new Map<string, readonly string[]>();

function remembered(cache: Map<string, readonly string[]>, text: string, f: (t: string) => string[]) {
  let hit = cache.get(text);
  if (hit === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    hit = Object.freeze(f(text));
    cache.set(text, hit);
  }
  return hit;
}

/** `tokenize` with the default splitter, remembered per text (the result is frozen: share, don't edit). */
export function tokensOf(text: string): readonly string[] {
  return remembered(tokenCache, text, (t) => tokenize(t));
}

/** `tokenSet`, remembered per text. */
export function tokenSetOf(text: string): readonly string[] {
  return remembered(setCache, text, (t) => [...new Set(tokensOf(t))].sort());
}
