/**
 * Batch statistics logged every iteration to make failures visible: how much of the returns'
 * variance the value baseline explains, and the mean and spread of masked values such as the
 * raw advantages.
 *
 * @module
 */

/** Mean and (population) standard deviation of the entries of `x` where `mask` is not 0. */
export function maskedMeanStd(x: ArrayLike<number>, mask: ArrayLike<number>) {
  let n = 0, sum = 0;
  for (let i = 0; i < x.length; i++) if (mask[i] !== 0) (n++, sum += x[i]!);
  const mean = n === 0 ? NaN : sum / n;
  let ss = 0;
  for (let i = 0; i < x.length; i++) if (mask[i] !== 0) ss += (x[i]! - mean) ** 2;
  return { mean, std: n === 0 ? NaN : Math.sqrt(ss / n) };
}

/**
 * Explained variance 1 − Var(y − ŷ) / Var(y) of predictions `yhat` of targets `y` over the
 * masked entries: 1 for perfect predictions, 0 for predicting the mean, negative for worse.
 * Targets without variance give 0 (rllab's convention).
 *
 * @example Predictions off by a constant explain everything
 * ```ts
 * import { explainedVariance } from "./diagnostics.ts";
 * const ev = explainedVariance([1, 2, 3], [2, 3, 4], [1, 1, 1]);
 * if (ev !== 1) throw new Error("a constant offset has no variance");
 * ```
 */
export function explainedVariance(
  y: ArrayLike<number>,
  yhat: ArrayLike<number>,
  mask: ArrayLike<number>,
): number {
  const variance = maskedMeanStd(y, mask).std ** 2;
  if (!(variance > 0)) return 0;
  const residual = Array.from(y, (v, i) => v - yhat[i]!);
  return 1 - maskedMeanStd(residual, mask).std ** 2 / variance;
}
