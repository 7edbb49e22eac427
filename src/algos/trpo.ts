/**
 * One TRPO policy update (Schulman et al. 2015), as in the RL² paper: the natural gradient
 * direction by conjugate gradient on Fisher–vector products of the mean KL, scaled to the
 * trust region `max_kl`, then a backtracking line search that accepts a step only if the
 * surrogate improves and the measured mean KL stays within `max_kl`.
 *
 * The Fisher–vector product is F·v = Jᵀ M (J v) with J the Jacobian of the logits and
 * M = diag(p) − p pᵀ per state (the exact Hessian of the mean KL at the current parameters).
 * J·v comes from central differences of the logits and Jᵀ(·) from one ordinary backward pass,
 * which avoids tfjs 4.22's wrong second-order gradients
 * (docs/backends.md#wrong-higher-order-gradients).
 *
 * The surrogate may carry an entropy bonus, mean(ratio·Â) + β·mean H(π_θ(·|s)) with β =
 * `entropy_coeff` (0, the paper's objective, by default); the trust region stays the mean KL.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { StepNetwork } from "../policies/network.ts";
import { entropy, kl, softmax } from "../policies/categorical.ts";
import { dot } from "./conjugate_gradient.ts";
import { lineSearch, naturalDirection } from "./trust_region.ts";
import {
  backprop,
  forwardOutputs,
  linearize,
  type PolicyBatch,
  type TrialInputs,
} from "./unroll.ts";
import { selectColumns, trialRange } from "../compute/trials.ts";
import type { FinetuneConfig, TrpoConfig } from "../settings/agent.ts";
export type { FinetuneConfig, TrpoConfig };

/** Diagnostics of one update. */
export interface TrpoStats {
  /** Mean KL(old ‖ new) of the accepted step (0 if none). */
  kl: number;
  /** Mean entropy of the old policy. */
  entropy: number;
  /** Surrogate gain of the accepted step (0 if none). */
  surrogateImprovement: number;
  /** Gain the linear model predicted for the full step. */
  expectedImprovement: number;
  /** Line-search evaluations made (the accepted one included). */
  lineSearchSteps: number;
  /** Fraction of the full natural-gradient step the line search kept (0 if none). */
  stepFraction: number;
  /** Euclidean norm of the surrogate's gradient at the old parameters. */
  gradientNorm: number;
  /** Whether a step was taken. */
  accepted: boolean;
}

function countValid(mask: Float32Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}

/**
 * ∇θ of the surrogate mean(π_θ(a|s)/π_old(a|s) · Â) + β·mean H(π_θ(·|s)) at θ = θ_old, β being
 * `entropyCoeff`. Its gradient in the logits of step i is Âᵢ/n · (onehot(aᵢ) − pᵢ) −
 * β/n · pᵢ ⊙ (log pᵢ + H(pᵢ)), with pᵢ = π_old(·|sᵢ) the batch's own probabilities.
 */
export function surrogateGradient(
  net: StepNetwork,
  params: Float32Array,
  batch: PolicyBatch,
  chunkTrials: number,
  entropyCoeff = 0,
): Float32Array {
  const A = net.outputDim;
  const { T, B } = batch;
  const n = countValid(batch.mask);
  const dLogits = new Float32Array(T * B * A);
  for (let i = 0; i < T * B; i++) {
    if (batch.mask[i] === 0) continue;
    const c = batch.advantages[i]! / n;
    const h = entropyCoeff === 0 ? 0 : entropy(batch.probs, i * A, A);
    for (let a = 0; a < A; a++) {
      const p = batch.probs[i * A + a]!;
      const dEntropy = entropyCoeff === 0 || p === 0 ? 0 : -p * (Math.log(p) + h);
      dLogits[i * A + a] = -c * p + (entropyCoeff / n) * dEntropy;
    }
    dLogits[i * A + batch.actions[i]!]! += c;
  }
  return backprop(
    net,
    params,
    batch,
    chunkTrials,
    (_, b0, b1) => trialRange(dLogits, T, B, A, b0, b1),
  );
}

/** States and old probabilities a Fisher–vector product is taken over. */
export type FisherBatch = TrialInputs & { readonly probs: Float32Array };

/** v ↦ F·v at fixed parameters; holds the forward pass of `batch` until disposed. */
export interface FisherOperator {
  /** F·v. */
  apply(v: ArrayLike<number>): Float64Array;
  /** Frees what the operator keeps. */
  dispose(): void;
}

/**
 * F·v, with F the Fisher information (Hessian of the mean KL) of the policy over the valid
 * steps of `batch` at `params`; J·v by central differences with ‖h·v‖ = `fdStep`, Jᵀ(·) by one
 * backward pass from the forward pass at `params`, kept across products when `batch` fits in
 * one chunk.
 */
export function fisherOperator(
  net: StepNetwork,
  params: Float32Array,
  batch: FisherBatch,
  fdStep: number,
  chunkTrials: number,
): FisherOperator {
  const A = net.outputDim;
  const { T, B } = batch;
  const n = countValid(batch.mask);
  const lin = linearize(net, params, batch, chunkTrials);
  const apply = (v: ArrayLike<number>) => {
    const norm = Math.sqrt(dot(v, v));
    const out = new Float64Array(params.length);
    if (norm === 0) return out;
    const h = fdStep / norm;
    const shifted = (sign: number) => Float32Array.from(params, (p, i) => p + sign * h * v[i]!);
    const plus = forwardOutputs(net, shifted(1), batch, chunkTrials);
    const minus = forwardOutputs(net, shifted(-1), batch, chunkTrials);
    const u = new Float32Array(plus.length);
    for (let i = 0; i < T * B; i++) {
      if (batch.mask[i] === 0) continue;
      let pJv = 0;
      for (let a = 0; a < A; a++) {
        pJv += batch.probs[i * A + a]! * (plus[i * A + a]! - minus[i * A + a]!);
      }
      for (let a = 0; a < A; a++) {
        const p = batch.probs[i * A + a]!;
        u[i * A + a] = p * ((plus[i * A + a]! - minus[i * A + a]!) - pJv) / (2 * h * n);
      }
    }
    const grad = lin.gradient((_, b0, b1) => trialRange(u, T, B, A, b0, b1));
    for (let i = 0; i < out.length; i++) out[i] = grad[i]!;
    return out;
  };
  return { apply, dispose: () => lin.dispose() };
}

/**
 * Sums over the valid steps of `batch` at `logits` (`T × B × A`) of the surrogate term
 * ratio·Â + β·H(π) (β = `entropyCoeff`) and of KL(old ‖ new), with the number of those steps.
 */
export function surrogateAndKlSums(
  logits: Float32Array,
  batch: Pick<PolicyBatch, "actions" | "probs" | "advantages" | "mask">,
  A: number,
  entropyCoeff = 0,
): { surrogate: number; kl: number; n: number } {
  const p = new Float64Array(A);
  let surrogate = 0;
  let meanKl = 0;
  let n = 0;
  for (let i = 0; i < batch.mask.length; i++) {
    if (batch.mask[i] === 0) continue;
    softmax(logits, i * A, A, p, 0);
    const a = batch.actions[i]!;
    surrogate += (p[a]! / batch.probs[i * A + a]!) * batch.advantages[i]!;
    if (entropyCoeff !== 0) surrogate += entropyCoeff * entropy(p, 0, A);
    meanKl += kl(batch.probs.subarray(i * A, (i + 1) * A), p, 0, A);
    n++;
  }
  return { surrogate, kl: meanKl, n };
}

/**
 * The surrogate mean(ratio·Â) + β·mean H(π) (β = `entropyCoeff`) and mean KL(old ‖ new) of
 * the policy at `params` over a batch.
 */
export function surrogateAndKl(
  net: StepNetwork,
  params: Float32Array,
  batch: PolicyBatch,
  chunkTrials: number,
  entropyCoeff = 0,
): { surrogate: number; kl: number } {
  const logits = forwardOutputs(net, params, batch, chunkTrials);
  const sums = surrogateAndKlSums(logits, batch, net.outputDim, entropyCoeff);
  return { surrogate: sums.surrogate / sums.n, kl: sums.kl / sums.n };
}

function subsample(batch: PolicyBatch, fraction: number, A: number, rng: Rng): FisherBatch {
  if (fraction >= 1) return batch;
  const count = Math.max(1, Math.round(batch.B * fraction));
  const trials = rng.permutation(batch.B).subarray(0, count).sort();
  const { T, B } = batch;
  return {
    T,
    B: count,
    inputs: selectColumns(batch.inputs, T, B, batch.inputs.length / (T * B), trials),
    mask: selectColumns(batch.mask, T, B, 1, trials),
    probs: selectColumns(batch.probs, T, B, A, trials),
  };
}

/** Mean entropy of the policy that sampled `batch`, over its valid steps. */
function meanEntropy(batch: PolicyBatch, A: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < batch.T * batch.B; i++) {
    if (batch.mask[i] !== 0) (sum += entropy(batch.probs, i * A, A), n++);
  }
  return sum / n;
}

/**
 * One TRPO update of the flat policy parameters, forward and backward passes in chunks of
 * `chunk` trials. Returns the new parameters (the old ones when the line search finds no
 * acceptable step) and the update's diagnostics.
 */
export function trpoUpdate(
  net: StepNetwork,
  params: Float32Array,
  batch: PolicyBatch,
  cfg: TrpoConfig,
  rng: Rng,
  chunk: number,
): { params: Float32Array; stats: TrpoStats } {
  const A = net.outputDim;
  const stats: TrpoStats = {
    kl: 0,
    entropy: meanEntropy(batch, A),
    surrogateImprovement: 0,
    expectedImprovement: 0,
    lineSearchSteps: 0,
    stepFraction: 0,
    gradientNorm: 0,
    accepted: false,
  };

  const g = surrogateGradient(net, params, batch, chunk, cfg.entropy_coeff);
  stats.gradientNorm = Math.sqrt(dot(g, g));
  const fisher = fisherOperator(
    net,
    params,
    subsample(batch, cfg.fvp_subsample, A, rng),
    cfg.fd_step,
    chunk,
  );
  // The Fisher operator's forward pass is released before the line search makes its own.
  let direction: { x: Float64Array; xFx: number };
  try {
    direction = naturalDirection(g, (v) => fisher.apply(v), cfg);
  } finally {
    fisher.dispose();
  }

  // At θ_old every ratio is 1, so the surrogate is the mean advantage (plus the entropy bonus
  // of the old policy): no forward pass needed.
  let before = 0;
  for (let i = 0; i < batch.T * batch.B; i++) before += batch.mask[i]! * batch.advantages[i]!;
  before = before / countValid(batch.mask) + cfg.entropy_coeff * stats.entropy;
  const evaluate = (candidate: Float32Array) =>
    surrogateAndKl(net, candidate, batch, chunk, cfg.entropy_coeff);
  return lineSearch(params, g, direction, before, evaluate, cfg, stats);
}
