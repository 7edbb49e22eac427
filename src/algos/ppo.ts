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
import type { AdvantageSteps, Policy } from "../policies/distribution.ts";
import { entropy, kl, softmax } from "../policies/categorical.ts";
import { adamInit, type AdamState } from "./adam.ts";
import type { PolicyBatch } from "./unroll.ts";
import { backprop, forwardOutputs } from "./unroll.ts";
import { trialSteps, validSteps } from "./policy_gradient.ts";
import { adamEpochs, clipGradNorm, type EpochsResult } from "./minibatch.ts";
import { unchangedStats, type UpdateStats } from "./update_stats.ts";
import type { PpoConfig } from "../settings/agent.ts";
export type { PpoConfig };

/** Diagnostics of one PPO update: the shared ones and its clipping's. */
export interface PpoStats extends UpdateStats {
  /** Share of the batch's steps whose ratio ended outside [1 − ε, 1 + ε] (0 when abandoned). */
  clipFraction: number;
  /** The approximate KL mean((r − 1) − log r) at the new parameters (0 when abandoned). */
  approxKl: number;
}

/**
 * The steps a clipped objective is taken over: the batch without its network inputs, its
 * distribution parameters the sampling policy's probabilities.
 */
export type ClippedSteps = Pick<AdvantageSteps, "actions" | "distParams" | "advantages" | "mask">;

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
 *   distParams: Float32Array.of(0.5, 0.5, 0.5, 0.5),
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
    const r = p[a]! / steps.distParams[i * A + a]!;
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

/**
 * ∇θ of the negated clipped objective (the loss Adam descends) over `batch` at `params`, by
 * one forward and one backward pass through time in chunks of `chunkTrials` trials.
 */
export function clippedLossGradient(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  cfg: Pick<PpoConfig, "clip" | "entropy_coeff">,
  chunkTrials: number,
): Float32Array {
  const A = policy.dist.outputDim;
  const n = validSteps(batch.mask);
  return backprop(policy.net, params, batch, chunkTrials, (logits, b0, b1) => {
    const part = trialSteps(policy, batch, b0, b1);
    const { gradient } = clippedObjective(logits, part, A, cfg.clip, cfg.entropy_coeff, n);
    return gradient.map((g) => -g);
  });
}

/**
 * Mean entropy of the policy that sampled `batch` over its `n` valid steps, summed as Σ H/n
 * (the distribution's `meanEntropy`, which TRPO reports, divides the sum once: each keeps the
 * rounding its committed results were written with).
 */
export function oldPolicyEntropy(batch: PolicyBatch, A: number, n: number): number {
  let h = 0;
  for (let i = 0; i < batch.T * batch.B; i++) {
    if (batch.mask[i] !== 0) h += entropy(batch.distParams, i * A, A) / n;
  }
  return h;
}

/**
 * PPO's epochs (`minibatch.ts`): `minibatches` minibatches of whole trials per epoch, one Adam
 * step each on the clipped loss, its gradient clipped to `max_grad_norm`.
 */
function clippedEpochs(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  cfg: PpoConfig,
  rng: Rng,
  chunkTrials: number,
  optimizer: AdamState,
): EpochsResult | undefined {
  const epochs = {
    epochs: cfg.epochs,
    minibatchTrials: Math.max(1, Math.ceil(batch.B / cfg.minibatches)),
    learningRate: cfg.learning_rate,
  };
  return adamEpochs(policy, params, batch, epochs, rng, optimizer, {
    gradient(current, minibatch) {
      const gradient = clippedLossGradient(policy, current, minibatch, cfg, chunkTrials);
      return { gradient, norm: clipGradNorm(gradient, cfg.max_grad_norm) };
    },
  });
}

/**
 * Over the `n` valid steps of `batch`, the new policy at `logits`: the mean KL(old ‖ new), the
 * share of ratios outside [1 − ε, 1 + ε] and the approximate KL mean((r − 1) − log r).
 */
function measureAfter(
  logits: Float32Array,
  batch: PolicyBatch,
  A: number,
  clip: number,
  n: number,
) {
  const p = new Float64Array(A);
  let meanKl = 0, clipped = 0, approxKl = 0;
  for (let i = 0; i < batch.T * batch.B; i++) {
    if (batch.mask[i] === 0) continue;
    softmax(logits, i * A, A, p, 0);
    meanKl += kl(batch.distParams.subarray(i * A, (i + 1) * A), p, 0, A) / n;
    const a = batch.actions[i]!;
    const r = p[a]! / batch.distParams[i * A + a]!;
    if (r < 1 - clip || r > 1 + clip) clipped++;
    approxKl += (r - 1 - Math.log(r)) / n;
  }
  return { kl: meanKl, clipFraction: clipped / n, approxKl };
}

/**
 * One PPO update of the flat policy parameters from Adam state `optimizer` (a fresh one when
 * undefined), minibatch order drawn from `rng`, forward and backward passes in chunks of
 * `chunkTrials` trials. Neither `params` nor `optimizer` is modified. A non-finite gradient abandons
 * the update: the old parameters and optimiser state are returned, not accepted.
 */
export function ppoUpdate(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  cfg: PpoConfig,
  rng: Rng,
  chunkTrials: number,
  optimizer?: AdamState,
): { params: Float32Array; stats: PpoStats; optimizer: AdamState } {
  const A = policy.dist.outputDim;
  const { T, B } = batch;
  const n = validSteps(batch.mask);
  const oldEntropy = oldPolicyEntropy(batch, A, n);
  const old = optimizer ?? adamInit(policy.size);
  const stepped = clippedEpochs(policy, params, batch, cfg, rng, chunkTrials, old);
  if (stepped === undefined) {
    return {
      params,
      stats: { ...unchangedStats(oldEntropy), clipFraction: 0, approxKl: 0 },
      optimizer: old,
    };
  }

  // Diagnostics over the whole batch at the new parameters.
  const logits = forwardOutputs(policy.net, stepped.params, batch, chunkTrials);
  const after = clippedObjective(logits, batch, A, cfg.clip, 0, n);
  // At the old parameters every ratio is 1: the clipped surrogate is the mean advantage.
  let before = 0;
  for (let i = 0; i < T * B; i++) before += (batch.mask[i]! * batch.advantages[i]!) / n;
  const measured = measureAfter(logits, batch, A, cfg.clip, n);
  return {
    params: stepped.params,
    stats: {
      kl: measured.kl,
      entropy: oldEntropy,
      surrogateImprovement: after.surrogate - before,
      accepted: true,
      gradientNorm: stepped.gradientNorm,
      clipFraction: measured.clipFraction,
      approxKl: measured.approxKl,
    },
    optimizer: stepped.optimizer,
  };
}
