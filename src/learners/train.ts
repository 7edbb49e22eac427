/**
 * The on-policy training loop (RL², Duan et al. 2016, Alg. in §2), which trains every learner
 * of the `on-policy` shape: every iteration samples a batch of trials on freshly drawn tasks,
 * estimates advantages with GAE over whole trials, updates the policy by the learner's rule
 * (one TRPO step, or epochs of minibatch steps for PPO and first-order TRPO), and refits the
 * value baseline. It serves discrete and continuous actions alike through the policy's action
 * distribution. A learner of the `own-loop` shape (MAML) brings its loop instead; {@link Trainer}
 * runs either.
 *
 * All randomness of iteration i comes from streams derived from (seed, purpose, i), so the
 * learner's state is just its parameters, optimiser state and counters: a checkpoint restores
 * it exactly.
 *
 * @module
 */
import { Rng } from "../rng.ts";
import type { TaskFamily } from "../envs/env.ts";
import { policyInit } from "../policies/distribution.ts";
import type {
  ActionKind,
  EvaluationProtocol,
  LearnerAgentConfig,
  LearnerNetworks,
  LearnerSpec,
  LoopContext,
  OnPolicyLearner,
  OwnLoopLearner,
  PolicyUpdate,
  TrainingLoop,
} from "./learner.ts";
import type { IterationLog, LearnerState, TrialRewards } from "./state.ts";
import { sampleTrials } from "../algos/sampler.ts";
import { fitValues, predictValues, valueInit } from "../algos/value_baseline.ts";
import { estimateAdvantages, iterationLog, trialsPerBatch } from "./iteration.ts";
import { inPhase } from "../compute/profile.ts";
import { finetunedReturns, finetunes } from "./finetune.ts";

export type { IterationLog, LearnerState, TrialRewards } from "./state.ts";

/** The kind of a family's actions. */
function familyActions(family: TaskFamily): ActionKind {
  return family.actionDim === undefined ? "discrete" : "continuous";
}

/** One on-policy iteration: sample, GAE, policy update, value fit. */
function iterateOnPolicy(
  c: LoopContext,
  nets: LearnerNetworks,
  update: { rule: PolicyUpdate; updateStream: string },
  state: LearnerState,
): IterationLog {
  const { family, episodes, config, seed } = c;
  const { sampling } = config;
  const rng = (purpose: string) => Rng.derive(seed, purpose, state.iteration);

  // Sample a batch of trials, each on a freshly drawn task.
  const taskRng = rng("train-tasks");
  const B = trialsPerBatch(family, episodes, sampling.batch_timesteps);
  const tasks = Array.from({ length: B }, () => family.sampleTask(taskRng));
  const batch = inPhase("sampling", () =>
    sampleTrials({
      family,
      episodes,
      policy: nets.policy,
      params: state.policy,
      mode: nets.mode,
      start: nets.start,
      tasks,
      envRng: rng("train-env"),
      actionRng: rng("train-actions"),
    }));

  // Advantages over whole trials, with the value baseline fitted on earlier batches.
  const values = inPhase(
    "value prediction",
    () => predictValues(nets.value, state.value, batch, sampling.chunk_trials),
  );
  const estimate = inPhase("advantages", () => estimateAdvantages(batch, values, sampling));

  // Policy update, then refit the baseline to this batch's returns.
  const step = inPhase("policy update", () =>
    update.rule({
      policy: nets.policy,
      params: state.policy,
      batch: { ...batch, advantages: estimate.advantages },
      rng: rng(update.updateStream),
      ...(state.policyOptimizer !== undefined && { optimizer: state.policyOptimizer }),
    }));
  inPhase("value fit", () =>
    fitValues(
      nets.value,
      state.value,
      batch,
      estimate.returns,
      config.value,
      rng("value-minibatches"),
      sampling.chunk_trials,
    ));
  state.policy = step.params;
  if (step.optimizer !== undefined) state.policyOptimizer = step.optimizer;
  state.iteration++;
  state.timesteps += batch.steps;
  return iterationLog(state, batch, values, estimate, step.stats, step.diagnostics);
}

/** The on-policy loop of `spec` for a run. */
function onPolicyLoop(
  spec: OnPolicyLearner,
  c: LoopContext,
): TrainingLoop & { readonly networks: LearnerNetworks } {
  const finetuned = finetunes(spec, familyActions(c.family));
  const nets = spec.networks(c.family, c.config);
  const update = { rule: spec.update(c.config), updateStream: spec.updateStream };
  return {
    networks: nets,
    init: (): LearnerState => ({
      iteration: 0,
      timesteps: 0,
      policy: policyInit(nets.policy, Rng.derive(c.seed, "init-policy")),
      value: valueInit(nets.value, Rng.derive(c.seed, "init-value")),
    }),
    iterate: (state) => iterateOnPolicy(c, nets, update, state),
    evaluate(state, tasks, { seed, greedy = false, finetune }): TrialRewards {
      if (finetuned && finetune !== undefined) {
        return finetunedReturns(c, nets, finetune, state.policy, tasks, seed);
      }
      const { trialReturns, episodeReturns } = sampleTrials({
        family: c.family,
        episodes: c.episodes,
        policy: nets.policy,
        params: state.policy,
        mode: nets.mode,
        start: nets.start,
        tasks,
        envRng: Rng.derive(seed, "eval-env", c.seed),
        actionRng: Rng.derive(seed, "eval-actions", c.seed),
        greedy,
      });
      return { trialReturns, episodeReturns };
    },
  };
}

/**
 * One agent being trained: the training loop of its learner (the shared on-policy loop, or the
 * learner's own) with the state it changes, run one iteration at a time.
 */
export class Trainer {
  readonly #loop: TrainingLoop;
  /** The networks of an on-policy learner (undefined for a learner with its own loop). */
  readonly networks: LearnerNetworks | undefined;
  /** Everything that changes while training: a checkpoint saves it, `state` restores it. */
  state: LearnerState;

  /**
   * A fresh agent of the learner `spec` (weights from the seed's "init" streams), or one
   * restored from `state`.
   */
  constructor(
    readonly family: TaskFamily,
    readonly episodes: number,
    spec: LearnerSpec,
    readonly config: LearnerAgentConfig,
    readonly seed: number,
    state?: LearnerState,
  ) {
    const actions = familyActions(family);
    if (!spec.actions.includes(actions)) {
      throw new Error(
        actions === "continuous"
          ? `${spec.kind} has no update for continuous actions yet`
          : `${spec.kind} needs a task with continuous actions`,
      );
    }
    const context = { family, episodes, config, seed };
    const onPolicy = spec.shape === "on-policy" ? onPolicyLoop(spec, context) : undefined;
    this.networks = onPolicy?.networks;
    this.#loop = onPolicy ?? (spec as OwnLoopLearner).loop(context);
    this.state = state ?? this.#loop.init();
  }

  /** Runs one iteration of the learner's loop. */
  iterate(): IterationLog {
    return this.#loop.iterate(this.state);
  }

  /**
   * One trial per task with the current policy, or what `protocol` and the learner make of a
   * trial (fine-tuning stages, MAML's adaptation stages): each trial's total reward and each of
   * its episodes' (`B × n`); the environment and action draws come from (`protocol.seed`, the
   * run's own seed), so seeds share tasks but not draws.
   */
  evaluate(tasks: readonly unknown[], protocol: EvaluationProtocol): TrialRewards {
    return this.#loop.evaluate(this.state, tasks, protocol);
  }
}
