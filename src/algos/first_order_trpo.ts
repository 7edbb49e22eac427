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
import type { Policy } from "../policies/distribution.ts";
import { adamInit, type AdamState } from "./adam.ts";
import { surrogateAndKl, trialSteps, validSteps } from "./policy_gradient.ts";
import type { PolicyBatch } from "./unroll.ts";
import { clippedObjective, oldPolicyEntropy } from "./ppo.ts";
import { adamEpochs, clipGradValues } from "./minibatch.ts";
import { unchangedStats, type UpdateStats } from "./update_stats.ts";
import { backprop } from "./unroll.ts";
import type { FirstOrderTrpoConfig } from "../settings/agent.ts";
import { inPhase, timed } from "../compute/profile.ts";
export type { FirstOrderTrpoConfig };

/** Diagnostics of one first-order TRPO update: the shared ones and its backtracking's. */
export interface FirstOrderTrpoStats extends UpdateStats {
  /** Backtracking steps taken. */
  lineSearchSteps: number;
  /** Fraction of the epochs' step kept by backtracking (1: none needed; 0 when abandoned). */
  stepFraction: number;
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
  policy: Policy,
  params: Float32Array,
  mb: PolicyBatch,
  cfg: FirstOrderTrpoConfig,
  chunkTrials: number,
): MinibatchMeasure {
  const A = policy.dist.outputDim;
  const n = validSteps(mb.mask);
  let surrogate = 0, klSum = 0;
  const gradient = backprop(
    policy.net,
    params,
    mb,
    chunkTrials,
    (logits, b0, b1) =>
      timed("host: objective", () => {
        const part = trialSteps(policy, mb, b0, b1);
        const sums = policy.dist.surrogateAndKlSums(logits, part.head, part, 0);
        surrogate += sums.surrogate;
        klSum += sums.kl;
        const objective = clippedObjective(logits, part, A, cfg.clip, cfg.entropy_coeff, n);
        return objective.gradient.map((g) => -g);
      }),
  );
  return { surrogate: surrogate / n, kl: Math.max(0, klSum / n), gradient };
}

/**
 * The epochs of minibatch Adam steps from `params` and `optimizer`, every gradient clipped
 * elementwise: the parameters at the end of the epoch with the best surrogate among those whose
 * mean KL stayed within the trust region (the last epoch's when none did), the Adam state at the
 * end, and the mean gradient norm before clipping; undefined when a gradient is not finite.
 */
function bestEpoch(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  cfg: FirstOrderTrpoConfig,
  rng: Rng,
  chunkTrials: number,
  optimizer: AdamState,
): { params: Float32Array; optimizer: AdamState; gradientNorm: number } | undefined {
  let best: { surrogate: number; params: Float32Array } | undefined;
  let surrogate = 0, epochKl = 0, minibatches = 0;
  const epochs = {
    epochs: cfg.epochs,
    minibatchTrials: cfg.minibatch_trials,
    learningRate: cfg.learning_rate,
  };
  const end = adamEpochs(policy, params, batch, epochs, rng, optimizer, {
    gradient(current, mb) {
      const measured = measureMinibatch(policy, current, mb, cfg, chunkTrials);
      const norm = timed("host: Adam", () => clipGradValues(measured.gradient, cfg.gradient_clip));
      surrogate += measured.surrogate;
      epochKl += measured.kl;
      minibatches++;
      return { gradient: measured.gradient, norm };
    },
    epochEnd(current) {
      surrogate /= Math.max(1, minibatches);
      epochKl /= Math.max(1, minibatches);
      if (epochKl <= cfg.max_kl && (best === undefined || surrogate > best.surrogate)) {
        best = { surrogate, params: current.slice() };
      }
      surrogate = 0;
      epochKl = 0;
      minibatches = 0;
    },
  });
  if (end === undefined) return undefined;
  return { ...end, params: best?.params ?? end.params };
}

/**
 * From `proposed` back towards `params`, halving (by `backtrack_ratio`) the step while the
 * batch's mean KL exceeds the trust region, at most `max_backtracks` times: the parameters
 * kept, their surrogate and KL, the fraction of the step kept and the backtracks taken.
 */
function backtrack(
  policy: Policy,
  params: Float32Array,
  proposed: Float32Array,
  batch: PolicyBatch,
  cfg: FirstOrderTrpoConfig,
  chunkTrials: number,
) {
  let fraction = 1;
  let next = proposed;
  let after = surrogateAndKl(policy, next, batch, chunkTrials);
  let backtracks = 0;
  while (after.kl > cfg.max_kl && backtracks < cfg.max_backtracks) {
    fraction *= cfg.backtrack_ratio;
    next = params.map((p, i) => p + fraction * (proposed[i]! - p));
    after = surrogateAndKl(policy, next, batch, chunkTrials);
    backtracks++;
  }
  return { next, after, fraction, backtracks };
}

/**
 * One first-order TRPO update of the flat policy parameters from Adam state `optimizer` (a
 * fresh one when undefined), minibatch order drawn from `rng`, forward and backward passes in
 * chunks of `chunkTrials` trials. Neither `params` nor `optimizer` is modified. A non-finite gradient
 * abandons the update: the old parameters and optimiser state are returned, not accepted.
 */
export function firstOrderTrpoUpdate(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  cfg: FirstOrderTrpoConfig,
  rng: Rng,
  chunkTrials: number,
  optimizer?: AdamState,
): { params: Float32Array; stats: FirstOrderTrpoStats; optimizer: AdamState } {
  const A = policy.dist.outputDim;
  const n = validSteps(batch.mask);
  const oldEntropy = oldPolicyEntropy(batch, A, n);
  let before = 0;
  for (let i = 0; i < batch.T * batch.B; i++) {
    if (batch.mask[i] !== 0) before += batch.advantages[i]! / n;
  }
  const old = optimizer ?? adamInit(policy.size);

  // Epochs of minibatch steps; keep the best epoch's end within the trust region.
  const epochs = bestEpoch(policy, params, batch, cfg, rng, chunkTrials, old);
  if (epochs === undefined) {
    return {
      params,
      stats: { ...unchangedStats(oldEntropy), lineSearchSteps: 0, stepFraction: 0 },
      optimizer: old,
    };
  }

  // Backtrack towards the old parameters while the batch's mean KL exceeds the trust region.
  const { next, after, fraction, backtracks } = inPhase(
    "KL and backtracking",
    () => backtrack(policy, params, epochs.params, batch, cfg, chunkTrials),
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
