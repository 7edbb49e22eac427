/**
 * What a learner is to the harness: a kind, the schema of its agent block, and one of two
 * shapes. An on-policy learner brings its networks and its policy update, and the shared loop
 * (`train.ts`: sample a batch of trials, estimate advantages, update the policy, refit the value
 * baseline) trains it; a learner with its own loop (MAML; an off-policy learner) brings that
 * loop. The experiment schema, `experiments/schema.json` and the worker are built from the
 * registry (`registry.ts`).
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
import type { Diagnostics, UpdateStats } from "../algos/update_stats.ts";
export type { Diagnostics, UpdateStats };
import type { ValueFitConfig } from "../algos/value_baseline.ts";
import type { GruPolicyConfig, MlpPolicyConfig } from "../policies/config.ts";
import type { StepNetwork } from "../policies/network.ts";
import type { Policy } from "../policies/distribution.ts";
import type { FinetuneConfig } from "../settings/experiment.ts";
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

/** What a policy update starts from. */
export interface UpdateInput {
  /** The policy: its network and action distribution. */
  policy: Policy;
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
  /** What every update measures. */
  stats: UpdateStats;
  /** Its own diagnostics, one per name of its learner's `diagnostics`. */
  diagnostics: Diagnostics;
  /** Its optimiser state to keep (and checkpoint) for the next iteration, if it has one. */
  optimizer?: AdamState;
}

/** A policy update rule: new parameters from the old ones and a batch with its advantages. */
export type PolicyUpdate = (input: UpdateInput) => UpdateOutput;

/** A learner's networks for a task family. */
export interface LearnerNetworks {
  /** What a step's input holds: the RL² input, or the observation only. */
  mode: InputMode;
  /** The RL² input's first step (`src/envs/trial.ts`). */
  start: StartInput;
  /** The policy: its network and the action distribution the network's outputs parameterise. */
  policy: Policy;
  /** The value network (one output). */
  value: StepNetwork;
}

/** A task's actions: a discrete set (bandits, MDPs, CartPole) or a continuous vector. */
export type ActionKind = "discrete" | "continuous";

/** The memory of an on-policy learner: RL²'s recurrent networks, or memoryless ones. */
export type Memory = "recurrent" | "memoryless";

/** How held-out tasks are evaluated: the experiment's `evaluation` block, as a loop reads it. */
export interface EvaluationProtocol {
  /** The seed of the evaluation's draws (with the run's own seed). */
  readonly seed: number;
  /** Act by the most probable action (ignored by learners that sample while they adapt). */
  readonly greedy?: boolean;
  /** Fine-tune memoryless policies on continuous actions as MAML is evaluated (`finetune.ts`). */
  readonly finetune?: FinetuneConfig;
}

/** What every learner of the registry declares, whatever its shape. */
export interface LearnerBase {
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
  /** Its settings (agent-block paths) that can stop its updates, named when a run stalls. */
  readonly stallSettings: readonly string[];
  /** The kinds of action it trains on; `validate` refuses it on a task with another kind. */
  readonly actions: readonly ActionKind[];
  /**
   * The names of its own diagnostics (e.g. TRPO's `line_search_steps`, `step_fraction`): the
   * columns of `progress.csv` after the ones every learner writes, in this order; every
   * iteration's log gives each (`IterationLog.diagnostics`).
   */
  readonly diagnostics: readonly string[];
  /**
   * Keys of its agent block that were renamed, by block (e.g. `ppo`): old name → new name. An
   * experiment file may still use an old name: it is read as the new one before validation and
   * reported as renamed (`src/experiment/renames.ts`); giving both names is an error.
   */
  readonly renamed?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * Values of settings of its agent block that were renamed, by block and setting (e.g.
   * `policy` → `start_input`): old value → new value. Read like {@link renamed}.
   */
  readonly renamedValues?: Readonly<
    Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>
  >;
  /**
   * Settings that moved out of its agent block: their old path in the block (e.g.
   * `trpo.finetune`) → their path in the experiment (e.g. `evaluation.finetune`). Read like
   * {@link renamed}; giving the setting in both places with different values is an error.
   */
  readonly moved?: Readonly<Record<string, string>>;
  /**
   * How many trajectories of a held-out task one episode of its evaluation trial stands for:
   * K for an agent evaluated by adaptation steps (each "episode" the mean return of K
   * trajectories after a step, as MAML is evaluated); absent, 1.
   */
  readonly episodeTrajectories?: (config: LearnerAgentConfig) => number;
}

/**
 * A learner the shared on-policy loop trains (`train.ts`): every iteration samples a batch of
 * trials with its policy, estimates advantages with its value network, and calls its update.
 */
export interface OnPolicyLearner extends LearnerBase {
  /** Trained by the shared loop. */
  readonly shape: "on-policy";
  /** Its networks' memory: recurrent (RL²'s GRUs on the RL² input) or memoryless (MLPs). */
  readonly memory: Memory;
  /** Its networks for a task family. */
  networks(family: TaskFamily, config: LearnerAgentConfig): LearnerNetworks;
  /** Its update rule for a resolved agent block. */
  update(config: LearnerAgentConfig): PolicyUpdate;
  /**
   * The name of the random stream its update draws from each iteration (Fisher subsamples,
   * minibatch orders); part of what makes a run's numbers, so never renamed.
   */
  readonly updateStream: string;
}

/**
 * A learner with a training loop of its own, for learners the shared loop does not fit: MAML,
 * whose iteration samples, adapts and samples again on every task; an off-policy learner with
 * replay buffers.
 */
export interface OwnLoopLearner extends LearnerBase {
  /** Trained by its own loop. */
  readonly shape: "own-loop";
  /** Its loop for a run (refusing families it cannot train on). */
  loop(context: LoopContext): TrainingLoop;
}

/** A learner the harness can train: one entry of the learner registry. */
export type LearnerSpec = OnPolicyLearner | OwnLoopLearner;

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
}

/**
 * A learner's own training loop: its fresh state, one iteration, and an evaluation. Its state
 * is a {@link LearnerState}; what it keeps beyond the policy (more networks, optimiser states,
 * replay buffers) goes in the state's `extra` arrays, for the checkpoint to save.
 */
export interface TrainingLoop {
  /** The state before the first iteration (weights from the seed's streams). */
  init(): LearnerState;
  /** Runs iteration `state.iteration + 1`, updating `state` in place. */
  iterate(state: LearnerState): IterationLog;
  /** Returns on `tasks`, draws from (`protocol.seed`, the run's seed), as `Trainer.evaluate`. */
  evaluate(
    state: LearnerState,
    tasks: readonly unknown[],
    protocol: EvaluationProtocol,
  ): TrialRewards;
}
