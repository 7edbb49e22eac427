/**
 * The training loop every learner shares (RL², Duan et al. 2016, Alg. in §2): every iteration
 * samples a batch of trials on freshly drawn tasks, estimates advantages with GAE over whole
 * trials, updates the policy by the learner's rule (one TRPO step, or epochs of minibatch steps
 * for PPO and first-order TRPO), and refits the value baseline. What differs between learners
 * (networks, update, the update's random stream) comes from their entry in the registry.
 *
 * All randomness of iteration i comes from streams derived from (seed, purpose, i), so the
 * learner's state is just its parameters, optimiser state and counters: a checkpoint restores
 * it exactly.
 *
 * @module
 */
import { Rng } from "../rng.ts";
import type { TaskFamily } from "../envs/env.ts";
import type { InputMode, StartInput } from "../envs/trial.ts";
import type { StepNetwork } from "../policies/network.ts";
import type { LearnerAgentConfig, LearnerSpec, PolicyUpdate, TrainingLoop } from "./learner.ts";
import type { IterationLog, LearnerState, TrialRewards } from "./state.ts";
import { sampleTrials } from "../algos/sampler.ts";
import { fitValues, predictValues, valueInit } from "../algos/value_baseline.ts";
import { estimateAdvantages, iterationLog, trialsPerBatch } from "./iteration.ts";

export type { IterationLog, LearnerState, TrialRewards } from "./state.ts";

/** Trains one agent on a task distribution, one iteration at a time. */
export class Learner {
  /** The policy network. */
  readonly policyNet: StepNetwork;
  /** The value baseline's network. */
  readonly valueNet: StepNetwork;
  /** What a step's input holds: the RL² input, or the observation only. */
  readonly mode: InputMode;
  /** The RL² input's placeholders at a trial's first step. */
  readonly start: StartInput;
  readonly #update: PolicyUpdate;
  readonly #updateStream: string;
  readonly #loop: TrainingLoop | undefined;
  /** Everything that changes while training: a checkpoint saves it, `state` restores it. */
  state: LearnerState;

  /**
   * A fresh learner of kind `spec` (weights from the seed's "init" streams), or one restored
   * from `state`.
   */
  constructor(
    readonly family: TaskFamily,
    readonly episodes: number,
    spec: LearnerSpec,
    readonly config: LearnerAgentConfig,
    readonly seed: number,
    state?: LearnerState,
  ) {
    const nets = spec.networks(family, config);
    this.policyNet = nets.policy;
    this.valueNet = nets.value;
    this.mode = nets.mode;
    this.start = nets.start;
    this.#update = spec.update(config);
    this.#updateStream = spec.updateStream;
    this.#loop = spec.loop?.({ family, episodes, config, seed, networks: nets });
    this.state = state ?? this.#loop?.init() ?? {
      iteration: 0,
      timesteps: 0,
      policy: this.policyNet.init(Rng.derive(seed, "init-policy")),
      value: valueInit(this.valueNet, Rng.derive(seed, "init-value")),
    };
  }

  /** Runs one iteration: sample, GAE, policy update, value fit. */
  iterate(): IterationLog {
    if (this.#loop !== undefined) return this.#loop.iterate(this.state);
    const { sampling } = this.config;
    const i = this.state.iteration;
    const rng = (purpose: string) => Rng.derive(this.seed, purpose, i);

    // Sample a batch of trials, each on a freshly drawn task.
    const taskRng = rng("train-tasks");
    const B = trialsPerBatch(this.family, this.episodes, sampling.batch_timesteps);
    const tasks = Array.from({ length: B }, () => this.family.sampleTask(taskRng));
    const batch = sampleTrials({
      family: this.family,
      episodes: this.episodes,
      net: this.policyNet,
      params: this.state.policy,
      mode: this.mode,
      start: this.start,
      tasks,
      envRng: rng("train-env"),
      actionRng: rng("train-actions"),
    });

    // Advantages over whole trials, with the value baseline fitted on earlier batches.
    const values = predictValues(this.valueNet, this.state.value, batch, sampling.chunk_trials);
    const estimate = estimateAdvantages(batch, values, sampling);

    // Policy update, then refit the baseline to this batch's returns.
    const update = this.#update({
      net: this.policyNet,
      params: this.state.policy,
      batch: { ...batch, advantages: estimate.advantages },
      rng: rng(this.#updateStream),
      ...(this.state.policyOptimizer !== undefined && { optimizer: this.state.policyOptimizer }),
    });
    fitValues(
      this.valueNet,
      this.state.value,
      batch,
      estimate.returns,
      this.config.value,
      rng("value-minibatches"),
      sampling.chunk_trials,
    );
    this.state.policy = update.params;
    if (update.optimizer !== undefined) this.state.policyOptimizer = update.optimizer;
    this.state.iteration++;
    this.state.timesteps += batch.steps;
    return iterationLog(this.state, batch, values, estimate, update.stats, update.stats.entropy);
  }

  /**
   * One trial per task with the current policy: each trial's total reward and each of its
   * episodes' (`B × n`); the environment and action draws come from (seed, the learner's own
   * seed), so seeds share tasks but not draws.
   */
  evaluate(tasks: readonly unknown[], seed: number, greedy = false): TrialRewards {
    if (this.#loop !== undefined) return this.#loop.evaluate(this.state, tasks, seed, greedy);
    const { trialReturns, episodeReturns } = sampleTrials({
      family: this.family,
      episodes: this.episodes,
      net: this.policyNet,
      params: this.state.policy,
      mode: this.mode,
      start: this.start,
      tasks,
      envRng: Rng.derive(seed, "eval-env", this.seed),
      actionRng: Rng.derive(seed, "eval-actions", this.seed),
      greedy,
    });
    return { trialReturns, episodeReturns };
  }
}
