/**
 * The tanh-squashed Gaussian policy of SAC as PEARL uses it (the authors'
 * `TanhGaussianPolicy`): the network gives a mean μ and a log standard deviation clamped to
 * [−20, 2] per action coordinate; an action is `tanh(μ + σ ε)` and its log-probability is the
 * Gaussian's minus `Σ log(1 − a² + 1e-6)`. With the reparameterisation, the gradients of a
 * loss of the action and of log π flow back into μ and log σ.
 *
 * @module
 */

/** The bounds of log σ (the authors' LOG_SIG_MIN, LOG_SIG_MAX). */
export const LOG_STD_MIN = -20;
/** Upper bound of log σ. */
export const LOG_STD_MAX = 2;

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** A batch of reparameterised actions of the policy. */
export interface TanhGaussianSample {
  /** Rows of the batch. */
  readonly rows: number;
  /** Actions, `rows × A`. */
  readonly actions: Float64Array;
  /** log π(a | s), one per row. */
  readonly logProb: Float64Array;
  /** The standard normal draws ε, `rows × A`. */
  readonly eps: Float64Array;
}

/** The clamped log σ of output column `A + j`. */
function logStd(out: Float64Array, r: number, A: number, j: number): number {
  return Math.min(LOG_STD_MAX, Math.max(LOG_STD_MIN, out[r * 2 * A + A + j]!));
}

/** Actions `tanh(μ + σ ε)` of the network's outputs (`rows × 2A`) and their log-probabilities. */
export function tanhGaussianSample(
  out: Float64Array,
  rows: number,
  A: number,
  eps: Float64Array,
): TanhGaussianSample {
  const actions = new Float64Array(rows * A);
  const logProb = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let lp = 0;
    for (let j = 0; j < A; j++) {
      const ls = logStd(out, r, A, j);
      const e = eps[r * A + j]!;
      const a = Math.tanh(out[r * 2 * A + j]! + Math.exp(ls) * e);
      actions[r * A + j] = a;
      lp += -0.5 * e * e - ls - HALF_LOG_2PI - Math.log(1 - a * a + 1e-6);
    }
    logProb[r] = lp;
  }
  return { rows, actions, logProb, eps };
}

/**
 * The gradient with respect to the network's outputs (`rows × 2A`) of
 * `Σ_r (dLogProb_r log π_r + Σ_j dAction_rj a_rj)` plus the authors' regularisers
 * `meanReg · mean(μ²) + stdReg · mean(log σ²)` (means over rows × A).
 */
export function tanhGaussianBackward(
  out: Float64Array,
  s: TanhGaussianSample,
  A: number,
  dLogProb: Float64Array,
  dAction: Float64Array,
  meanReg: number,
  stdReg: number,
): Float64Array {
  const { rows } = s;
  const d = new Float64Array(rows * 2 * A);
  const n = rows * A;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < A; j++) {
      const a = s.actions[r * A + j]!;
      const raw = out[r * 2 * A + A + j]!;
      const ls = logStd(out, r, A, j);
      const mu = out[r * 2 * A + j]!;
      const dTanh = 1 - a * a;
      // d log π / du of −log(1 − tanh(u)² + 1e-6).
      const dCorrection = 2 * a * dTanh / (dTanh + 1e-6);
      const du = dLogProb[r]! * dCorrection + dAction[r * A + j]! * dTanh;
      d[r * 2 * A + j] = du + 2 * meanReg * mu / n;
      const clamped = raw < LOG_STD_MIN || raw > LOG_STD_MAX;
      const dLs = -dLogProb[r]! + du * Math.exp(ls) * s.eps[r * A + j]! + 2 * stdReg * ls / n;
      d[r * 2 * A + A + j] = clamped ? 0 : dLs;
    }
  }
  return d;
}
