/**
 * The RL² training loop (Duan et al. 2016, Alg. in §2): every iteration samples a batch of
 * trials on freshly drawn tasks, estimates advantages with GAE over whole trials, takes one
 * TRPO step, and refits the value baseline. The same loop trains the memoryless TRPO baseline
 * (an MLP on the observation only).
 *
 * All randomness of iteration i comes from streams derived from (seed, purpose, i), so the
 * learner's state is just its parameters, optimiser state and counters: a checkpoint restores
 * it exactly.
 *
 * @module
 */
import { Rng } from "../rng.ts";
import type { TaskFamily } from "../envs/env.ts";
import { inputDim, type InputMode } from "../envs/trial.ts";
import type { GruPolicyConfig, MlpPolicyConfig } from "../policies/config.ts";
import { gruNetwork } from "../policies/gru.ts";
import { mlpNetwork } from "../policies/mlp.ts";
import type { StepNetwork } from "../policies/network.ts";
import { explainedVariance, maskedMeanStd } from "./diagnostics.ts";
import { gae, standardize } from "./gae.ts";
import { sampleTrials } from "./sampler.ts";
import { trpoUpdate } from "./trpo.ts";
import type { TrpoConfig, ValueFitConfig } from "./trpo_config.ts";
import { fitValues, predictValues, valueInit, type ValueState } from "./value_baseline.ts";

/** A trainable agent: RL² (GRU) or the memoryless TRPO baseline (MLP). */
export type LearnerConfig =
  | { kind: "rl2"; policy: GruPolicyConfig; trpo: TrpoConfig; value: ValueFitConfig }
  | { kind: "trpo"; policy: MlpPolicyConfig; trpo: TrpoConfig; value: ValueFitConfig };

/** One row of a run's progress log. */
export interface IterationLog {
  iteration: number;
  timesteps: number;
  returnMean: number;
  returnStd: number;
  kl: number;
  entropy: number;
  surrogateImprovement: number;
  valueLoss: number;
  lineSearchSteps: number;
  /** Share of the returns' variance the baseline (as used for this batch) explains. */
  explainedVariance: number;
  /** Mean of the advantages before standardisation. */
  advantageMean: number;
  /** Standard deviation of the advantages before standardisation. */
  advantageStd: number;
  /** Fraction of the full natural-gradient step kept by the line search (0: no step). */
  stepFraction: number;
  /** Norm of the surrogate's gradient. */
  gradientNorm: number;
}

/** Everything a checkpoint must hold to continue training exactly. */
export interface LearnerState {
  iteration: number;
  timesteps: number;
  policy: Float32Array;
  value: ValueState;
}

function networks(family: TaskFamily, config: LearnerConfig) {
  const mode: InputMode = config.kind === "rl2" ? "rl2" : "observation";
  const D = inputDim(family, mode);
  const make = (outputDim: number): StepNetwork =>
    config.kind === "rl2"
      ? gruNetwork({ inputDim: D, hidden: config.policy.gru, outputDim, norm: config.policy.norm })
      : mlpNetwork({ inputDim: D, hidden: config.policy.mlp, outputDim, norm: config.policy.norm });
  return { mode, policy: make(family.numActions), value: make(1) };
}

/** Trials per iteration: enough whole trials to cover `batch_timesteps` steps. */
export function trialsPerBatch(family: TaskFamily, episodes: number, batchTimesteps: number) {
  return Math.max(1, Math.ceil(batchTimesteps / (episodes * family.maxEpisodeSteps)));
}

/** Trains one agent on a task distribution, one TRPO iteration at a time. */
export class Learner {
  readonly policyNet: StepNetwork;
  readonly valueNet: StepNetwork;
  readonly mode: InputMode;
  state: LearnerState;

  /**
   * A fresh learner (weights from the seed's "init" streams), or one restored from `state`.
   */
  constructor(
    readonly family: TaskFamily,
    readonly episodes: number,
    readonly config: LearnerConfig,
    readonly seed: number,
    state?: LearnerState,
  ) {
    const nets = networks(family, config);
    this.policyNet = nets.policy;
    this.valueNet = nets.value;
    this.mode = nets.mode;
    this.state = state ?? {
      iteration: 0,
      timesteps: 0,
      policy: this.policyNet.init(Rng.derive(seed, "init-policy")),
      value: valueInit(this.valueNet, Rng.derive(seed, "init-value")),
    };
  }

  /** Runs one iteration: sample, GAE, TRPO step, value fit. */
  iterate(): IterationLog {
    const { trpo } = this.config;
    const i = this.state.iteration;
    const rng = (purpose: string) => Rng.derive(this.seed, purpose, i);

    // Sample a batch of trials, each on a freshly drawn task.
    const taskRng = rng("train-tasks");
    const B = trialsPerBatch(this.family, this.episodes, trpo.batch_timesteps);
    const tasks = Array.from({ length: B }, () => this.family.sampleTask(taskRng));
    const batch = sampleTrials({
      family: this.family,
      episodes: this.episodes,
      net: this.policyNet,
      params: this.state.policy,
      mode: this.mode,
      tasks,
      envRng: rng("train-env"),
      actionRng: rng("train-actions"),
    });

    // Advantages over whole trials, with the value baseline fitted on earlier batches.
    const values = predictValues(this.valueNet, this.state.value, batch, trpo.chunk_trials);
    const { advantages, returns } = gae(
      batch.rewards,
      values,
      batch.mask,
      batch.T,
      batch.B,
      trpo.gamma,
      trpo.gae_lambda,
    );
    let valueLoss = 0;
    for (let k = 0; k < values.length; k++) {
      if (batch.mask[k] !== 0) valueLoss += (values[k]! - returns[k]!) ** 2 / batch.steps;
    }
    const rawAdvantages = maskedMeanStd(advantages, batch.mask);
    if (trpo.normalize_advantages) standardize(advantages, batch.mask);

    // Policy update, then refit the baseline to this batch's returns.
    const update = trpoUpdate(
      this.policyNet,
      this.state.policy,
      { ...batch, advantages },
      trpo,
      rng("fvp-subsample"),
    );
    fitValues(
      this.valueNet,
      this.state.value,
      batch,
      returns,
      this.config.value,
      rng("value-minibatches"),
      trpo.chunk_trials,
    );
    this.state.policy = update.params;
    this.state.iteration++;
    this.state.timesteps += batch.steps;

    let mean = 0;
    for (const r of batch.trialReturns) mean += r / B;
    let variance = 0;
    for (const r of batch.trialReturns) variance += (r - mean) ** 2 / B;
    return {
      iteration: this.state.iteration,
      timesteps: this.state.timesteps,
      returnMean: mean,
      returnStd: Math.sqrt(variance),
      kl: update.stats.kl,
      entropy: update.stats.entropy,
      surrogateImprovement: update.stats.surrogateImprovement,
      valueLoss,
      lineSearchSteps: update.stats.lineSearchSteps,
      explainedVariance: explainedVariance(returns, values, batch.mask),
      advantageMean: rawAdvantages.mean,
      advantageStd: rawAdvantages.std,
      stepFraction: update.stats.stepFraction,
      gradientNorm: update.stats.gradientNorm,
    };
  }

  /**
   * Total reward of one trial per task with the current policy; the environment and action
   * draws come from (seed, the learner's own seed), so seeds share tasks but not draws.
   */
  evaluate(tasks: readonly unknown[], seed: number, greedy = false): Float64Array {
    return sampleTrials({
      family: this.family,
      episodes: this.episodes,
      net: this.policyNet,
      params: this.state.policy,
      mode: this.mode,
      tasks,
      envRng: Rng.derive(seed, "eval-env", this.seed),
      actionRng: Rng.derive(seed, "eval-actions", this.seed),
      greedy,
    }).trialReturns;
  }
}
