/**
 * rl2lab: reproduce meta-reinforcement-learning results, RL² first (Duan et al. 2016,
 * "RL²: Fast Reinforcement Learning via Slow Reinforcement Learning").
 *
 * The public API: task distributions, the RL² (GRU) and memoryless (MLP) networks, the learners
 * of the registry (TRPO, PPO and first-order TRPO on either network, MAML-TRPO, PEARL) and their
 * numerics, the training loop, the classic baselines and their grid tuning, experiment files, the
 * runner, comparisons with their statistics, the paper's tables, seeded randomness and the
 * backend. The schemas of experiment-file blocks are exported as {@link BlockSchema}
 * validators. Members whose types are TensorFlow.js tensors or zod schemas are marked internal:
 * they are hooks between this package's modules, not part of its documented API.
 *
 * The paper's protocol and every deviation from it are in `docs/protocol.md`; the TensorFlow.js
 * limits the numerical code works around are in `docs/backends.md`.
 *
 * @example Train RL² on 5-armed bandits for one iteration
 * ```ts
 * import { banditFamily, initBackend, resolveLearner, Trainer } from "./mod.ts";
 * await initBackend("cpu");
 * const { spec, config } = resolveLearner({
 *   kind: "rl2",
 *   policy: { gru: 8 },
 *   sampling: { iterations: 1, batch_timesteps: 100 },
 * });
 * const trainer = new Trainer(banditFamily({ arms: 5 }), 10, spec, config, 0);
 * const log = trainer.iterate();
 * if (log.timesteps !== 100) throw new Error("one batch of 10 trials of 10 pulls");
 * ```
 *
 * @module
 */
import { banditTaskSchema as banditZod } from "./src/envs/bandit.ts";
import { mdpTaskSchema as mdpZod } from "./src/envs/tabular_mdp.ts";
import { cartpoleTaskSchema as cartpoleZod } from "./src/envs/cartpole.ts";
import { navigationTaskSchema as navigationZod } from "./src/envs/navigation.ts";
import { taskSchema as taskZod } from "./src/envs/registry.ts";
import { gruPolicySchema as gruZod, mlpPolicySchema as mlpZod } from "./src/policies/config.ts";
import { trpoSchema as trpoZod } from "./src/learners/trpo.ts";
import { ppoSchema as ppoZod } from "./src/learners/ppo.ts";
import {
  samplingSchema as samplingZod,
  valueFitSchema as valueFitZod,
} from "./src/learners/config.ts";
import type { BanditTaskConfig } from "./src/envs/bandit.ts";
import type { MdpTaskConfig } from "./src/envs/tabular_mdp.ts";
import type { CartPoleTaskConfig } from "./src/envs/cartpole.ts";
import type { NavigationTaskConfig } from "./src/envs/navigation.ts";
import type { TaskConfig } from "./src/envs/registry.ts";
import type { GruPolicyConfig, MlpPolicyConfig } from "./src/policies/config.ts";
import type { TrpoConfig } from "./src/algos/trpo.ts";
import type { PpoConfig } from "./src/algos/ppo.ts";
import type { SamplingConfig } from "./src/learners/config.ts";
import type { ValueFitConfig } from "./src/algos/value_baseline.ts";

export { Rng } from "./src/rng.ts";
export {
  type BackendInfo,
  type BackendName,
  type BackendOptions,
  BACKENDS,
  initBackend,
} from "./src/backend.ts";

// ---- tasks ---------------------------------------------------------------------------------

export type { EnvBatch, TaskFamily } from "./src/envs/env.ts";
export { banditFamily, type BanditTask, type BanditTaskConfig } from "./src/envs/bandit.ts";
export { type MdpTask, type MdpTaskConfig, tabularMdpFamily } from "./src/envs/tabular_mdp.ts";
export { cartpoleFamily, type CartPoleTask, type CartPoleTaskConfig } from "./src/envs/cartpole.ts";
export {
  navigationFamily,
  type NavigationTask,
  type NavigationTaskConfig,
} from "./src/envs/navigation.ts";
export {
  pointRobotFamily,
  type PointRobotTask,
  type PointRobotTaskConfig,
} from "./src/envs/point_robot.ts";
export { createFamily, type TaskConfig } from "./src/envs/registry.ts";
export {
  inputDim,
  type InputMode,
  type PreviousStep,
  type StartInput,
  trialStart,
  writeInput,
} from "./src/envs/trial.ts";

// ---- networks, TRPO and PPO ----------------------------------------------------------------

export type { Norm, StepNetwork, WeightRef } from "./src/policies/network.ts";
export type { DenseRef } from "./src/policies/network.ts";
export { type Activation, type GruNetwork, gruNetwork } from "./src/policies/gru.ts";
export type { GainInit } from "./src/policies/params.ts";
export { type MlpNetwork, mlpNetwork } from "./src/policies/mlp.ts";
export * as categorical from "./src/policies/categorical.ts";
export {
  type ActionDistribution,
  type Actions,
  type AdvantageSteps,
  type Policy,
  policyInit,
  policyOf,
  type SampledSteps,
} from "./src/policies/distribution.ts";
export { gaussianDistribution, gaussianPolicy } from "./src/policies/gaussian.ts";
export type { GruPolicyConfig, MlpPolicyConfig } from "./src/policies/config.ts";
export type { TrpoConfig } from "./src/algos/trpo.ts";
export type { SamplingConfig } from "./src/learners/config.ts";
export type { ValueFitConfig } from "./src/algos/value_baseline.ts";
export { type Advantages, gae, standardize } from "./src/algos/gae.ts";
export { conjugateGradient } from "./src/algos/conjugate_gradient.ts";
export { type TrpoStats, trpoUpdate } from "./src/algos/trpo.ts";
export {
  type FisherBatch,
  type FisherOperator,
  fisherOperator,
  surrogateAndKl,
  surrogateGradient,
  vanillaPolicyGradient,
} from "./src/algos/policy_gradient.ts";
export {
  type FisherProduct,
  type TrustRegionConfig,
  type TrustRegionStats,
  trustRegionStep,
} from "./src/algos/trust_region.ts";
export {
  adamEpochs,
  clipGradNorm,
  clipGradValues,
  type EpochsConfig,
  type EpochsHooks,
  type EpochsResult,
} from "./src/algos/minibatch.ts";
export {
  clippedLossGradient,
  type ClippedObjective,
  clippedObjective,
  type ClippedSteps,
  type PpoConfig,
  type PpoStats,
  ppoUpdate,
} from "./src/algos/ppo.ts";
export {
  backprop,
  forwardOutputs,
  linearize,
  type Linearized,
  type OutputGradient,
  type PolicyBatch,
  type TrialInputs,
} from "./src/algos/unroll.ts";
export { type SampledTrials, type SamplerOptions, sampleTrials } from "./src/algos/sampler.ts";
export type { ValueState } from "./src/algos/value_baseline.ts";
export type { AdamState } from "./src/algos/adam.ts";
export {
  type IterationLog,
  type LearnerState,
  Trainer,
  type TrialRewards,
} from "./src/learners/train.ts";
export {
  type FirstOrderTrpoConfig,
  type FirstOrderTrpoStats,
  firstOrderTrpoUpdate,
} from "./src/algos/first_order_trpo.ts";

// ---- learners ------------------------------------------------------------------------------

export type {
  ActionKind,
  Diagnostics,
  EvaluationProtocol,
  LearnerAgentConfig,
  LearnerBase,
  LearnerNetworks,
  LearnerSpec,
  LoopContext,
  Memory,
  OnPolicyLearner,
  OwnLoopLearner,
  PolicyUpdate,
  TrainingLoop,
  UpdateInput,
  UpdateOutput,
  UpdateStats,
} from "./src/learners/learner.ts";
export { findLearner, LEARNERS, resolveLearner } from "./src/learners/registry.ts";
export { type FinetuneConfig, finetunedReturns, finetunes } from "./src/learners/finetune.ts";
export {
  defineLearner,
  familyDistribution,
  type LearnerDefinition,
  memorylessNetworks,
  recurrentNetworks,
} from "./src/learners/define.ts";

// ---- classic baselines ---------------------------------------------------------------------

export type { BaselineSpec, TrialAgent } from "./src/baselines/agent.ts";
export { BASELINES, findBaseline } from "./src/baselines/registry.ts";
export { evaluateTrialAgent } from "./src/baselines/evaluate.ts";
export {
  type BaselineParams,
  gridPoints,
  type GridScore,
  tuneBaseline,
  type TuneOptions,
  type TuningResult,
  type TuningTasks,
  tuningTasks,
} from "./src/baselines/tune.ts";

// ---- experiment files and the runner -------------------------------------------------------

export {
  type Experiment,
  explainExperiment,
  type FileValidation,
  loadExperiment,
  validateFiles,
} from "./src/experiment/load.ts";
export { ExperimentError, type ExperimentIssue } from "./src/experiment/source.ts";
export {
  type AgentConfig,
  type ClassicAgentConfig,
  type EvaluationConfig,
  type ExpectationConfig,
  type ExperimentConfig,
  type ExperimentFields,
  type PaperReference,
  type TuningConfig,
} from "./src/experiment/schema.ts";
export { type ExperimentCheck, validateExperiment } from "./src/experiment/rules.ts";
export { type JsonPath, type PathSegment, type SchemaIssue } from "./src/experiment/issues.ts";
export { type AblationPoint, expandRuns, type Run } from "./src/experiment/expand.ts";
export { runExperiments } from "./src/harness/run/runner.ts";
export type { RunnerSummary, RunOptions, RunResult } from "./src/harness/run/run_options.ts";
export type { ProgressReporter, RunOutcome, WorkerEvent } from "./src/harness/run/progress.ts";
export type { Shard } from "./src/harness/run/shard.ts";
export {
  type MergeOptions,
  type MergeRecord,
  mergeResults,
  type MergeSummary,
} from "./src/harness/run/merge.ts";
export {
  type CompareOptions,
  compareResults,
  type CompareSummary,
  type Format,
  FORMATS,
  readResults,
} from "./src/harness/report/compare.ts";
export type { ReadText } from "./src/harness/run/completeness.ts";
export {
  type Budget,
  BUDGETS,
  PAPER_TABLES,
  reproduce,
  type ReproduceOptions,
  type ReproduceSummary,
} from "./src/harness/paper/reproduce.ts";

// ---- statistics and the paper's tables -----------------------------------------------------

export {
  type AdaptationCurve,
  adaptationCurve,
  type AdaptationOptions,
  type AdaptationPoint,
} from "./src/analysis/adaptation.ts";
export { compareExperiment } from "./src/analysis/comparison.ts";
export {
  type AxisTable,
  type BaselineComparison,
  type ComparisonOptions,
  type EvaluationPoint,
  type ExpectationResult,
  type ExperimentComparison,
  type ExperimentResults,
  type RunResults,
  type Setting,
  type SettingRow,
  type TrainingPoint,
  type VariantResults,
  type VariantSummary,
} from "./src/analysis/comparison_types.ts";
export {
  bootstrapCi,
  type BootstrapOptions,
  type BootstrapScheme,
  type Interval,
  meanDifferenceCi,
} from "./src/analysis/bootstrap.ts";
export type { ScoreRows } from "./src/analysis/summary.ts";
export {
  firstReached,
  type Reached,
  type Spread,
  type TimedEvaluation,
  type TimeToResult,
  timeToResult,
} from "./src/analysis/time_to_result.ts";
export type { CurvePoint } from "./src/analysis/curves.ts";
export {
  type CellResult,
  type PaperColumn,
  type PaperLayout,
  type PaperRowData,
  paperRows,
  type RenderedTable,
  renderPaperTable,
  RL2_TABLE1,
  RL2_TABLE2,
} from "./src/analysis/paper_table.ts";

// ---- schemas of experiment-file blocks -----------------------------------------------------

/**
 * A validator of one block of an experiment file. The validators below are the zod schemas
 * the experiment files are checked with, seen through the one method a library user needs.
 */
export interface BlockSchema<T> {
  /**
   * The block with every default filled in. Throws an error that lists every problem when
   * `input` is not a valid block.
   */
  parse(input: unknown): T;
}

/** The `trpo` block of an `rl2` or `trpo` agent (defaults: the paper's where it gives one). */
export const trpoSchema: BlockSchema<TrpoConfig> = trpoZod;
/** The `ppo` block of an `rl2_ppo` or `ppo` agent (defaults: CleanRL's PPO). */
export const ppoSchema: BlockSchema<PpoConfig> = ppoZod;
/** The `value` block of a learner's agent: the value network's fit. */
export const valueFitSchema: BlockSchema<ValueFitConfig> = valueFitZod;
/** Validates and resolves an agent's `sampling` block (defaults filled in). */
export const samplingSchema: BlockSchema<SamplingConfig> = samplingZod;
/**
 * The `policy` block of an `rl2`, `rl2_ppo` or `rl2_fo_trpo` agent: a GRU (default 256 units,
 * weight norm).
 */
export const gruPolicySchema: BlockSchema<GruPolicyConfig> = gruZod;
/** The `policy` block of a `trpo`, `ppo` or `fo_trpo` agent: an MLP on the observation. */
export const mlpPolicySchema: BlockSchema<MlpPolicyConfig> = mlpZod;
/** The `task` block of a bandit experiment. */
export const banditTaskSchema: BlockSchema<BanditTaskConfig> = banditZod;
/** The `task` block of a tabular-MDP experiment (defaults: the paper's). */
export const mdpTaskSchema: BlockSchema<MdpTaskConfig> = mdpZod;
/** The `task` block of a randomized-CartPole experiment (defaults: gym's CartPole-v1). */
export const cartpoleTaskSchema: BlockSchema<CartPoleTaskConfig> = cartpoleZod;
/** The `task` block of a 2-D navigation experiment (defaults: MAML's). */
export const navigationTaskSchema: BlockSchema<NavigationTaskConfig> = navigationZod;
/** The `task` block of any experiment, by its `kind`. */
export const taskSchema: BlockSchema<TaskConfig> = taskZod;
