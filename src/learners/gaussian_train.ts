/**
 * The shared training loop of `train.ts` for task families with continuous actions: the same
 * iteration (a batch of whole trials on fresh tasks, GAE over each trial with the value
 * network, one policy update, the value refit) with a diagonal Gaussian policy on the
 * learner's network (`src/policies/gaussian.ts`) and its TRPO step (`src/algos/gaussian_pg.ts`,
 * `src/algos/trust_region.ts`). The TRPO learners (`rl2`, `trpo`) run it when their task
 * family's actions are continuous, so RL² and the memoryless baseline train on MAML's 2-D
 * navigation with the same sampling, value and trust-region settings as on the RL² tasks.
 * With `trpo.finetune`, the memoryless policy is evaluated as MAML is: fine-tuned on each task by
 * policy-gradient steps on K trajectories (`adaptation.ts`; λ = 1 and a linear feature baseline,
 * as MAML's inner steps).
 *
 * @module
 */
import { Rng } from "../rng.ts";
import type { TrpoConfig } from "../algos/trpo.ts";
import { sampleGaussianTrials } from "../algos/gaussian_sampler.ts";
import {
  countValid,
  gaussianFisherOperator,
  type GaussianPolicyBatch,
  gaussianSurrogateAndKl,
  surrogateGradientAt,
} from "../algos/gaussian_pg.ts";
import { type TrustRegionStats, trustRegionStep } from "../algos/trust_region.ts";
import { fitValues, predictValues, valueInit } from "../algos/value_baseline.ts";
import {
  gaussianEntropy,
  gaussianInit,
  type GaussianPolicy,
  gaussianPolicy,
} from "../policies/gaussian.ts";
import type { LoopContext, TrainingLoop } from "./learner.ts";
import type { IterationLog, LearnerState, TrialRewards } from "./state.ts";
import { adaptationReturns } from "./adaptation.ts";
import { estimateAdvantages, iterationLog, trialsPerBatch } from "./iteration.ts";

/** One TRPO step of a Gaussian policy on a batch with advantages (no Fisher subsampling). */
export function gaussianTrpoUpdate(
  policy: GaussianPolicy,
  params: Float32Array,
  batch: GaussianPolicyBatch,
  cfg: Pick<
    TrpoConfig,
    "max_kl" | "cg_iters" | "cg_damping" | "backtrack_iters" | "backtrack_coeff" | "fd_step"
  >,
  chunkTrials: number,
): { params: Float32Array; stats: TrustRegionStats } {
  const g = surrogateGradientAt(policy, params, batch, chunkTrials);
  const fisher = gaussianFisherOperator(policy, params, batch, cfg.fd_step, chunkTrials);
  try {
    let before = 0;
    for (let i = 0; i < batch.mask.length; i++) before += batch.mask[i]! * batch.advantages[i]!;
    before /= countValid(batch.mask);
    return trustRegionStep(
      params,
      g,
      before,
      (v) => fisher.apply(v),
      (candidate) => gaussianSurrogateAndKl(policy, candidate, batch, chunkTrials),
      cfg,
    );
  } finally {
    fisher.dispose();
  }
}

/** One iteration of the Gaussian loop: sample, GAE, TRPO step, value fit. */
function iterateGaussian(
  c: LoopContext,
  trpo: TrpoConfig,
  policy: GaussianPolicy,
  state: LearnerState,
): IterationLog {
  const { family, episodes, config, seed, networks } = c;
  const { sampling } = config;
  const i = state.iteration;
  const rng = (purpose: string) => Rng.derive(seed, purpose, i);
  const taskRng = rng("train-tasks");
  const B = trialsPerBatch(family, episodes, sampling.batch_timesteps);
  const tasks = Array.from({ length: B }, () => family.sampleTask(taskRng));
  const batch = sampleGaussianTrials({
    family,
    episodes,
    policy,
    params: state.policy,
    mode: networks.mode,
    start: networks.start,
    tasks,
    envRng: rng("train-env"),
    actionRng: rng("train-actions"),
  });
  const chunkTrials = sampling.chunk_trials;
  const values = predictValues(networks.value, state.value, batch, chunkTrials);
  const estimate = estimateAdvantages(batch, values, sampling);
  const update = gaussianTrpoUpdate(
    policy,
    state.policy,
    { ...batch, advantages: estimate.advantages },
    trpo,
    chunkTrials,
  );
  fitValues(
    networks.value,
    state.value,
    batch,
    estimate.returns,
    config.value,
    rng("value-minibatches"),
    chunkTrials,
  );
  state.policy = update.params;
  state.iteration++;
  state.timesteps += batch.steps;
  const entropy = gaussianEntropy(batch.logStd, policy.actionDim);
  return iterationLog(state, batch, values, estimate, update.stats, entropy);
}

/**
 * Returns of the Gaussian policy on `tasks`: one trial per task, or with `trpo.finetune` and a
 * memoryless policy, MAML's fine-tuning on each task.
 */
function evaluateGaussian(
  c: LoopContext,
  trpo: TrpoConfig,
  policy: GaussianPolicy,
  state: LearnerState,
  tasks: readonly unknown[],
  evalSeed: number,
  greedy: boolean,
): TrialRewards {
  const { family, episodes, seed, networks } = c;
  const { sampling } = c.config;
  if (trpo.finetune !== undefined && networks.mode === "observation") {
    return adaptationReturns(
      family,
      policy,
      state.policy,
      tasks,
      episodes,
      {
        trajectories: trpo.finetune.trajectories,
        lr: trpo.finetune.lr,
        laterLr: trpo.finetune.later_lr,
        gamma: sampling.gamma,
        lambda: 1,
        normalize: sampling.normalize_advantages,
        chunkTrials: sampling.chunk_trials,
      },
      (purpose, b, e) => Rng.derive(evalSeed, `eval-${purpose}`, seed, b, e),
    );
  }
  const { trialReturns, episodeReturns } = sampleGaussianTrials({
    family,
    episodes,
    policy,
    params: state.policy,
    mode: networks.mode,
    start: networks.start,
    tasks,
    envRng: Rng.derive(evalSeed, "eval-env", seed),
    actionRng: Rng.derive(evalSeed, "eval-actions", seed),
    greedy,
  });
  return { trialReturns, episodeReturns };
}

/** The TRPO learners' loop on a family with continuous actions. */
export function gaussianTrpoLoop(c: LoopContext, trpo: TrpoConfig): TrainingLoop {
  if (trpo.entropy_coeff !== 0 || trpo.fvp_subsample !== 1) {
    throw new Error("continuous actions: trpo.entropy_coeff must be 0 and fvp_subsample 1");
  }
  const policy = gaussianPolicy(c.networks.policy);
  return {
    init: (): LearnerState => ({
      iteration: 0,
      timesteps: 0,
      policy: gaussianInit(policy, Rng.derive(c.seed, "init-policy")),
      value: valueInit(c.networks.value, Rng.derive(c.seed, "init-value")),
    }),
    iterate: (state) => iterateGaussian(c, trpo, policy, state),
    evaluate: (state, tasks, evalSeed, greedy) =>
      evaluateGaussian(c, trpo, policy, state, tasks, evalSeed, greedy),
  };
}
