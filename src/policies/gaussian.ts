/**
 * Diagonal Gaussian policies for continuous actions: a network (MLP or GRU) gives the mean of
 * each action component and a learned, state-independent vector gives its log standard
 * deviation, as rllab's and garage's `GaussianMLPPolicy` (`learn_std`, `init_std` 1) do. The
 * policy's flat parameters are the network's followed by the `d` log standard deviations, so
 * the compute backends see only the mean network.
 *
 * The distribution's functions work on host rows of `d` means and `d` log standard deviations,
 * in closed form: log-density, its gradients, entropy, KL and sampling; together they are the
 * policy's {@link ActionDistribution}.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { StepNetwork } from "./network.ts";
import {
  type ActionDistribution,
  type AdvantageSteps,
  type Policy,
  policyOf,
  type SampledSteps,
} from "./distribution.ts";

const LOG_2PI = Math.log(2 * Math.PI);

/** The Gaussian policy whose means come from `net`, starting at standard deviation e^initLogStd. */
export function gaussianPolicy(net: StepNetwork, initLogStd = 0): Policy {
  return policyOf(net, gaussianDistribution(net.outputDim, initLogStd));
}

/**
 * log N(a; μ, diag(σ²)) = −½ Σ ((a − μ)/σ)² − Σ log σ − (d/2) log 2π, for the row of `d` means
 * at `mean[offset ..]`, the action at `action[offset ..]` and the log standard deviations.
 *
 * @example One dimension at its mean, σ = 1
 * ```ts
 * import { gaussianLogProb } from "./gaussian.ts";
 * const lp = gaussianLogProb([0], [0], 0, [0], 1);
 * if (Math.abs(lp + 0.5 * Math.log(2 * Math.PI)) > 1e-12) throw new Error("−½ log 2π");
 * ```
 */
export function gaussianLogProb(
  mean: ArrayLike<number>,
  action: ArrayLike<number>,
  offset: number,
  logStd: ArrayLike<number>,
  d: number,
): number {
  let lp = -0.5 * d * LOG_2PI;
  for (let j = 0; j < d; j++) {
    const z = (action[offset + j]! - mean[offset + j]!) * Math.exp(-logStd[j]!);
    lp -= 0.5 * z * z + logStd[j]!;
  }
  return lp;
}

/**
 * Adds `w` times the gradient of {@link gaussianLogProb} into `dMean[offset ..]` (∂/∂μ_j =
 * (a_j − μ_j)/σ_j²) and `dLogStd` (∂/∂log σ_j = ((a_j − μ_j)/σ_j)² − 1).
 */
export function addLogProbGradient(
  mean: ArrayLike<number>,
  action: ArrayLike<number>,
  offset: number,
  logStd: ArrayLike<number>,
  d: number,
  w: number,
  dMean: Float32Array | Float64Array,
  dLogStd: Float64Array,
): void {
  for (let j = 0; j < d; j++) {
    const inv = Math.exp(-logStd[j]!);
    const z = (action[offset + j]! - mean[offset + j]!) * inv;
    dMean[offset + j]! += w * z * inv;
    dLogStd[j]! += w * (z * z - 1);
  }
}

/** Entropy Σ (log σ_j + ½ log 2πe) of a diagonal Gaussian (the same in every state). */
export function gaussianEntropy(logStd: ArrayLike<number>, d: number): number {
  let h = 0;
  for (let j = 0; j < d; j++) h += logStd[j]! + 0.5 * (LOG_2PI + 1);
  return h;
}

/**
 * KL(p ‖ q) = Σ [log σq/σp + (σp² + (μp − μq)²)/(2σq²) − ½] between the rows of `d` means at
 * `offset` of `meanP` and `meanQ`, with log standard deviations `logStdP` and `logStdQ`.
 */
export function gaussianKl(
  meanP: ArrayLike<number>,
  logStdP: ArrayLike<number>,
  meanQ: ArrayLike<number>,
  logStdQ: ArrayLike<number>,
  offset: number,
  d: number,
): number {
  let kl = 0;
  for (let j = 0; j < d; j++) {
    const diff = meanP[offset + j]! - meanQ[offset + j]!;
    const varQ = Math.exp(2 * logStdQ[j]!);
    kl += logStdQ[j]! - logStdP[j]! + (Math.exp(2 * logStdP[j]!) + diff * diff) / (2 * varQ) -
      0.5;
  }
  return kl;
}

/**
 * Writes an action drawn from the row of `d` means at `offset` into `out[offset ..]`: μ_j +
 * σ_j·ε_j with ε_j standard normal, drawn in the order j = 0 .. d−1.
 */
export function gaussianSample(
  mean: ArrayLike<number>,
  offset: number,
  logStd: ArrayLike<number>,
  d: number,
  rng: Rng,
  out: Float32Array,
): void {
  for (let j = 0; j < d; j++) {
    out[offset + j] = mean[offset + j]! + Math.exp(logStd[j]!) * rng.normal();
  }
}

/** Σ ratio·Â + β·H(π) and Σ KL(old ‖ new) over the valid steps, the new policy at `means`. */
function surrogateAndKlSums(
  means: Float32Array,
  logStd: Float32Array,
  steps: AdvantageSteps,
  d: number,
  entropyCoeff: number,
): { surrogate: number; kl: number; n: number } {
  const h = entropyCoeff === 0 ? 0 : gaussianEntropy(logStd, d);
  let surrogate = 0;
  let kl = 0;
  let n = 0;
  for (let i = 0; i < steps.mask.length; i++) {
    if (steps.mask[i] === 0) continue;
    const lp = gaussianLogProb(means, steps.actions, i * d, logStd, d);
    const lpOld = gaussianLogProb(steps.distParams, steps.actions, i * d, steps.head, d);
    surrogate += Math.exp(lp - lpOld) * steps.advantages[i]!;
    if (entropyCoeff !== 0) surrogate += entropyCoeff * h;
    kl += gaussianKl(steps.distParams, steps.head, means, logStd, i * d, d);
    n++;
  }
  return { surrogate, kl, n };
}

/**
 * ∂/∂(means, log σ) of (1/n)·Σ (ratioᵢ·Âᵢ + β·H) over the valid steps: ratioᵢ·Âᵢ/n times the
 * log-density's gradient, and β per log standard deviation (H = Σ log σ_j + const).
 */
function surrogateGradient(
  means: Float32Array,
  logStd: Float32Array,
  steps: AdvantageSteps,
  d: number,
  n: number,
  entropyCoeff: number,
  dMean: Float32Array,
  dLogStd: Float64Array,
): void {
  for (let i = 0; i < steps.mask.length; i++) {
    if (steps.mask[i] === 0) continue;
    const lp = gaussianLogProb(means, steps.actions, i * d, logStd, d);
    const old = gaussianLogProb(steps.distParams, steps.actions, i * d, steps.head, d);
    const w = Math.exp(lp - old) * steps.advantages[i]! / n;
    if (w !== 0) addLogProbGradient(means, steps.actions, i * d, logStd, d, w, dMean, dLogStd);
    if (entropyCoeff !== 0) { for (let j = 0; j < d; j++) dLogStd[j]! += entropyCoeff / n; }
  }
}

/**
 * ∂/∂(means, log σ) of (1/n)·Σ KL(old ‖ new) over the valid steps, the new policy at `means` and
 * `logStd`: (μ − μ_old)/σ²/n per mean, (1 − (σ_old² + (μ_old − μ)²)/σ²)/n per log σ.
 */
function klGradient(
  means: Float32Array,
  logStd: Float32Array,
  steps: SampledSteps,
  d: number,
  n: number,
  dMean: Float32Array,
  dLogStd: Float64Array,
): void {
  for (let i = 0; i < steps.mask.length; i++) {
    if (steps.mask[i] === 0) continue;
    for (let j = 0; j < d; j++) {
      const k = i * d + j;
      const diff = means[k]! - steps.distParams[k]!;
      const invVar = Math.exp(-2 * logStd[j]!);
      dMean[k] = diff * invVar / n;
      dLogStd[j]! += (1 - (Math.exp(2 * steps.head[j]!) + diff * diff) * invVar) / n;
    }
  }
}

/**
 * The diagonal Gaussian over `d` reals whose means a network gives, its head the `d` log
 * standard deviations (starting at `initLogStd`). Its Fisher matrix is block diagonal: Jᵀ
 * diag(σ⁻²) J for the network (J the Jacobian of the means) and 2·I for the log standard
 * deviations.
 */
export function gaussianDistribution(d: number, initLogStd = 0): ActionDistribution {
  return {
    kind: "gaussian",
    outputDim: d,
    actionDim: d,
    paramDim: d,
    headSize: d,
    initHead: () => new Float32Array(d).fill(initLogStd),
    newActions: (n) => new Float32Array(n),
    act(means, logStd, active, greedy, rng, params, actions) {
      params.set(means);
      for (let b = 0; b < active.length; b++) {
        if (active[b] !== 1) continue;
        if (greedy) actions.set(means.subarray(b * d, (b + 1) * d), b * d);
        else gaussianSample(means, b * d, logStd, d, rng, actions as Float32Array);
      }
    },
    logProb: (means, logStd, actions, i) => gaussianLogProb(means, actions, i * d, logStd, d),
    addLogProbGradient: (means, logStd, actions, i, w, dMean, dLogStd) =>
      addLogProbGradient(means, actions, i * d, logStd, d, w, dMean, dLogStd),
    meanEntropy: (steps: SampledSteps) => gaussianEntropy(steps.head, d),
    surrogateAndKlSums: (means, logStd, steps, entropyCoeff) =>
      surrogateAndKlSums(means, logStd, steps, d, entropyCoeff),
    addSurrogateGradient: (means, logStd, steps, n, entropyCoeff, dMean, dLogStd) =>
      surrogateGradient(means, logStd, steps, d, n, entropyCoeff, dMean, dLogStd),
    addKlGradient: (means, logStd, steps, n, dMean, dLogStd) =>
      klGradient(means, logStd, steps, d, n, dMean, dLogStd),
    fisherOutputs(plus, minus, h, n, steps, logStd, u) {
      const invVar = Array.from(logStd, (l) => Math.exp(-2 * l));
      for (let i = 0; i < steps.mask.length; i++) {
        if (steps.mask[i] === 0) continue;
        for (let j = 0; j < d; j++) {
          const k = i * d + j;
          u[k] = (plus[k]! - minus[k]!) / (2 * h) * invVar[j]! / n;
        }
      }
    },
    fisherHead(_logStd, v, offset, out) {
      for (let j = 0; j < d; j++) out[offset + j] = 2 * v[offset + j]!;
    },
  };
}
