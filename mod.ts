/**
 * rl2lab: reproduce meta-reinforcement-learning results, RL² first (Duan et al. 2016,
 * "RL²: Fast Reinforcement Learning via Slow Reinforcement Learning").
 *
 * The public API: task distributions, the RL² (GRU) and memoryless (MLP) networks, TRPO and
 * its numerics, the training loop, the classic baselines and their grid tuning, experiment
 * files, the runner, comparisons with their statistics, the paper's tables, seeded randomness
 * and the backend.
 *
 * @example Train RL² on 5-armed bandits for one iteration
 * ```ts
 * import { banditFamily, initBackend, Learner, trpoSchema, valueFitSchema } from "./mod.ts";
 * await initBackend("cpu");
 * const learner = new Learner(banditFamily({ arms: 5 }), 10, {
 *   kind: "rl2",
 *   policy: { gru: 8, norm: "weight" },
 *   trpo: trpoSchema.parse({ iterations: 1, batch_timesteps: 100 }),
 *   value: valueFitSchema.parse({}),
 * }, 0);
 * const log = learner.iterate();
 * if (log.timesteps !== 100) throw new Error("one batch of 10 trials of 10 pulls");
 * ```
 *
 * @module
 */
export { Rng } from "./src/rng.ts";
export { type BackendInfo, type BackendName, BACKENDS, initBackend } from "./src/backend.ts";
export type { EnvBatch, TaskFamily } from "./src/envs/env.ts";
export { banditFamily, type BanditTask, banditTaskSchema } from "./src/envs/bandit.ts";
export { type MdpTask, mdpTaskSchema, tabularMdpFamily } from "./src/envs/tabular_mdp.ts";
export { cartpoleFamily, type CartPoleTask, cartpoleTaskSchema } from "./src/envs/cartpole.ts";
export { createFamily, type TaskConfig, taskSchema } from "./src/envs/registry.ts";
export { inputDim, type InputMode, writeInput } from "./src/envs/trial.ts";
export type { StepNetwork } from "./src/policies/network.ts";
export { gruNetwork } from "./src/policies/gru.ts";
export { mlpNetwork } from "./src/policies/mlp.ts";
export * as categorical from "./src/policies/categorical.ts";
export { gruPolicySchema, mlpPolicySchema } from "./src/policies/config.ts";
export {
  type TrpoConfig,
  trpoSchema,
  type ValueFitConfig,
  valueFitSchema,
} from "./src/algos/trpo_config.ts";
export { gae, standardize } from "./src/algos/gae.ts";
export { conjugateGradient } from "./src/algos/conjugate_gradient.ts";
export { fisherOperator, type TrpoStats, trpoUpdate } from "./src/algos/trpo.ts";
export { backprop, forwardOutputs, linearize } from "./src/algos/unroll.ts";
export { type SampledTrials, sampleTrials } from "./src/algos/sampler.ts";
export {
  type IterationLog,
  Learner,
  type LearnerConfig,
  type LearnerState,
} from "./src/algos/train.ts";
export type { BaselineSpec, TrialAgent } from "./src/baselines/agent.ts";
export { BASELINES, findBaseline } from "./src/baselines/registry.ts";
export { evaluateTrialAgent } from "./src/baselines/evaluate.ts";
export { gridPoints, tuneBaseline, type TuningResult, tuningTasks } from "./src/baselines/tune.ts";
export {
  type Experiment,
  ExperimentError,
  loadExperiment,
  validateFiles,
} from "./src/experiment/load.ts";
export {
  type ExperimentConfig,
  experimentSchema,
  validateExperiment,
} from "./src/experiment/schema.ts";
export { expandRuns, type Run } from "./src/experiment/expand.ts";
export { runExperiments, type RunnerSummary, type RunOptions } from "./src/harness/runner.ts";
export { mergeResults } from "./src/harness/merge.ts";
export { type CompareOptions, compareResults, readResults } from "./src/harness/compare.ts";
export { PAPER_TABLES, reproduce, type ReproduceOptions } from "./src/harness/reproduce.ts";
export { compareExperiment, type ExperimentComparison } from "./src/analysis/comparison.ts";
export { bootstrapCi, type Interval, meanDifferenceCi } from "./src/analysis/bootstrap.ts";
export { paperRows, renderPaperTable, RL2_TABLE1, RL2_TABLE2 } from "./src/analysis/paper_table.ts";
