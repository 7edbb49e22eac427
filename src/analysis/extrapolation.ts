/**
 * Extrapolating a learning curve that stopped short of a target: a least-squares line through
 * (ln timesteps, held-out mean) over the later half of the curve, where learning curves of
 * this kind are close to straight on a log axis, and the timesteps at which that line reaches
 * the target. It is a projection from the measured rate, not a prediction: a curve that bends
 * over (a plateau) gives a slope near 0 and a budget far beyond the data, and one that has
 * stopped improving gives none.
 *
 * @module
 */

/** One point of a learning curve. */
export interface CurvePoint {
  /** Training timesteps done before the evaluation. */
  timesteps: number;
  /** The held-out mean at that point. */
  mean: number;
}

/** A line `mean = intercept + slope · ln(timesteps)`. */
export interface LogFit {
  /** Gain in mean per e-fold of timesteps. */
  slope: number;
  /** The line's value at one timestep. */
  intercept: number;
  /** The points it was fitted to (the later half of the curve's trained points). */
  points: number;
  /** The timesteps of the first of those points. */
  from: number;
  /** The timesteps of the last of those points. */
  to: number;
}

/** Fewest points a fit uses. */
export const MIN_FIT_POINTS = 3;

/**
 * The line through the later half of the curve's points with timesteps > 0 (at least
 * {@link MIN_FIT_POINTS}), by least squares in ln(timesteps); undefined when there are too few.
 *
 * @example A curve that gains 2 per e-fold
 * ```ts
 * import { fitLogTimesteps } from "./extrapolation.ts";
 * const curve = [1, 2, 3, 4, 5, 6].map((k) => ({ timesteps: Math.exp(k), mean: 10 + 2 * k }));
 * const fit = fitLogTimesteps(curve)!;
 * if (Math.abs(fit.slope - 2) > 1e-9 || Math.abs(fit.intercept - 10) > 1e-9) throw new Error();
 * ```
 */
export function fitLogTimesteps(curve: readonly CurvePoint[]): LogFit | undefined {
  const trained = curve.filter((p) => p.timesteps > 0);
  const later = trained.slice(Math.floor(trained.length / 2));
  const used = later.length >= MIN_FIT_POINTS ? later : trained.slice(-MIN_FIT_POINTS);
  if (used.length < MIN_FIT_POINTS) return undefined;
  const xs = used.map((p) => Math.log(p.timesteps));
  const ys = used.map((p) => p.mean);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0, sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i]! - my);
    sxx += (x - mx) ** 2;
  });
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  return {
    slope,
    intercept: my - slope * mx,
    points: used.length,
    from: used[0]!.timesteps,
    to: used[used.length - 1]!.timesteps,
  };
}

/**
 * The timesteps at which the fitted line reaches `level` (inside the fitted range when the curve
 * is already there); undefined when the line does not rise.
 */
export function timestepsToReach(fit: LogFit, level: number): number | undefined {
  if (fit.slope <= 0) return undefined;
  return Math.exp((level - fit.intercept) / fit.slope);
}
