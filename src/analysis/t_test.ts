/**
 * Welch's t-test, one-sided, for marking table entries that are not significantly worse than
 * the best (the RL² paper bolds entries "not significantly different from the best (one-sided
 * t-test, p = 0.05)").
 *
 * @module
 */
import { studentTCdf } from "./special.ts";
import { mean, std } from "./summary.ts";

/** The outcome of a t-test. */
export interface TTestResult {
  /** The t statistic, (mean(x) − mean(y)) / standard error of the difference. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** One-sided p-value P(T ≥ t) under equal means, for the alternative mean(x) > mean(y). */
  p: number;
}

/**
 * One-sided Welch t-test (unequal variances) of mean(x) > mean(y); each sample needs two
 * values. When both samples have zero variance the test is decided by the means: p = 0 if
 * mean(x) > mean(y), 1 if smaller, 0.5 if equal, with df = n_x + n_y − 2.
 *
 * @example A clearly better x
 * ```ts
 * import { welchTTest } from "./t_test.ts";
 * const { p } = welchTTest([10, 11, 12, 13], [1, 2, 3, 4]);
 * if (!(p < 0.001)) throw new Error("should be significant");
 * ```
 */
export function welchTTest(x: ArrayLike<number>, y: ArrayLike<number>): TTestResult {
  const vx = std(x) ** 2 / x.length;
  const vy = std(y) ** 2 / y.length;
  const diff = mean(x) - mean(y);
  const se2 = vx + vy;
  if (se2 === 0) {
    const t = diff === 0 ? 0 : diff * Infinity;
    return { t, df: x.length + y.length - 2, p: diff === 0 ? 0.5 : diff > 0 ? 0 : 1 };
  }
  const t = diff / Math.sqrt(se2);
  const df = se2 * se2 / (vx * vx / (x.length - 1) + vy * vy / (y.length - 1));
  return { t, df, p: studentTCdf(-t, df) };
}
