/**
 * MAML's evaluation protocol on held-out tasks (Finn et al. 2017, §5.3 and App. A.2), shared by
 * MAML-TRPO and by the memoryless baseline fine-tuned the same way: on each task, K
 * trajectories of the policy before adaptation, then a vanilla policy-gradient step on them
 * (advantages from a linear feature baseline fitted on them), K trajectories of the adapted
 * policy, and so on. Stage e of a task is the mean return of the K trajectories after e steps;
 * the first step has size `lr` and the later ones `laterLr`.
 *
 * @module
 */
import type { Rng } from "../rng.ts";
import type { TaskFamily } from "../envs/env.ts";
import type { Policy } from "../policies/distribution.ts";
import { sampleTrials } from "../algos/sampler.ts";
import { vanillaPolicyGradient } from "../algos/policy_gradient.ts";
import type { PolicyBatch } from "../algos/unroll.ts";
import { linearBaselineAdvantages } from "../algos/linear_baseline.ts";
import type { TrialRewards } from "./state.ts";

/** How a policy is adapted to a task by policy-gradient steps. */
export interface AdaptationConfig {
  /** K, trajectories per stage. */
  trajectories: number;
  /** Size of the first step. */
  lr: number;
  /** Size of every later step. */
  laterLr: number;
  /** Discount within an episode. */
  gamma: number;
  /** GAE λ within an episode. */
  lambda: number;
  /** Standardise the advantages of each stage. */
  normalize: boolean;
  /** Trials per forward/backward chunk. */
  chunkTrials: number;
}

/**
 * K trajectories (one-episode trials) of the memoryless policy at `params` on `task`, with
 * advantages from a linear feature baseline fitted on them; also their raw advantages.
 */
export function sampleStage(
  family: TaskFamily,
  policy: Policy,
  params: Float32Array,
  task: unknown,
  cfg: AdaptationConfig,
  rng: (purpose: "env" | "actions") => Rng,
): PolicyBatch & {
  trialReturns: Float64Array;
  steps: number;
  rawAdvantages: Float32Array;
} {
  const batch = sampleTrials({
    family,
    episodes: 1,
    policy,
    params,
    mode: "observation",
    tasks: Array.from({ length: cfg.trajectories }, () => task),
    envRng: rng("env"),
    actionRng: rng("actions"),
  });
  const rawAdvantages = linearBaselineAdvantages(
    batch,
    family.obsDim,
    cfg.gamma,
    cfg.lambda,
    false,
  );
  const advantages = cfg.normalize
    ? linearBaselineAdvantages(batch, family.obsDim, cfg.gamma, cfg.lambda, true)
    : rawAdvantages;
  return { ...batch, advantages, rawAdvantages };
}

/** θ + lr ∇ mean(log π_θ(a|s)·Â) over `batch`: one inner (vanilla policy-gradient) step. */
export function innerStep(
  policy: Policy,
  params: Float32Array,
  batch: PolicyBatch,
  lr: number,
  chunkTrials: number,
): Float32Array {
  const g = vanillaPolicyGradient(policy, params, batch, chunkTrials);
  return Float32Array.from(params, (p, i) => p + lr * g[i]!);
}

/**
 * Returns on each task before adaptation and after each of `stages − 1` steps: `B × stages`
 * stage means as episode returns, their sum as the trial return. Draws of task b's stage e
 * come from `rng(purpose, b, e)`.
 */
export function adaptationReturns(
  family: TaskFamily,
  policy: Policy,
  params: Float32Array,
  tasks: readonly unknown[],
  stages: number,
  cfg: AdaptationConfig,
  rng: (purpose: "env" | "actions", task: number, stage: number) => Rng,
): TrialRewards {
  const episodeReturns = new Float64Array(tasks.length * stages);
  const trialReturns = new Float64Array(tasks.length);
  tasks.forEach((task, b) => {
    let theta = params;
    for (let e = 0; e < stages; e++) {
      const stage = sampleStage(family, policy, theta, task, cfg, (p) => rng(p, b, e));
      let mean = 0;
      for (const r of stage.trialReturns) mean += r / stage.trialReturns.length;
      episodeReturns[b * stages + e] = mean;
      trialReturns[b]! += mean;
      if (e < stages - 1) {
        theta = innerStep(policy, theta, stage, e === 0 ? cfg.lr : cfg.laterLr, cfg.chunkTrials);
      }
    }
  });
  return { trialReturns, episodeReturns };
}
