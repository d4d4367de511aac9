/**
 * A small multinomial naive Bayes over description tokens: token → category counts with
 * additive (Laplace/Lidstone, add-α) smoothing. Trained in one pass, asked once per keystroke;
 * everything is plain counting on this device.
 */

/**
 * Add-α constant. Classic Laplace (α = 1) drowns the few words a new group has in smoothing
 * mass (a one-word "Rent" scored 0.30 against 8 categories); α = 0.1 gives 0.80 while keeping
 * unseen words harmless. Chosen on the starter sets and the generated history (accuracy.test.ts).
 */
export const DEFAULT_ALPHA = 0.1;

/**
 * Pseudo-examples per category in the prior: a category needs a handful of real examples before
 * its frequency sways a guess (one "Badminton → sport" must not outweigh the word "supermarket"),
 * while a long history's frequencies still count in full.
 */
export const PRIOR_PSEUDO_COUNT = 5;

/** One labelled description, already tokenized. `weight` counts it that many times (≥ 1). */
export interface LabelledTokens {
  readonly tokens: readonly string[];
  readonly category: string;
  readonly weight: number;
  /**
   * False for made-up examples (the starter phrases): their words count, but how many there are
   * per category says nothing about how often people spend on it, so they stay out of the prior.
   */
  readonly inPrior?: boolean;
}

export interface CategoryModel {
  /** Categories seen in training, sorted (code-unit order): the tie-break order. */
  readonly categories: readonly string[];
  /** Weighted number of real examples (inPrior) per category (same order as `categories`). */
  readonly docs: readonly number[];
  /** Weighted number of tokens per category. */
  readonly tokenTotals: readonly number[];
  /** token → weighted count per category (same order as `categories`). */
  readonly counts: ReadonlyMap<string, readonly number[]>;
  readonly totalDocs: number;
  /** Add-α smoothing constant. */
  readonly alpha: number;
}

export interface CategoryGuess {
  readonly category: string;
  /** Posterior probability of the category among those the model knows (0..1). */
  readonly probability: number;
  /** How many of the description's tokens the model had seen: 0 means no guess is made. */
  readonly knownTokens: number;
}

export function trainCategoryModel(examples: Iterable<LabelledTokens>, alpha = DEFAULT_ALPHA): CategoryModel {
  if (!(alpha > 0)) throw new RangeError('smoothing constant must be positive');
  const list = [...examples].filter((e) => e.weight > 0 && e.category !== '');
  const categories = [...new Set(list.map((e) => e.category))].sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  const docs = new Array<number>(categories.length).fill(0);
  const tokenTotals = new Array<number>(categories.length).fill(0);
  const counts = new Map<string, number[]>();
  let totalDocs = 0;
  for (const e of list) {
    const c = index.get(e.category) as number;
    if (e.inPrior !== false) {
      docs[c] = (docs[c] as number) + e.weight;
      totalDocs += e.weight;
    }
    for (const token of e.tokens) {
      let row = counts.get(token);
      if (!row) {
        row = new Array<number>(categories.length).fill(0);
        counts.set(token, row);
      }
      row[c] = (row[c] as number) + e.weight;
      tokenTotals[c] = (tokenTotals[c] as number) + e.weight;
    }
  }
  return { categories, docs, tokenTotals, counts, totalDocs, alpha };
}

/**
 * The most likely category for the tokens, or null when none of them was ever seen (a guess
 * from the prior alone would just be "the most common category", which is no help).
 * Equal scores go to the category that sorts first, so every device suggests the same.
 */
export function guessCategory(model: CategoryModel, tokens: readonly string[]): CategoryGuess | null {
  const k = model.categories.length;
  if (k === 0) return null;
  const known = tokens.filter((t) => model.counts.has(t));
  if (known.length === 0) return null;
  const vocab = model.counts.size;
  const { alpha } = model;
  const scores = new Array<number>(k);
  for (let c = 0; c < k; c++) {
    let score = Math.log(
      ((model.docs[c] as number) + PRIOR_PSEUDO_COUNT) / (model.totalDocs + PRIOR_PSEUDO_COUNT * k),
    );
    const denominator = (model.tokenTotals[c] as number) + alpha * vocab;
    for (const t of known) {
      const row = model.counts.get(t) as readonly number[];
      score += Math.log(((row[c] as number) + alpha) / denominator);
    }
    scores[c] = score;
  }
  let best = 0;
  for (let c = 1; c < k; c++) if ((scores[c] as number) > (scores[best] as number)) best = c;
  // Posterior by log-sum-exp, shifted by the best score so nothing underflows.
  const top = scores[best] as number;
  let sum = 0;
  for (const s of scores) sum += Math.exp(s - top);
  return { category: model.categories[best] as string, probability: 1 / sum, knownTokens: known.length };
}
