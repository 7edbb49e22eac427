/**
 * Policy-gradient algebra of diagonal Gaussian policies (`src/policies/gaussian.ts`) over
 * batches of trials: gradients of weighted log-likelihoods (the vanilla policy gradient, and
 * TRPO's importance-weighted surrogate), the surrogate and mean KL at any parameters, and the
 * Fisher–vector product of the mean KL. Gradients in the means go through the mean network's
 * backward pass (`unroll.ts`); those in the state-independent log standard deviations are
 * summed on the host in closed form.
 *
 * The Fisher matrix of the mean KL(old ‖ new) at new = old is block diagonal: Jᵀ diag(σ⁻²) J
 * averaged over the valid steps for the network (J the Jacobian of the means) and 2·I for the
 * log standard deviations. J·v comes from central differences of the means and Jᵀ(·) from one
 * backward pass, as for the categorical Fisher–vector product (`trpo.ts`).
 *
 * @module
 */
import {
  gaussianKl,
  gaussianLogProb,
  type GaussianPolicy,
  splitParams,
} from "../policies/gaussian.ts";
import { addLogProbGradient } from "../policies/gaussian.ts";
import { dot } from "./conjugate_gradient.ts";
import { backprop, forwardOutputs, linearize, type TrialInputs } from "./unroll.ts";
import { trialRange } from "../compute/trials.ts";

/** Trials with the continuous actions taken. */
export interface ActionTrials extends TrialInputs {
  /** `T × B × d` actions. */
  readonly actions: Float32Array;
}

/** What a Gaussian policy update needs of a batch: actions, the sampling policy, advantages. */
export interface GaussianPolicyBatch extends ActionTrials {
  /** `T × B × d` means of the sampling policy. */
  readonly means: Float32Array;
  /** Its `d` log standard deviations. */
  readonly logStd: Float32Array;
  /** `T × B` advantages (0 on padding). */
  readonly advantages: Float32Array;
}

/**
 * The weight of step `row` (= t·B + b) given its log-likelihood under the parameters the
 * gradient is taken at.
 */
export type StepWeight = (row: number, logProb: number) => number;

/** Number of valid steps of a mask. */
export function countValid(mask: Float32Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}

/**
 * ∇θ Σᵢ wᵢ log π_θ(aᵢ|sᵢ) over the valid steps of `data` at `params`, each weight wᵢ held
 * constant (given by `weight` from the step's log-likelihood at `params`): one forward and one
 * backward pass.
 */
export function weightedLogLikGradient(
  policy: GaussianPolicy,
  params: Float32Array,
  data: ActionTrials,
  weight: StepWeight,
  chunkTrials: number,
): Float32Array {
  const d = policy.actionDim;
  const { T, B } = data;
  const { net: netParams, logStd } = splitParams(policy, params);
  const dLogStd = new Float64Array(d);
  const gNet = backprop(policy.net, netParams.slice(), data, chunkTrials, (outputs, b0, b1) => {
    const n = b1 - b0;
    const actions = trialRange(data.actions, T, B, d, b0, b1);
    const dMean = new Float32Array(outputs.length);
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < n; k++) {
        const row = t * B + b0 + k;
        if (data.mask[row] === 0) continue;
        const at = (t * n + k) * d;
        const w = weight(row, gaussianLogProb(outputs, actions, at, logStd, d));
        if (w !== 0) addLogProbGradient(outputs, actions, at, logStd, d, w, dMean, dLogStd);
      }
    }
    return dMean;
  });
  const out = new Float32Array(policy.size);
  out.set(gNet);
  for (let j = 0; j < d; j++) out[policy.net.size + j] = dLogStd[j]!;
  return out;
}

/**
 * The vanilla policy gradient ∇θ mean(log π_θ(a|s)·Â) over the valid steps at `params` (the
 * REINFORCE surrogate MAML's inner step ascends).
 */
export function vanillaPolicyGradient(
  policy: GaussianPolicy,
  params: Float32Array,
  batch: ActionTrials & { readonly advantages: Float32Array },
  chunkTrials: number,
): Float32Array {
  const n = countValid(batch.mask);
  return weightedLogLikGradient(
    policy,
    params,
    batch,
    (row) => batch.advantages[row]! / n,
    chunkTrials,
  );
}

/** log π_old(aᵢ|sᵢ) of every step of a batch (0 on padding). */
export function oldLogProbs(batch: GaussianPolicyBatch, d: number): Float64Array {
  const out = new Float64Array(batch.mask.length);
  for (let i = 0; i < out.length; i++) {
    if (batch.mask[i] !== 0) {
      out[i] = gaussianLogProb(batch.means, batch.actions, i * d, batch.logStd, d);
    }
  }
  return out;
}

/**
 * ∇θ of TRPO's surrogate mean(π_θ(a|s)/π_old(a|s)·Â) at `params` (anywhere, not only at the
 * old parameters): Σ ratioᵢ·Âᵢ/n ∇log π_θ(aᵢ|sᵢ).
 */
export function surrogateGradientAt(
  policy: GaussianPolicy,
  params: Float32Array,
  batch: GaussianPolicyBatch,
  chunkTrials: number,
  old: Float64Array = oldLogProbs(batch, policy.actionDim),
): Float32Array {
  const n = countValid(batch.mask);
  return weightedLogLikGradient(
    policy,
    params,
    batch,
    (row, lp) => Math.exp(lp - old[row]!) * batch.advantages[row]! / n,
    chunkTrials,
  );
}

/** Sums of the surrogate ratio·Â and of KL(old ‖ new) over the valid steps, at `params`. */
export function gaussianSurrogateAndKlSums(
  policy: GaussianPolicy,
  params: Float32Array,
  batch: GaussianPolicyBatch,
  chunkTrials: number,
): { surrogate: number; kl: number; n: number } {
  const d = policy.actionDim;
  const { net: netParams, logStd } = splitParams(policy, params);
  const means = forwardOutputs(policy.net, netParams.slice(), batch, chunkTrials);
  let surrogate = 0;
  let kl = 0;
  let n = 0;
  for (let i = 0; i < batch.mask.length; i++) {
    if (batch.mask[i] === 0) continue;
    const lp = gaussianLogProb(means, batch.actions, i * d, logStd, d);
    const lpOld = gaussianLogProb(batch.means, batch.actions, i * d, batch.logStd, d);
    surrogate += Math.exp(lp - lpOld) * batch.advantages[i]!;
    kl += gaussianKl(batch.means, batch.logStd, means, logStd, i * d, d);
    n++;
  }
  return { surrogate, kl, n };
}

/** The surrogate mean(ratio·Â) and the mean KL(old ‖ new) at `params`. */
export function gaussianSurrogateAndKl(
  policy: GaussianPolicy,
  params: Float32Array,
  batch: GaussianPolicyBatch,
  chunkTrials: number,
): { surrogate: number; kl: number } {
  const s = gaussianSurrogateAndKlSums(policy, params, batch, chunkTrials);
  return { surrogate: s.surrogate / s.n, kl: s.kl / s.n };
}

/** v ↦ F·v at fixed parameters; holds the forward pass of its batch until disposed. */
export interface GaussianFisher {
  /** F·v. */
  apply(v: ArrayLike<number>): Float64Array;
  /** Frees what the operator keeps. */
  dispose(): void;
}

/**
 * F·v, F the Hessian of the mean KL(π_params ‖ π_θ) over the valid steps of `data` at θ =
 * `params`; J·v by central differences with ‖h·v_net‖ = `fdStep`.
 */
export function gaussianFisherOperator(
  policy: GaussianPolicy,
  params: Float32Array,
  data: TrialInputs,
  fdStep: number,
  chunkTrials: number,
): GaussianFisher {
  const d = policy.actionDim;
  const P = policy.net.size;
  const { T, B } = data;
  const n = countValid(data.mask);
  const { net: netParams, logStd } = splitParams(policy, params);
  const base = netParams.slice();
  const invVar = Array.from(logStd, (l) => Math.exp(-2 * l));
  const lin = linearize(policy.net, base, data, chunkTrials);
  const apply = (v: ArrayLike<number>) => {
    const out = new Float64Array(policy.size);
    for (let j = 0; j < d; j++) out[P + j] = 2 * v[P + j]!;
    let norm = 0;
    for (let i = 0; i < P; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    if (norm === 0) return out;
    const h = fdStep / norm;
    const shifted = (sign: number) => Float32Array.from(base, (p, i) => p + sign * h * v[i]!);
    const plus = forwardOutputs(policy.net, shifted(1), data, chunkTrials);
    const minus = forwardOutputs(policy.net, shifted(-1), data, chunkTrials);
    const u = new Float32Array(plus.length);
    for (let i = 0; i < T * B; i++) {
      if (data.mask[i] === 0) continue;
      for (let j = 0; j < d; j++) {
        const k = i * d + j;
        u[k] = (plus[k]! - minus[k]!) / (2 * h) * invVar[j]! / n;
      }
    }
    const grad = lin.gradient((_, b0, b1) => trialRange(u, T, B, d, b0, b1));
    for (let i = 0; i < P; i++) out[i] = grad[i]!;
    return out;
  };
  return { apply, dispose: () => lin.dispose() };
}

/** Euclidean norm of a vector. */
export function norm(v: ArrayLike<number>): number {
  return Math.sqrt(dot(v, v));
}
