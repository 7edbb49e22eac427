/**
 * Learning curves of several seeds combined on timesteps, not iterations: seeds whose logs have
 * different lengths, or whose iterations took different numbers of steps, are put on one grid
 * of timesteps by linear interpolation inside each seed's own range (never extrapolated), and
 * each grid point gets the mean over the seeds that cover it with a bootstrap interval across
 * those seeds.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import { bootstrapCi } from "./bootstrap.ts";
import { grandMean } from "./summary.ts";

/** One seed's curve: values at increasing timesteps. */
export interface SeedCurve {
  /** Timesteps, strictly increasing. */
  readonly x: ArrayLike<number>;
  /** The value at each timestep. */
  readonly y: ArrayLike<number>;
}

/** One point of a combined curve. */
export interface CurvePoint {
  /** Timesteps. */
  x: number;
  /** Mean over the seeds that cover x. */
  mean: number;
  /** Lower bound of the interval across those seeds. */
  lower: number;
  /** Upper bound of the interval across those seeds. */
  upper: number;
  /** How many seeds cover x. */
  seeds: number;
}

/** Settings of {@link combineCurves}. */
export interface CurveOptions {
  /** The bootstrap's only source of randomness. */
  rng: Rng;
  /** Bootstrap resamples per grid point. */
  resamples: number;
  /** Most grid points; more distinct timesteps than this give an even grid instead. */
  maxPoints: number;
}

function checkCurve(curve: SeedCurve, index: number): void {
  if (curve.x.length === 0 || curve.x.length !== curve.y.length) {
    throw new Error(`curve ${index} needs as many values as timesteps, and at least one`);
  }
  for (let i = 1; i < curve.x.length; i++) {
    if (!(curve.x[i]! > curve.x[i - 1]!)) {
      throw new Error(`curve ${index} has timesteps that do not increase at position ${i}`);
    }
  }
}

/**
 * The timesteps a combined curve is reported at: every distinct timestep of the seeds, sorted,
 * or `maxPoints` evenly spaced ones from the first to the last when there are more.
 *
 * @example Two seeds logged at different timesteps
 * ```ts
 * import { curveGrid } from "./curves.ts";
 * const grid = curveGrid([{ x: [0, 10], y: [0, 1] }, { x: [0, 12], y: [0, 1] }], 100);
 * if (grid.join() !== "0,10,12") throw new Error("wrong grid");
 * ```
 */
export function curveGrid(curves: readonly SeedCurve[], maxPoints: number): number[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) {
    throw new Error(`most grid points must be an integer of at least 2, got ${maxPoints}`);
  }
  curves.forEach(checkCurve);
  const all = [...new Set(curves.flatMap((c) => Array.from(c.x)))].sort((a, b) => a - b);
  if (all.length <= maxPoints) return all;
  const first = all[0]!;
  const last = all[all.length - 1]!;
  return Array.from({ length: maxPoints }, (_, i) => first + (last - first) * i / (maxPoints - 1));
}

/**
 * The value of a curve at timestep x by linear interpolation between its neighbouring points,
 * or undefined when x lies outside the curve's first and last timestep.
 */
export function interpolate(curve: SeedCurve, x: number): number | undefined {
  const n = curve.x.length;
  if (n === 0 || x < curve.x[0]! || x > curve.x[n - 1]!) return undefined;
  let hi = 0;
  while (curve.x[hi]! < x) hi++;
  if (curve.x[hi] === x) return curve.y[hi]!;
  const x0 = curve.x[hi - 1]!;
  const y0 = curve.y[hi - 1]!;
  return y0 + (curve.y[hi]! - y0) * (x - x0) / (curve.x[hi]! - x0);
}

/**
 * Seeds' curves combined on the grid of {@link curveGrid}: at each timestep, the mean of the
 * seeds that cover it and a 95% percentile bootstrap interval over those seeds (one seed gives
 * a zero-width interval). Timesteps no seed covers (gaps of an even grid) are left out.
 *
 * @example Two seeds: their mean at a timestep both cover
 * ```ts
 * import { Rng } from "../rng.ts";
 * import { combineCurves } from "./curves.ts";
 * const points = combineCurves([{ x: [0, 10], y: [0, 2] }, { x: [0, 10], y: [2, 4] }], {
 *   rng: Rng.derive(0, "curves"),
 *   resamples: 100,
 *   maxPoints: 50,
 * });
 * if (points[1]?.mean !== 3 || points[1]?.seeds !== 2) throw new Error("wrong curve");
 * ```
 */
export function combineCurves(curves: readonly SeedCurve[], options: CurveOptions): CurvePoint[] {
  return curveGrid(curves, options.maxPoints).flatMap((x) => {
    const values = curves.flatMap((c) => interpolate(c, x) ?? []);
    if (values.length === 0) return [];
    const interval = bootstrapCi(values.map((v) => [v]), grandMean, {
      rng: options.rng,
      scheme: "stratified",
      resamples: options.resamples,
    });
    return [{
      x,
      mean: interval.point,
      lower: interval.lower,
      upper: interval.upper,
      seeds: values.length,
    }];
  });
}
