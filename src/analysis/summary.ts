/**
 * Point summaries of scores for comparison tables: mean, sample standard deviation, standard
 * error, quantiles (numpy's default "linear" method), the interquartile mean, the optimality gap
 * and the performance profile of rliable (Agarwal et al., 2021).
 *
 * Scores of several runs are {@link ScoreRows}: one row per run (seed), one column per task
 * (setting or evaluation task).
 *
 * @module
 */

/** Scores as rows of runs (seeds); each row holds that run's score per task. */
export type ScoreRows = readonly ArrayLike<number>[];

function requireValues(x: ArrayLike<number>, what: string, least = 1): void {
  if (x.length < least) {
    throw new Error(
      `${what} needs at least ${least} value${least === 1 ? "" : "s"}, got ${x.length}`,
    );
  }
}

/**
 * The arithmetic mean.
 *
 * @example Mean of four numbers
 * ```ts
 * import { mean } from "./summary.ts";
 * if (mean([1, 2, 3, 6]) !== 3) throw new Error("wrong mean");
 * ```
 */
export function mean(x: ArrayLike<number>): number {
  requireValues(x, "mean");
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]!;
  return sum / x.length;
}

/** The sample standard deviation (denominator n − 1, numpy `ddof=1`); needs two values. */
export function std(x: ArrayLike<number>): number {
  requireValues(x, "std", 2);
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += (x[i]! - m) ** 2;
  return Math.sqrt(ss / (x.length - 1));
}

/** The standard error of the mean: {@link std} / √n. */
export function standardError(x: ArrayLike<number>): number {
  return std(x) / Math.sqrt(x.length);
}

/**
 * The q-quantile of values already sorted ascending, interpolating linearly between order
 * statistics at position (n − 1)·q (numpy's default `method="linear"`).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  requireValues(sorted, "quantile");
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile level must be in [0, 1], got ${q}`);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const below = sorted[lo]!;
  return lo + 1 < sorted.length ? below + (h - lo) * (sorted[lo + 1]! - below) : below;
}

/**
 * The q-quantile with linear interpolation (numpy `np.quantile(x, q)`).
 *
 * @example Quartiles of 1..4
 * ```ts
 * import { quantile } from "./summary.ts";
 * if (quantile([4, 1, 3, 2], 0.25) !== 1.75) throw new Error("wrong quartile");
 * ```
 */
export function quantile(x: ArrayLike<number>, q: number): number {
  return quantileSorted(Float64Array.from(x).sort(), q);
}

/** The median (the 0.5 {@link quantile}). */
export function median(x: ArrayLike<number>): number {
  return quantile(x, 0.5);
}

/** All scores of runs × tasks in one array, row after row. */
export function flatten(scores: ScoreRows): Float64Array {
  let n = 0;
  for (const row of scores) n += row.length;
  const out = new Float64Array(n);
  let k = 0;
  for (const row of scores) for (let j = 0; j < row.length; j++) out[k++] = row[j]!;
  return out;
}

/** The mean of all scores of runs × tasks (each score weighted equally). */
export function grandMean(scores: ScoreRows): number {
  let sum = 0;
  let n = 0;
  for (const row of scores) {
    for (let j = 0; j < row.length; j++) sum += row[j]!;
    n += row.length;
  }
  if (n === 0) throw new Error("grand mean needs at least 1 value, got 0");
  return sum / n;
}

/**
 * The trimmed mean: sort, drop ⌊proportion·n⌋ values from each end, average the rest (scipy
 * `trim_mean(x, proportion)`).
 */
export function trimmedMean(x: ArrayLike<number>, proportion: number): number {
  requireValues(x, "trimmed mean");
  if (!(proportion >= 0 && proportion < 0.5)) {
    throw new Error(`trim proportion must be in [0, 0.5), got ${proportion}`);
  }
  const sorted = Float64Array.from(x).sort();
  const cut = Math.floor(proportion * sorted.length);
  return mean(sorted.subarray(cut, sorted.length - cut));
}

/**
 * The interquartile mean (IQM) of rliable: flatten runs × tasks, sort, drop ⌊0.25·n⌋ values
 * from each end and average the rest.
 *
 * @example An outlier does not move the IQM
 * ```ts
 * import { iqm } from "./summary.ts";
 * if (iqm([[1, 2, 3, 4], [5, 6, 7, 1000]]) !== 4.5) throw new Error("wrong IQM");
 * ```
 */
export function iqm(scores: ScoreRows): number {
  return trimmedMean(flatten(scores), 0.25);
}

/**
 * The optimality gap of rliable on normalised scores: γ − mean(min(score, γ)) over runs × tasks,
 * i.e. how far the scores fall short of γ, with scores above γ counting as γ.
 */
export function optimalityGap(scores: ScoreRows, gamma = 1): number {
  let sum = 0;
  let n = 0;
  for (const row of scores) {
    for (let j = 0; j < row.length; j++) sum += Math.min(row[j]!, gamma);
    n += row.length;
  }
  if (n === 0) throw new Error("optimality gap needs at least 1 value, got 0");
  return gamma - sum / n;
}

/**
 * The performance profile of rliable: for each threshold τ, the fraction of scores of runs ×
 * tasks that are strictly greater than τ. For bootstrap bands, pass it as the statistic of
 * `bootstrapIntervals` in `bootstrap.ts`.
 *
 * @example Fractions above three thresholds
 * ```ts
 * import { performanceProfile } from "./summary.ts";
 * const p = performanceProfile([[0.2, 0.5], [0.8, 1]], [0, 0.5, 1]);
 * if (p.join() !== "1,0.5,0") throw new Error("wrong profile");
 * ```
 */
export function performanceProfile(scores: ScoreRows, taus: ArrayLike<number>): Float64Array {
  const all = flatten(scores);
  requireValues(all, "performance profile");
  const out = new Float64Array(taus.length);
  for (let t = 0; t < taus.length; t++) {
    const tau = taus[t]!;
    let above = 0;
    for (let i = 0; i < all.length; i++) if (all[i]! > tau) above++;
    out[t] = above / all.length;
  }
  return out;
}
