/**
 * What a learner is to the harness: a kind, the schema of its agent block, its networks and
 * its policy update. The training loop (sample a batch of trials, estimate advantages, update
 * the policy, refit the value baseline) is shared by every learner (`src/learners/train.ts`);
 * a learner brings only what differs. The experiment schema, `experiments/schema.json` and
 * the worker are built from the registry (`registry.ts`), so a learner is one file plus its
 * line there.
 *
 * @module
 */
import type { z } from "zod";
import type { Rng } from "../rng.ts";
import type { AdamState } from "../algos/adam.ts";
import type { TaskFamily } from "../envs/env.ts";
import type { InputMode, StartInput } from "../envs/trial.ts";
import type { PolicyBatch } from "../algos/unroll.ts";
import type { SamplingConfig } from "./config.ts";
import type { ValueFitConfig } from "../algos/value_baseline.ts";
import type { GruPolicyConfig, MlpPolicyConfig } from "../policies/config.ts";
import type { StepNetwork } from "../policies/network.ts";
import type { IterationLog, LearnerState, TrialRewards } from "./state.ts";

/** A learner's resolved agent block: the blocks every learner has, and its own ones. */
export interface LearnerAgentConfig {
  /** The learner's kind. */
  readonly kind: string;
  /** The policy network (the value network has the same shape). */
  readonly policy: GruPolicyConfig | MlpPolicyConfig;
  /** How batches are sampled and advantages estimated. */
  readonly sampling: SamplingConfig;
  /** The value network's fit. */
  readonly value: ValueFitConfig;
  /** The learner's own blocks (e.g. `trpo`). */
  readonly [block: string]: unknown;
}

/** What one policy update reports. */
export interface UpdateStats {
  /** Mean KL(old ‖ new) over the batch (0 when the policy did not change). */
  kl: number;
  /** Mean policy entropy on the batch, before the update. */
  entropy: number;
  /** Gain of the surrogate objective. */
  surrogateImprovement: number;
  /** Line-search evaluations made (0 for updates without a line search). */
  lineSearchSteps: number;
  /** Fraction of the proposed step that was kept (1 for updates that take their whole step; 0: none). */
  stepFraction: number;
  /** Norm of the objective's gradient (TRPO: at the old parameters over the batch). */
  gradientNorm: number;
  /** False when the update kept the old parameters. */
  accepted: boolean;
}

/** What a policy update starts from. */
export interface UpdateInput {
  /** The policy network. */
  net: StepNetwork;
  /** Its current flat parameters (not modified). */
  params: Float32Array;
  /** The batch, with its advantages. */
  batch: PolicyBatch;
  /** The iteration's own random stream for the update (subsamples, minibatches). */
  rng: Rng;
  /** The update's optimiser state from the previous iteration, for stateful updates. */
  optimizer?: AdamState;
}

/** What a policy update gives. */
export interface UpdateOutput {
  /** The new parameters (the old ones when the update was rejected). */
  params: Float32Array;
  /** Its diagnostics. */
  stats: UpdateStats;
  /** Its optimiser state to keep (and checkpoint) for the next iteration, if it has one. */
  optimizer?: AdamState;
}

/** A policy update rule: new parameters from the old ones and a batch with its advantages. */
export type PolicyUpdate = (input: UpdateInput) => UpdateOutput;

/** A learner's networks for a task family. */
export interface LearnerNetworks {
  /** What a step's input holds: the RL² input, or the observation only. */
  mode: InputMode;
  /** The RL² input's placeholders at a trial's first step. */
  start: StartInput;
  /** The policy network (logits). */
  policy: StepNetwork;
  /** The value network (one output). */
  value: StepNetwork;
}

/** A learner the harness can train: one entry of the learner registry. */
export interface LearnerSpec {
  /** The `kind` of its agent blocks. */
  readonly kind: string;
  /** One line for editors and messages. */
  readonly description: string;
  /**
   * The schema of its agent block (`kind` included); its output is a {@link LearnerAgentConfig}.
   *
   * @internal A zod schema, outside this package's API: `resolveLearner` parses a block with it.
   */
  readonly schema: z.ZodObject;
  /** Its networks for a task family. */
  networks(family: TaskFamily, config: LearnerAgentConfig): LearnerNetworks;
  /** Its update rule for a resolved agent block. */
  update(config: LearnerAgentConfig): PolicyUpdate;
  /** The name of the random stream its update draws from each iteration. */
  readonly updateStream: string;
  /** Its settings (agent-block paths) that can stop its updates, named when a run stalls. */
  readonly stallSettings: readonly string[];
  /**
   * Keys of its agent block that were renamed, by block (e.g. `ppo`): old name → new name. An
   * experiment file may still use an old name: it is read as the new one before validation and
   * reported as renamed (`src/experiment/renames.ts`); giving both names is an error.
   */
  readonly renamed?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * A training loop of its own, for a learner the shared loop (sample, advantages, update,
   * value fit) does not fit, such as MAML, whose iteration samples, adapts and samples again on
   * every task, or a family with continuous actions; absent (or giving undefined for the
   * context), the shared loop runs {@link update}.
   */
  readonly loop?: (context: LoopContext) => TrainingLoop | undefined;
  /**
   * How many trajectories of a held-out task one episode of its evaluation trial stands for:
   * K for an agent evaluated by adaptation steps (each "episode" the mean return of K
   * trajectories after a step, as MAML is evaluated); absent, 1.
   */
  readonly episodeTrajectories?: (config: LearnerAgentConfig) => number;
}

/** What a learner's own training loop is built from. */
export interface LoopContext {
  /** The task distribution. */
  readonly family: TaskFamily;
  /** n, episodes per trial of the task block. */
  readonly episodes: number;
  /** The resolved agent block. */
  readonly config: LearnerAgentConfig;
  /** The run's seed. */
  readonly seed: number;
  /** The learner's networks for the family. */
  readonly networks: LearnerNetworks;
}

/** A learner's own training loop: its fresh state, one iteration, and an evaluation. */
export interface TrainingLoop {
  /** The state before the first iteration (weights from the seed's streams). */
  init(): LearnerState;
  /** Runs iteration `state.iteration + 1`, updating `state` in place. */
  iterate(state: LearnerState): IterationLog;
  /** Returns on `tasks`, draws from (seed, the run's seed), as `Learner.evaluate` does. */
  evaluate(
    state: LearnerState,
    tasks: readonly unknown[],
    seed: number,
    greedy: boolean,
  ): TrialRewards;
}
