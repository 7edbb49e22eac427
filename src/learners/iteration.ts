/**
 * The steps of an on-policy iteration (`train.ts`) beside sampling and the update: the batch's
 * size in trials, its advantages by GAE over whole trials from the value baseline's
 * predictions, and the iteration's log.
 *
 * @module
 */
import { explainedVariance, maskedMeanStd } from "../algos/diagnostics.ts";
import { gae, standardize } from "../algos/gae.ts";
import type { TaskFamily } from "../envs/env.ts";
import type { SamplingConfig } from "./config.ts";
import type { Diagnostics, UpdateStats } from "../algos/update_stats.ts";
import type { IterationLog, LearnerState } from "./state.ts";

/** Trials per iteration: enough whole trials to cover `batch_timesteps` steps. */
export function trialsPerBatch(
  family: TaskFamily,
  episodes: number,
  batchTimesteps: number,
): number {
  return Math.max(1, Math.ceil(batchTimesteps / (episodes * family.maxEpisodeSteps)));
}

/** What the advantages of a sampled batch are computed from (time-major, `T × B`). */
export interface RewardedTrials {
  /** Steps per trial (the longest trial's). */
  readonly T: number;
  /** Trials. */
  readonly B: number;
  /** `T × B` rewards. */
  readonly rewards: Float32Array;
  /** `T × B`: 1 at a valid step. */
  readonly mask: Float32Array;
  /** Number of valid steps. */
  readonly steps: number;
  /** Total reward of every trial. */
  readonly trialReturns: Float64Array;
}

/** A batch's advantages, its value targets and what the iteration's log says of them. */
export interface AdvantageEstimate {
  /** Â per step, standardised when `normalize_advantages` is set. */
  advantages: Float32Array;
  /** The value baseline's targets: the λ-returns. */
  returns: Float32Array;
  /** Mean squared error of the value predictions against `returns`. */
  valueLoss: number;
  /** Mean and standard deviation of the advantages before standardisation. */
  raw: { mean: number; std: number };
}

/** GAE advantages over whole trials from the value predictions `values` (`T × B`). */
export function estimateAdvantages(
  batch: RewardedTrials,
  values: Float32Array,
  sampling: SamplingConfig,
): AdvantageEstimate {
  const { advantages, returns } = gae(
    batch.rewards,
    values,
    batch.mask,
    batch.T,
    batch.B,
    sampling.gamma,
    sampling.gae_lambda,
  );
  let valueLoss = 0;
  for (let k = 0; k < values.length; k++) {
    if (batch.mask[k] !== 0) valueLoss += (values[k]! - returns[k]!) ** 2 / batch.steps;
  }
  const raw = maskedMeanStd(advantages, batch.mask);
  if (sampling.normalize_advantages) standardize(advantages, batch.mask);
  return { advantages, returns, valueLoss, raw };
}

/**
 * The log of an iteration: the learner's state after it, the mean and standard deviation of
 * the batch's trial returns, the advantages, how well `values` predicted the returns, and the
 * policy update's stats and own diagnostics.
 */
export function iterationLog(
  state: LearnerState,
  batch: RewardedTrials,
  values: Float32Array,
  estimate: AdvantageEstimate,
  stats: UpdateStats,
  diagnostics: Diagnostics,
): IterationLog {
  const B = batch.trialReturns.length;
  let mean = 0;
  for (const r of batch.trialReturns) mean += r / B;
  let variance = 0;
  for (const r of batch.trialReturns) variance += (r - mean) ** 2 / B;
  return {
    iteration: state.iteration,
    timesteps: state.timesteps,
    returnMean: mean,
    returnStd: Math.sqrt(variance),
    kl: stats.kl,
    entropy: stats.entropy,
    surrogateImprovement: stats.surrogateImprovement,
    valueLoss: estimate.valueLoss,
    accepted: stats.accepted,
    explainedVariance: explainedVariance(estimate.returns, values, batch.mask),
    advantageMean: estimate.raw.mean,
    advantageStd: estimate.raw.std,
    gradientNorm: stats.gradientNorm,
    diagnostics,
  };
}
