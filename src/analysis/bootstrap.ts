/**
 * Seeded bootstrap confidence intervals for statistics of scores (runs × tasks), with the
 * percentile interval of rliable (Agarwal et al., 2021).
 *
 * Three resampling schemes:
 * - `"stratified"`: tasks are strata; within each task (column) the runs are resampled with
 *   replacement (rliable's `StratifiedBootstrap`). Needs every run to have the same tasks.
 * - `"stratified-tasks"`: as `"stratified"`, after first resampling the tasks themselves with
 *   replacement (rliable's `task_bootstrap=True`).
 * - `"nested"`: two levels for returns of evaluation tasks within seeds; resample the seeds
 *   (rows) with replacement, then the tasks within each resampled seed. Rows may differ in
 *   length.
 *
 * Several datasets (e.g. two agents) are resampled independently, or with the same indices
 * when `paired` (both were evaluated on the same seeds and tasks, and have the same shape).
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import { grandMean, quantileSorted, type ScoreRows } from "./summary.ts";

/** How runs and tasks are resampled; see the module documentation. */
export type BootstrapScheme = "stratified" | "stratified-tasks" | "nested";

/** Settings of a bootstrap. */
export interface BootstrapOptions {
  /** The only source of randomness; the same stream gives the same interval. */
  rng: Rng;
  /** How runs and tasks are resampled. */
  scheme: BootstrapScheme;
  /** Number of bootstrap resamples (rliable uses 50,000 for aggregates). Default 50,000. */
  resamples?: number;
  /** Coverage of the percentile interval. Default 0.95 (2.5th to 97.5th percentile). */
  confidence?: number;
  /** Resample every dataset with the same indices; their shapes must match. Default false. */
  paired?: boolean;
}

/** A point estimate with the bounds of its confidence interval. */
export interface Interval {
  /** The statistic of the original data. */
  point: number;
  /** Lower bound of the interval. */
  lower: number;
  /** Upper bound of the interval. */
  upper: number;
}

/** The statistic of every resample, per component of a vector-valued statistic. */
export interface BootstrapDistribution {
  /** The statistic of the original data. */
  point: Float64Array;
  /** draws[c][b]: component c of the statistic of resample b. */
  draws: Float64Array[];
}

/** Where each resampled score comes from: position (i, k) takes data[row][col]. */
class ResamplePlan {
  readonly #scheme: BootstrapScheme;
  readonly #lengths: number[];
  readonly width: number;
  readonly outLengths: Int32Array;
  readonly #srcRow: Int32Array;
  readonly #srcCol: Int32Array;

  constructor(data: ScoreRows, scheme: BootstrapScheme) {
    if (data.length === 0) throw new Error("bootstrap needs at least one run");
    this.#scheme = scheme;
    this.#lengths = data.map((row) => row.length);
    this.width = Math.max(...this.#lengths);
    if (this.width === 0) throw new Error("bootstrap needs at least one task");
    if (scheme === "nested") {
      if (this.#lengths.includes(0)) throw new Error("nested bootstrap needs a task in every run");
    } else if (this.#lengths.some((n) => n !== this.width)) {
      throw new Error(`scheme ${scheme} needs the same number of tasks in every run`);
    }
    this.outLengths = new Int32Array(data.length);
    this.#srcRow = new Int32Array(data.length * this.width);
    this.#srcCol = new Int32Array(data.length * this.width);
  }

  /** Whether data has the shape this plan was made for. */
  fits(data: ScoreRows): boolean {
    return data.length === this.#lengths.length &&
      data.every((row, i) => row.length === this.#lengths[i]);
  }

  draw(rng: Rng): void {
    const runs = this.#lengths.length;
    const w = this.width;
    if (this.#scheme === "nested") {
      for (let i = 0; i < runs; i++) {
        const s = rng.int(runs);
        const n = this.#lengths[s]!;
        this.outLengths[i] = n;
        this.#srcRow.fill(s, i * w, i * w + n);
        for (let k = 0; k < n; k++) this.#srcCol[i * w + k] = rng.int(n);
      }
      return;
    }
    this.outLengths.fill(w);
    const resampleTasks = this.#scheme === "stratified-tasks";
    for (let j = 0; j < w; j++) {
      const col = resampleTasks ? rng.int(w) : j;
      for (let i = 0; i < runs; i++) {
        this.#srcRow[i * w + j] = rng.int(runs);
        this.#srcCol[i * w + j] = col;
      }
    }
  }

  /** Writes the resample of data into buffers (one per run) and its rows into out. */
  apply(data: ScoreRows, buffers: readonly Float64Array[], out: Float64Array[]): void {
    const w = this.width;
    for (let i = 0; i < buffers.length; i++) {
      const buf = buffers[i]!;
      const n = this.outLengths[i]!;
      for (let k = 0; k < n; k++) {
        buf[k] = data[this.#srcRow[i * w + k]!]![this.#srcCol[i * w + k]!]!;
      }
      out[i] = n === buf.length ? buf : buf.subarray(0, n);
    }
  }
}

function validated(options: BootstrapOptions): { resamples: number; confidence: number } {
  const { resamples = 50_000, confidence = 0.95 } = options;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new Error(`resamples must be a positive integer, got ${resamples}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new Error(`confidence must be in (0, 1), got ${confidence}`);
  }
  return { resamples, confidence };
}

/**
 * The bootstrap distribution of a vector-valued statistic of one or more datasets.
 *
 * The statistic receives the resampled datasets in the order given; their rows are reused
 * buffers, so it must not keep references to them.
 */
export function bootstrapDistributions(
  datasets: readonly ScoreRows[],
  statistic: (resampled: readonly ScoreRows[]) => ArrayLike<number>,
  options: BootstrapOptions,
): BootstrapDistribution {
  const { resamples } = validated(options);
  if (datasets.length === 0) throw new Error("bootstrap needs at least one dataset");
  const point = Float64Array.from(statistic(datasets));
  const plans = options.paired
    ? [new ResamplePlan(datasets[0]!, options.scheme)]
    : datasets.map((d) => new ResamplePlan(d, options.scheme));
  if (options.paired && !datasets.every((d) => plans[0]!.fits(d))) {
    throw new Error("paired bootstrap needs datasets of the same shape");
  }
  const planOf = (d: number) => plans[options.paired ? 0 : d]!;
  const buffers = datasets.map((d, i) => d.map(() => new Float64Array(planOf(i).width)));
  const rows: Float64Array[][] = datasets.map((d) => new Array<Float64Array>(d.length));
  const draws = Array.from(point, () => new Float64Array(resamples));
  for (let b = 0; b < resamples; b++) {
    for (const plan of plans) plan.draw(options.rng);
    for (let d = 0; d < datasets.length; d++) {
      planOf(d).apply(datasets[d]!, buffers[d]!, rows[d]!);
    }
    const value = statistic(rows);
    if (value.length !== point.length) {
      throw new Error(`statistic returned ${value.length} values, expected ${point.length}`);
    }
    for (let c = 0; c < point.length; c++) draws[c]![b] = value[c]!;
  }
  return { point, draws };
}

/**
 * Percentile bootstrap intervals, one per component of a vector-valued statistic of one or more
 * datasets (e.g. a performance profile over a grid of thresholds).
 */
export function bootstrapIntervals(
  datasets: readonly ScoreRows[],
  statistic: (resampled: readonly ScoreRows[]) => ArrayLike<number>,
  options: BootstrapOptions,
): Interval[] {
  const { confidence } = validated(options);
  const { point, draws } = bootstrapDistributions(datasets, statistic, options);
  const alpha = (1 - confidence) / 2;
  return draws.map((d, c) => {
    d.sort();
    return {
      point: point[c]!,
      lower: quantileSorted(d, alpha),
      upper: quantileSorted(d, 1 - alpha),
    };
  });
}

/**
 * The percentile bootstrap interval of a statistic of scores (runs × tasks).
 *
 * @example 95% interval of the mean over five seeds of one task
 * ```ts
 * import { Rng } from "../rng.ts";
 * import { bootstrapCi } from "./bootstrap.ts";
 * import { grandMean } from "./summary.ts";
 * const ci = bootstrapCi([[1], [2], [3], [4], [5]], grandMean, {
 *   rng: Rng.derive(0, "bootstrap"),
 *   scheme: "stratified",
 *   resamples: 2000,
 * });
 * if (!(ci.point === 3 && ci.lower < 3 && 3 < ci.upper)) throw new Error("wrong interval");
 * ```
 */
export function bootstrapCi(
  scores: ScoreRows,
  statistic: (scores: ScoreRows) => number,
  options: BootstrapOptions,
): Interval {
  return bootstrapIntervals([scores], ([s]) => [statistic(s!)], options)[0]!;
}

/**
 * The difference of two agents' mean scores, mean(a) − mean(b) over runs × tasks, with its
 * percentile bootstrap interval. Paired resamples both agents with the same indices (same seeds
 * and evaluation tasks), which removes the variation they share.
 */
export function meanDifferenceCi(
  a: ScoreRows,
  b: ScoreRows,
  options: BootstrapOptions & { paired: boolean },
): Interval {
  return bootstrapIntervals([a, b], ([x, y]) => [grandMean(x!) - grandMean(y!)], options)[0]!;
}
