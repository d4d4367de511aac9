/** The benchmark harness's small vocabulary: what a suite returns and how figures are timed. */

export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The side-by-side comparison measured in the same run, when there is one. */
  readonly baseline?: { readonly name: string; readonly value: number; readonly unit: string };
  /** Human-readable target, e.g. "<= 150". */
  readonly target?: string;
  readonly pass?: boolean;
  readonly note?: string;
}

export interface BenchContext {
  /** CI smoke mode: tiny sizes, proves the benchmark runs, figures are not meaningful. */
  readonly quick: boolean;
}

export interface BenchSuite {
  readonly name: string;
  run(ctx: BenchContext): Promise<BenchResult[]>;
}

/** Milliseconds taken by `fn`, best of `runs` (the least disturbed run on a shared machine). */
export async function bestOf(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** Operations per second of `fn` over `count` items, best of `runs`. */
export async function ratePerSecond(
  count: number,
  runs: number,
  fn: () => unknown | Promise<unknown>,
): Promise<number> {
  const ms = await bestOf(runs, fn);
  return Math.round((count / ms) * 1000);
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] as number;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Checks a figure against an upper or lower bound and renders the target text. */
export function atMost(value: number, limit: number): Pick<BenchResult, 'target' | 'pass'> {
  return { target: `<= ${limit}`, pass: value <= limit };
}

export function atLeast(value: number, limit: number): Pick<BenchResult, 'target' | 'pass'> {
  return { target: `>= ${limit}`, pass: value >= limit };
}
