/**
 * What a learner's training produces and keeps: its progress log rows, its evaluations, and
 * the state a checkpoint holds. Shared by the on-policy loop (`train.ts`) and by learners with a
 * loop of their own (`learner.ts`'s `TrainingLoop`).
 *
 * @module
 */
import type { AdamState } from "../algos/adam.ts";
import type { ValueState } from "../algos/value_baseline.ts";
import type { Diagnostics } from "../algos/update_stats.ts";

/** One row of a run's progress log. */
export interface IterationLog {
  /** Iterations done, this one included. */
  iteration: number;
  /** Environment steps sampled so far, this iteration's included. */
  timesteps: number;
  /** Mean total reward of this iteration's trials. */
  returnMean: number;
  /** Standard deviation of this iteration's trial returns. */
  returnStd: number;
  /** Mean KL(old ‖ new) of the update over the batch (0 when the policy did not change). */
  kl: number;
  /** Mean entropy of the policy that sampled the batch. */
  entropy: number;
  /** Gain of the update's surrogate objective over the batch (0 when the policy did not change). */
  surrogateImprovement: number;
  /** Mean squared error of the value predictions against the batch's returns, before the refit. */
  valueLoss: number;
  /** True when the update changed the policy. */
  accepted: boolean;
  /** Share of the returns' variance the baseline (as used for this batch) explains. */
  explainedVariance: number;
  /** Mean of the advantages before standardisation. */
  advantageMean: number;
  /** Standard deviation of the advantages before standardisation. */
  advantageStd: number;
  /** Norm of the objective's gradient (TRPO: at the old parameters; minibatch updates: mean over steps). */
  gradientNorm: number;
  /**
   * The update's own diagnostics, by `progress.csv` column: one per name of its learner's
   * `diagnostics` (TRPO's line search, PPO's clip fraction and approximate KL).
   */
  diagnostics: Diagnostics;
}

/** What an evaluation measures on each task: the trial's total reward and its episodes'. */
export interface TrialRewards {
  /** Total reward of each task's trial. */
  trialReturns: Float64Array;
  /** `B × n`: total reward of each episode of each task's trial (`[b * n + e]`). */
  episodeReturns: Float64Array;
}

/** Everything a checkpoint must hold to continue training exactly. */
export interface LearnerState {
  /** Iterations done. */
  iteration: number;
  /** Environment steps sampled so far. */
  timesteps: number;
  /** The policy's flat parameters. */
  policy: Float32Array;
  /** The policy update's optimiser state, for learners whose update keeps one. */
  policyOptimizer?: AdamState;
  /** The value baseline (empty for a learner without one: {@link emptyValueState}). */
  value: ValueState;
  /**
   * What a learner with its own loop keeps beyond these, by name (more networks' parameters,
   * their optimiser moments, replay buffers and their fill counts): flat arrays for the
   * checkpoint to save and restore with the rest.
   */
  extra?: Record<string, Float32Array>;
}

/** The value state of a learner that keeps no value network. */
export function emptyValueState(): ValueState {
  return {
    params: new Float32Array(0),
    adam: { m: new Float32Array(0), v: new Float32Array(0), t: 0 },
    mean: 0,
    std: 1,
  };
}
