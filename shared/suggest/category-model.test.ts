import { describe, expect, it } from 'vitest';
import { guessCategory, type LabelledTokens, PRIOR_PSEUDO_COUNT, trainCategoryModel } from './category-model';

const ex = (tokens: string[], category: string, weight = 1): LabelledTokens => ({ tokens, category, weight });

describe('trainCategoryModel', () => {
  it('counts weighted tokens and examples per category, categories sorted', () => {
    const m = trainCategoryModel([
      ex(['pizza', 'dinner'], 'dining', 2),
      ex(['milk'], 'groceries'),
      ex(['pizza'], 'groceries'),
    ]);
    expect(m.categories).toEqual(['dining', 'groceries']);
    expect(m.docs).toEqual([2, 2]);
    expect(m.tokenTotals).toEqual([4, 2]);
    expect(m.counts.get('pizza')).toEqual([2, 1]);
    expect(m.totalDocs).toBe(4);
  });

  it('ignores examples without weight or category and rejects a non-positive smoothing constant', () => {
    const m = trainCategoryModel([ex(['a'], 'x', 0), ex(['b'], '')]);
    expect(m.categories).toEqual([]);
    expect(m.counts.size).toBe(0);
    expect(() => trainCategoryModel([], 0)).toThrow(RangeError);
  });
});

describe('guessCategory', () => {
  // Classic Laplace (α = 1) so the hand computation below stays readable.
  const model = trainCategoryModel(
    [
      ex(['pizza', 'dinner'], 'dining'),
      ex(['sushi', 'dinner'], 'dining'),
      ex(['milk', 'bread'], 'groceries'),
      ex(['supermarket'], 'groceries'),
      ex(['rent'], 'rent'),
    ],
    1,
  );

  it('picks the category whose words match', () => {
    expect(guessCategory(model, ['pizza'])?.category).toBe('dining');
    expect(guessCategory(model, ['bread', 'milk'])?.category).toBe('groceries');
    expect(guessCategory(model, ['rent'])?.category).toBe('rent');
  });

  it('makes no guess when no token was ever seen', () => {
    expect(guessCategory(model, ['helicopter'])).toBeNull();
    expect(guessCategory(model, [])).toBeNull();
    expect(guessCategory(trainCategoryModel([]), ['pizza'])).toBeNull();
  });

  it('skips unseen tokens and reports how many were known', () => {
    const g = guessCategory(model, ['pizza', 'helicopter', 'dinner']);
    expect(g?.category).toBe('dining');
    expect(g?.knownTokens).toBe(2);
  });

  it('gives a posterior probability that grows with evidence', () => {
    const one = guessCategory(model, ['dinner'])!;
    const two = guessCategory(model, ['dinner', 'pizza'])!;
    expect(one.probability).toBeGreaterThan(0);
    expect(one.probability).toBeLessThan(1);
    expect(two.probability).toBeGreaterThan(one.probability);
  });

  it('matches the naive Bayes formula with Laplace smoothing', () => {
    // Hand computation for ['dinner']: vocab = 7, k = 3, 5 docs, prior pseudo-count 5.
    // dining:    prior (2+5)/(5+15), likelihood (2+1)/(4+7)
    // groceries: prior (2+5)/(5+15), likelihood (0+1)/(3+7)
    // rent:      prior (1+5)/(5+15), likelihood (0+1)/(1+7)
    expect(PRIOR_PSEUDO_COUNT).toBe(5);
    const s = [(7 / 20) * (3 / 11), (7 / 20) * (1 / 10), (6 / 20) * (1 / 8)];
    const g = guessCategory(model, ['dinner'])!;
    expect(g.category).toBe('dining');
    expect(g.probability).toBeCloseTo(s[0]! / (s[0]! + s[1]! + s[2]!), 12);
  });

  it('is sharper with a smaller smoothing constant (the default)', () => {
    const data = [ex(['rent'], 'rent'), ex(['pizza'], 'dining'), ex(['milk'], 'groceries')];
    const laplace = guessCategory(trainCategoryModel(data, 1), ['rent'])!;
    const lidstone = guessCategory(trainCategoryModel(data), ['rent'])!;
    expect(lidstone.category).toBe('rent');
    expect(lidstone.probability).toBeGreaterThan(laplace.probability);
  });

  it('breaks an exact tie by category order, whatever the training order', () => {
    const a = trainCategoryModel([ex(['x'], 'zeta'), ex(['x'], 'alpha')]);
    const b = trainCategoryModel([ex(['x'], 'alpha'), ex(['x'], 'zeta')]);
    expect(guessCategory(a, ['x'])).toEqual({ category: 'alpha', probability: 0.5, knownTokens: 1 });
    expect(guessCategory(b, ['x'])).toEqual(guessCategory(a, ['x']));
  });

  it('lets heavier examples outvote lighter ones', () => {
    const m = trainCategoryModel([ex(['rent'], 'rent', 1), ex(['rent'], 'household', 3)]);
    expect(guessCategory(m, ['rent'])?.category).toBe('household');
  });
});

describe('examples kept out of the prior', () => {
  // Same words and token totals per category; only the number of examples differs (1 vs 2).
  const data = [ex(['x', 'y'], 'groceries'), ex(['x'], 'rent'), ex(['y'], 'rent')];

  it('count as word evidence but not as category frequency', () => {
    const m = trainCategoryModel(data.map((e) => ({ ...e, inPrior: false })));
    expect(m.docs).toEqual([0, 0]);
    expect(m.totalDocs).toBe(0);
    expect(m.counts.get('x')).toEqual([1, 1]);
    // Uniform prior, equal likelihoods: an exact tie, broken by category order.
    expect(guessCategory(m, ['x'])).toEqual({ category: 'groceries', probability: 0.5, knownTokens: 1 });
  });

  it('real examples set the prior (smoothed by pseudo-examples)', () => {
    const m = trainCategoryModel(data);
    // rent: (2 + 5) / (3 + 10) against groceries' (1 + 5) / (3 + 10); the likelihoods cancel.
    const g = guessCategory(m, ['x'])!;
    expect(g.category).toBe('rent');
    expect(g.probability).toBeCloseTo(7 / 13, 12);
  });

  it('a long history outweighs the pseudo-examples', () => {
    const many = [
      ...Array.from({ length: 90 }, () => ex(['x'], 'rent')),
      ...Array.from({ length: 10 }, () => ex(['x'], 'groceries')),
    ];
    const g = guessCategory(trainCategoryModel(many), ['x'])!;
    expect(g.category).toBe('rent');
    expect(g.probability).toBeCloseTo(95 / 110, 2);
  });
});
