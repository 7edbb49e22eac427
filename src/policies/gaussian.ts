/**
 * Diagonal Gaussian policies for continuous actions: a network (MLP or GRU) gives the mean of
 * each action component and a learned, state-independent vector gives its log standard
 * deviation, as rllab's and garage's `GaussianMLPPolicy` (`learn_std`, `init_std` 1) do. The
 * policy's flat parameters are the network's followed by the `d` log standard deviations, so
 * the compute backends see only the mean network.
 *
 * The distribution's functions work on host rows of `d` means and `d` log standard deviations,
 * in closed form: log-density, its gradients, entropy, KL and sampling.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { StepNetwork } from "./network.ts";

const LOG_2PI = Math.log(2 * Math.PI);

/** A diagonal Gaussian policy: a mean network and `actionDim` log standard deviations. */
export interface GaussianPolicy {
  /** The network that gives the means (its `outputDim` is {@link actionDim}). */
  readonly net: StepNetwork;
  /** Size of an action. */
  readonly actionDim: number;
  /** Scalar parameters in all: the network's, then the log standard deviations. */
  readonly size: number;
  /** The log standard deviations' starting value (0: standard deviation 1). */
  readonly initLogStd: number;
}

/** The Gaussian policy whose means come from `net`, starting at standard deviation e^initLogStd. */
export function gaussianPolicy(net: StepNetwork, initLogStd = 0): GaussianPolicy {
  return { net, actionDim: net.outputDim, size: net.size + net.outputDim, initLogStd };
}

/** Fresh parameters: the network's initialisation from `rng`, then the log standard deviations. */
export function gaussianInit(policy: GaussianPolicy, rng: Rng): Float32Array {
  const out = new Float32Array(policy.size);
  out.set(policy.net.init(rng));
  out.fill(policy.initLogStd, policy.net.size);
  return out;
}

/** The network's parameters and the log standard deviations, as views of `params`. */
export function splitParams(
  policy: GaussianPolicy,
  params: Float32Array,
): { net: Float32Array; logStd: Float32Array } {
  if (params.length !== policy.size) {
    throw new Error(`expected ${policy.size} parameters, got ${params.length}`);
  }
  return { net: params.subarray(0, policy.net.size), logStd: params.subarray(policy.net.size) };
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
