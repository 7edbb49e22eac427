/**
 * The RL² authors' "first-order implementation of TRPO" (Duan et al. 2016, §2.4), as their
 * released research code runs it for the paper's tables: epochs of Adam steps on PPO's clipped
 * surrogate over minibatches of whole trials (each backpropagated through the whole trial),
 * every gradient clipped elementwise; the parameters kept are those at the end of the epoch
 * with the best unclipped surrogate among the epochs whose mean KL stayed within the trust
 * region (the last epoch's when none did); then, while the mean KL over the batch exceeds the
 * trust region, the step back towards the old parameters is halved.
 *
 * One epoch's surrogate and KL are the means over its minibatches of the values each
 * minibatch had when its gradient was taken (before its Adam step), as in that code.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { StepNetwork } from "../policies/network.ts";
import { adamInit, type AdamState, adamStep } from "./adam.ts";
import { surrogateAndKl, surrogateAndKlSums } from "./trpo.ts";
import type { PolicyBatch } from "./unroll.ts";
import {
  clippedObjective,
  oldPolicyEntropy,
  selectTrials,
  unchangedStats,
  validSteps,
} from "./ppo.ts";
import { backprop } from "./unroll.ts";
import { trialRange } from "../compute/trials.ts";
import type { FirstOrderTrpoConfig } from "../settings/agent.ts";
export type { FirstOrderTrpoConfig };

/** Diagnostics of one first-order TRPO update. */
export interface FirstOrderTrpoStats {
  /** Mean KL(old ‖ new) over the batch after the update. */
  kl: number;
  /** Mean entropy of the old policy on the batch. */
  entropy: number;
  /** Gain of the unclipped surrogate mean(r·Â) over the batch. */
  surrogateImprovement: number;
  /** Backtracking steps taken. */
  lineSearchSteps: number;
  /** False when a non-finite gradient stopped the update (the old parameters are kept). */
  accepted: boolean;
  /** Fraction of the epochs' step kept by backtracking (1: none needed). */
  stepFraction: number;
  /** Mean over its minibatch steps of the gradient's norm before clipping. */
  gradientNorm: number;
}

/** What one minibatch step measured before it moved the parameters. */
interface MinibatchMeasure {
  /** Mean unclipped surrogate r·Â over the minibatch's steps. */
  surrogate: number;
  /** Mean KL(old ‖ current) over the minibatch's steps. */
  kl: number;
  /** The clipped loss's gradient in the parameters. */
  gradient: Float32Array;
}

/** One minibatch's loss gradient, with the surrogate and KL at the parameters it was taken. */
function measureMinibatch(
  net: StepNetwork,
  params: Float32Array,
  mb: PolicyBatch,
  cfg: FirstOrderTrpoConfig,
  chunk: number,
): MinibatchMeasure {
  const A = net.outputDim;
  const { T, B } = mb;
  const n = validSteps(mb.mask);
  let surrogate = 0, klSum = 0;
  const gradient = backprop(net, params, mb, chunk, (logits, b0, b1) => {
    const part = {
      actions: trialRange(mb.actions, T, B, 1, b0, b1),
      probs: trialRange(mb.probs, T, B, A, b0, b1),
      advantages: trialRange(mb.advantages, T, B, 1, b0, b1),
      mask: trialRange(mb.mask, T, B, 1, b0, b1),
    };
    const sums = surrogateAndKlSums(logits, part, A);
    surrogate += sums.surrogate;
    klSum += sums.kl;
    const objective = clippedObjective(logits, part, A, cfg.clip, cfg.entropy_coeff, n);
    return objective.gradient.map((g) => -g);
  });
  return { surrogate: surrogate / n, kl: Math.max(0, klSum / n), gradient };
}

/** Clips every entry of `grad` to [−c, c] in place; returns the norm before clipping. */
export function clipGradValues(grad: Float32Array, c: number): number {
  let ss = 0;
  for (let i = 0; i < grad.length; i++) {
    ss += grad[i]! * grad[i]!;
    grad[i] = Math.min(c, Math.max(-c, grad[i]!));
  }
  return Math.sqrt(ss);
}

/**
 * The epochs of minibatch Adam steps from `params` and `optimizer`, every gradient clipped
 * elementwise: the parameters at the end of the epoch with the best surrogate among those whose
 * mean KL stayed within the trust region (the last epoch's when none did), the Adam state at the
 * end, and the mean gradient norm before clipping; undefined when a gradient is not finite.
 */
function bestEpoch(
  net: StepNetwork,
  params: Float32Array,
  batch: PolicyBatch,
  cfg: FirstOrderTrpoConfig,
  rng: Rng,
  chunk: number,
  optimizer: AdamState,
): { params: Float32Array; optimizer: AdamState; gradientNorm: number } | undefined {
  const A = net.outputDim;
  const { B } = batch;
  const current = params.slice();
  const adam: AdamState = { m: optimizer.m.slice(), v: optimizer.v.slice(), t: optimizer.t };
  let best: { surrogate: number; params: Float32Array } | undefined;
  let normSum = 0, steps = 0;
  for (let epoch = 0; epoch < cfg.epochs; epoch++) {
    const order = rng.permutation(B);
    let surrogate = 0, epochKl = 0, minibatches = 0;
    for (let start = 0; start < B; start += cfg.minibatch_trials) {
      const trials = order.subarray(start, Math.min(B, start + cfg.minibatch_trials));
      const mb = selectTrials(batch, A, trials);
      if (validSteps(mb.mask) === 0) continue;
      const measured = measureMinibatch(net, current, mb, cfg, chunk);
      const norm = clipGradValues(measured.gradient, cfg.gradient_clip);
      if (!Number.isFinite(norm)) return undefined;
      normSum += norm;
      steps++;
      adamStep(current, measured.gradient, adam, cfg.learning_rate);
      surrogate += measured.surrogate;
      epochKl += measured.kl;
      minibatches++;
    }
    surrogate /= Math.max(1, minibatches);
    epochKl /= Math.max(1, minibatches);
    if (epochKl <= cfg.max_kl && (best === undefined || surrogate > best.surrogate)) {
      best = { surrogate, params: current.slice() };
    }
  }
  return {
    params: best?.params ?? current,
    optimizer: adam,
    gradientNorm: steps === 0 ? 0 : normSum / steps,
  };
}

/**
 * From `proposed` back towards `params`, halving (by `backtrack_ratio`) the step while the
 * batch's mean KL exceeds the trust region, at most `max_backtracks` times: the parameters
 * kept, their surrogate and KL, the fraction of the step kept and the backtracks taken.
 */
function backtrack(
  net: StepNetwork,
  params: Float32Array,
  proposed: Float32Array,
  batch: PolicyBatch,
  cfg: FirstOrderTrpoConfig,
  chunk: number,
) {
  let fraction = 1;
  let next = proposed;
  let after = surrogateAndKl(net, next, batch, chunk);
  let backtracks = 0;
  while (after.kl > cfg.max_kl && backtracks < cfg.max_backtracks) {
    fraction *= cfg.backtrack_ratio;
    next = params.map((p, i) => p + fraction * (proposed[i]! - p));
    after = surrogateAndKl(net, next, batch, chunk);
    backtracks++;
  }
  return { next, after, fraction, backtracks };
}

/**
 * One first-order TRPO update of the flat policy parameters from Adam state `optimizer` (a
 * fresh one when undefined), minibatch order drawn from `rng`, forward and backward passes in
 * chunks of `chunk` trials. Neither `params` nor `optimizer` is modified. A non-finite gradient
 * abandons the update: the old parameters and optimiser state are returned, not accepted.
 */
export function firstOrderTrpoUpdate(
  net: StepNetwork,
  params: Float32Array,
  batch: PolicyBatch,
  cfg: FirstOrderTrpoConfig,
  rng: Rng,
  chunk: number,
  optimizer?: AdamState,
): { params: Float32Array; stats: FirstOrderTrpoStats; optimizer: AdamState } {
  const A = net.outputDim;
  const n = validSteps(batch.mask);
  const oldEntropy = oldPolicyEntropy(batch, A, n);
  let before = 0;
  for (let i = 0; i < batch.T * batch.B; i++) {
    if (batch.mask[i] !== 0) before += batch.advantages[i]! / n;
  }
  const old = optimizer ?? adamInit(net.size);

  // Epochs of minibatch steps; keep the best epoch's end within the trust region.
  const epochs = bestEpoch(net, params, batch, cfg, rng, chunk, old);
  if (epochs === undefined) {
    return {
      params,
      stats: unchangedStats(oldEntropy),
      optimizer: old,
    };
  }

  // Backtrack towards the old parameters while the batch's mean KL exceeds the trust region.
  const { next, after, fraction, backtracks } = backtrack(
    net,
    params,
    epochs.params,
    batch,
    cfg,
    chunk,
  );
  return {
    params: next,
    stats: {
      kl: Math.max(0, after.kl),
      entropy: oldEntropy,
      surrogateImprovement: after.surrogate - before,
      lineSearchSteps: backtracks,
      accepted: true,
      stepFraction: fraction,
      gradientNorm: epochs.gradientNorm,
    },
    optimizer: epochs.optimizer,
  };
}
