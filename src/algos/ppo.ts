/**
 * One PPO policy update (Schulman et al. 2017, the clipped variant): several epochs over the
 * batch, each a pass over minibatches of whole trials in a random order, every minibatch one
 * Adam step on the clipped surrogate plus an entropy bonus, its gradient clipped to a maximum
 * global norm. Whole trials keep the GRU's memory intact: every minibatch is unrolled from the
 * trials' first steps and backpropagated through time like a TRPO gradient.
 *
 * The objective of a minibatch of n valid steps is
 * L(θ) = (1/n) Σᵢ min(rᵢ Âᵢ, clip(rᵢ, 1 − ε, 1 + ε) Âᵢ) + c · (1/n) Σᵢ H(π_θ(·|sᵢ)),
 * with rᵢ = π_θ(aᵢ|sᵢ)/π_old(aᵢ|sᵢ). Its gradient in the logits of step i has a closed form:
 * (Âᵢ rᵢ / n)(onehot(aᵢ) − pᵢ) where the unclipped term is the minimum (zero where the clipped
 * term is the smaller one: Â > 0 and r > 1 + ε, or Â < 0 and r < 1 − ε), plus the entropy's
 * −(c / n) pᵢⱼ (log pᵢⱼ + Hᵢ) for each action j.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { StepNetwork } from "../policies/network.ts";
import { entropy, kl, softmax } from "../policies/categorical.ts";
import { adamInit, type AdamState, adamStep } from "./adam.ts";
import type { PolicyBatch } from "./unroll.ts";
import { backprop, forwardOutputs } from "./unroll.ts";
import { selectColumns, trialRange } from "../compute/trials.ts";
import type { PpoConfig } from "../settings/agent.ts";
export type { PpoConfig };

/** Diagnostics of one PPO update. */
export interface PpoStats {
  /** Mean KL(old ‖ new) over the batch after the update (0 when it was abandoned). */
  kl: number;
  /** Mean entropy of the old policy on the batch. */
  entropy: number;
  /** Gain of the clipped surrogate (entropy bonus excluded) over the batch. */
  surrogateImprovement: number;
  /** Always 0: PPO has no line search. */
  lineSearchSteps: number;
  /** False when a non-finite gradient stopped the update (the old parameters are kept). */
  accepted: boolean;
  /** 1 when the update's steps were all taken, 0 when it was abandoned. */
  stepFraction: number;
  /** Mean over its minibatch steps of the gradient's norm before clipping. */
  gradientNorm: number;
}

/** The steps a clipped objective is taken over: the batch without its network inputs. */
export interface ClippedSteps {
  /** `T × B` actions taken. */
  readonly actions: Int32Array;
  /** `T × B × A` probabilities of the policy that sampled them. */
  readonly probs: Float32Array;
  /** `T × B` advantages. */
  readonly advantages: Float32Array;
  /** `T × B`: 1 for a step, 0 for padding. */
  readonly mask: Float32Array;
}

/** The clipped objective's parts at some logits, and its gradient in them. */
export interface ClippedObjective {
  /** The objective: clipped surrogate plus `entropyCoeff` times the mean entropy. */
  value: number;
  /** Its clipped-surrogate part. */
  surrogate: number;
  /** The mean entropy of the policy at the logits. */
  entropy: number;
  /** ∂value/∂logits, `T × B × A` (0 on padding). */
  gradient: Float32Array;
}

/**
 * The clipped objective over the valid steps of `steps` at `logits` (`T × B × A`), each step
 * weighted by 1/`count`, and its gradient in the logits. `count` is the number of valid steps
 * the mean is over (more than those of `steps` when they are one chunk of a minibatch).
 *
 * @example At the sampling policy every ratio is 1, so the surrogate is the mean advantage
 * ```ts
 * import { clippedObjective } from "./ppo.ts";
 * const steps = {
 *   actions: Int32Array.of(0, 1),
 *   probs: Float32Array.of(0.5, 0.5, 0.5, 0.5),
 *   advantages: Float32Array.of(1, 3),
 *   mask: Float32Array.of(1, 1),
 * };
 * const { surrogate } = clippedObjective(new Float32Array(4), steps, 2, 0.2, 0, 2);
 * if (Math.abs(surrogate - 2) > 1e-6) throw new Error("mean advantage");
 * ```
 */
export function clippedObjective(
  logits: Float32Array,
  steps: ClippedSteps,
  A: number,
  clip: number,
  entropyCoeff: number,
  count: number,
): ClippedObjective {
  const gradient = new Float32Array(logits.length);
  const p = new Float64Array(A);
  let surrogate = 0;
  let meanEntropy = 0;
  for (let i = 0; i < steps.mask.length; i++) {
    if (steps.mask[i] === 0) continue;
    softmax(logits, i * A, A, p, 0);
    const a = steps.actions[i]!;
    const adv = steps.advantages[i]!;
    const r = p[a]! / steps.probs[i * A + a]!;
    const clipped = Math.min(Math.max(r, 1 - clip), 1 + clip);
    surrogate += Math.min(r * adv, clipped * adv) / count;
    const h = entropy(p, 0, A);
    meanEntropy += h / count;
    // The unclipped term carries the gradient unless the clipped one is strictly smaller.
    const g = (adv > 0 && r > 1 + clip) || (adv < 0 && r < 1 - clip) ? 0 : (adv * r) / count;
    for (let j = 0; j < A; j++) {
      const pj = p[j]!;
      const dEntropy = pj > 0 ? -pj * (Math.log(pj) + h) : 0;
      gradient[i * A + j] = -g * pj + (entropyCoeff / count) * dEntropy;
    }
    gradient[i * A + a]! += g;
  }
  return {
    value: surrogate + entropyCoeff * meanEntropy,
    surrogate,
    entropy: meanEntropy,
    gradient,
  };
}

/** The number of valid (unmasked) steps of a `T × B` mask. */
export function validSteps(mask: Float32Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  return n;
}

/** The trials `trials` of a batch, in that order. */
export function selectTrials(
  batch: PolicyBatch,
  A: number,
  trials: ArrayLike<number>,
): PolicyBatch {
  const { T, B } = batch;
  return {
    T,
    B: trials.length,
    inputs: selectColumns(batch.inputs, T, B, batch.inputs.length / (T * B), trials),
    mask: selectColumns(batch.mask, T, B, 1, trials),
    actions: selectColumns(batch.actions, T, B, 1, trials),
    probs: selectColumns(batch.probs, T, B, A, trials),
    advantages: selectColumns(batch.advantages, T, B, 1, trials),
  };
}

/**
 * ∇θ of the negated clipped objective (the loss Adam descends) over `batch` at `params`, by
 * one forward and one backward pass through time in chunks of `chunk` trials.
 */
export function clippedLossGradient(
  net: StepNetwork,
  params: Float32Array,
  batch: PolicyBatch,
  cfg: Pick<PpoConfig, "clip" | "entropy_coeff">,
  chunk: number,
): Float32Array {
  const A = net.outputDim;
  const { T, B } = batch;
  const n = validSteps(batch.mask);
  return backprop(net, params, batch, chunk, (logits, b0, b1) => {
    const part = {
      actions: trialRange(batch.actions, T, B, 1, b0, b1),
      probs: trialRange(batch.probs, T, B, A, b0, b1),
      advantages: trialRange(batch.advantages, T, B, 1, b0, b1),
      mask: trialRange(batch.mask, T, B, 1, b0, b1),
    };
    const { gradient } = clippedObjective(logits, part, A, cfg.clip, cfg.entropy_coeff, n);
    return gradient.map((g) => -g);
  });
}

/** Rescales `grad` in place so its Euclidean norm is at most `maxNorm`; returns its norm. */
export function clipGradNorm(grad: Float32Array, maxNorm: number): number {
  let ss = 0;
  for (let i = 0; i < grad.length; i++) ss += grad[i]! * grad[i]!;
  const norm = Math.sqrt(ss);
  if (norm > maxNorm) { for (let i = 0; i < grad.length; i++) grad[i]! *= maxNorm / norm; }
  return norm;
}

/** The statistics of an update that kept the parameters (no step was taken). */
export function unchangedStats(entropy: number): PpoStats {
  return {
    kl: 0,
    entropy,
    surrogateImprovement: 0,
    lineSearchSteps: 0,
    accepted: false,
    stepFraction: 0,
    gradientNorm: 0,
  };
}

/** Mean entropy of the policy that sampled `batch` over its `n` valid steps. */
export function oldPolicyEntropy(batch: PolicyBatch, A: number, n: number): number {
  let h = 0;
  for (let i = 0; i < batch.T * batch.B; i++) {
    if (batch.mask[i] !== 0) h += entropy(batch.probs, i * A, A) / n;
  }
  return h;
}

/**
 * PPO's epochs: each a pass over minibatches of whole trials in an order drawn from `rng`, one
 * Adam step from `params` and `optimizer` per minibatch on the clipped loss, its gradient
 * clipped to `max_grad_norm`. Gives the parameters and Adam state at the end, with the mean
 * gradient norm before clipping; undefined when a gradient is not finite.
 */
function clippedEpochs(
  net: StepNetwork,
  params: Float32Array,
  batch: PolicyBatch,
  cfg: PpoConfig,
  rng: Rng,
  chunk: number,
  optimizer: AdamState,
): { params: Float32Array; optimizer: AdamState; gradientNorm: number } | undefined {
  const A = net.outputDim;
  const { B } = batch;
  const next = params.slice();
  const adam: AdamState = { m: optimizer.m.slice(), v: optimizer.v.slice(), t: optimizer.t };
  const perBatch = Math.max(1, Math.ceil(B / cfg.minibatches));
  let normSum = 0;
  let steps = 0;
  for (let epoch = 0; epoch < cfg.epochs; epoch++) {
    const order = rng.permutation(B);
    for (let start = 0; start < B; start += perBatch) {
      const minibatch = selectTrials(
        batch,
        A,
        order.subarray(start, Math.min(B, start + perBatch)),
      );
      if (validSteps(minibatch.mask) === 0) continue;
      const grad = clippedLossGradient(net, next, minibatch, cfg, chunk);
      const norm = clipGradNorm(grad, cfg.max_grad_norm);
      if (!Number.isFinite(norm)) return undefined;
      normSum += norm;
      steps++;
      adamStep(next, grad, adam, cfg.learning_rate);
    }
  }
  return { params: next, optimizer: adam, gradientNorm: steps === 0 ? 0 : normSum / steps };
}

/** Mean KL(old ‖ new) over the `n` valid steps of `batch`, the new policy at `logits`. */
function meanKlAt(logits: Float32Array, batch: PolicyBatch, A: number, n: number): number {
  const p = new Float64Array(A);
  let meanKl = 0;
  for (let i = 0; i < batch.T * batch.B; i++) {
    if (batch.mask[i] === 0) continue;
    softmax(logits, i * A, A, p, 0);
    meanKl += kl(batch.probs.subarray(i * A, (i + 1) * A), p, 0, A) / n;
  }
  return meanKl;
}

/**
 * One PPO update of the flat policy parameters from Adam state `optimizer` (a fresh one when
 * undefined), minibatch order drawn from `rng`, forward and backward passes in chunks of
 * `chunk` trials. Neither `params` nor `optimizer` is modified. A non-finite gradient abandons
 * the update: the old parameters and optimiser state are returned, not accepted.
 */
export function ppoUpdate(
  net: StepNetwork,
  params: Float32Array,
  batch: PolicyBatch,
  cfg: PpoConfig,
  rng: Rng,
  chunk: number,
  optimizer?: AdamState,
): { params: Float32Array; stats: PpoStats; optimizer: AdamState } {
  const A = net.outputDim;
  const { T, B } = batch;
  const n = validSteps(batch.mask);
  const oldEntropy = oldPolicyEntropy(batch, A, n);
  const old = optimizer ?? adamInit(net.size);
  const stepped = clippedEpochs(net, params, batch, cfg, rng, chunk, old);
  if (stepped === undefined) {
    return {
      params,
      stats: unchangedStats(oldEntropy),
      optimizer: old,
    };
  }

  // Diagnostics over the whole batch at the new parameters.
  const logits = forwardOutputs(net, stepped.params, batch, chunk);
  const after = clippedObjective(logits, batch, A, cfg.clip, 0, n);
  // At the old parameters every ratio is 1: the clipped surrogate is the mean advantage.
  let before = 0;
  for (let i = 0; i < T * B; i++) before += (batch.mask[i]! * batch.advantages[i]!) / n;
  return {
    params: stepped.params,
    stats: {
      kl: meanKlAt(logits, batch, A, n),
      entropy: oldEntropy,
      surrogateImprovement: after.surrogate - before,
      lineSearchSteps: 0,
      accepted: true,
      stepFraction: 1,
      gradientNorm: stepped.gradientNorm,
    },
    optimizer: stepped.optimizer,
  };
}
