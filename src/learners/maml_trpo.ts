/**
 * MAML-TRPO (Finn, Abbeel & Levine 2017) as a learner of the registry, kind `maml_trpo`, for
 * task families with continuous actions. Every iteration draws a meta-batch of tasks; on each,
 * K trajectories of the current policy, `inner_steps` vanilla policy-gradient steps of size α
 * (after each, K trajectories of the adapted policy), then one TRPO meta-update of the initial
 * parameters on the adapted policies' surrogate, its gradient taken through the inner steps
 * (`src/algos/maml.ts`). The policy is a diagonal Gaussian on an MLP of the observation with
 * learned state-independent log standard deviations; advantages come from a linear feature
 * baseline fitted per task and batch (`src/algos/linear_baseline.ts`), as in the authors' code.
 *
 * Defaults: the MAML paper's RL settings (meta-batch 20 tasks, K = 20 trajectories, one inner
 * step of α = 0.1, two hidden layers of 100 ReLU units, mean KL 0.01, γ 0.99) and rllab's
 * (λ = 1, conjugate gradient 10 iterations with damping 1e-5, 15 backtracks of 0.8, standard
 * deviation 1 at the start); see docs/protocol.md for which are stated where.
 *
 * The `sampling` block's `batch_timesteps` is not used (a batch is meta_batch × K ×
 * (inner_steps + 1) trajectories) and the `value` block is accepted for the registry's shape
 * but not used: MAML keeps no value network, so its checkpointed value state is empty.
 *
 * Evaluation follows the MAML paper's 2-D navigation protocol (§5.3, App. A.2, Table 4): on each
 * task, K trajectories before adaptation and after each of n − 1 inner steps (n the task
 * block's `episodes`), the first of step size α and the later ones of `eval_later_lr`;
 * "episode" e of a task's trial is the mean return of the K trajectories after e steps, and the
 * trial's return is their sum.
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import { Rng } from "../rng.ts";
import type { TaskFamily } from "../envs/env.ts";
import { mlpNetwork } from "../policies/mlp.ts";
import { type Policy, policyInit } from "../policies/distribution.ts";
import { gaussianPolicy } from "../policies/gaussian.ts";
import type { PolicyBatch } from "../algos/unroll.ts";
import { mamlTrpoUpdate, type MetaUpdateConfig, type TaskBatches } from "../algos/maml.ts";
import { LINE_SEARCH_DIAGNOSTICS, lineSearchDiagnostics } from "../algos/update_stats.ts";
import { valueFitSchema } from "./config.ts";
import type { LoopContext, OwnLoopLearner, TrainingLoop } from "./learner.ts";
import {
  emptyValueState,
  type IterationLog,
  type LearnerState,
  type TrialRewards,
} from "./state.ts";
import { type AdaptationConfig, adaptationReturns, innerStep, sampleStage } from "./adaptation.ts";
import type { MamlConfig } from "../settings/agent.ts";
export type { MamlConfig };

/** The zod schema of the `maml` block. */
export const mamlSchema: z.ZodObject<{
  meta_batch: z.ZodDefault<z.ZodInt>;
  trajectories: z.ZodDefault<z.ZodInt>;
  inner_steps: z.ZodDefault<z.ZodInt>;
  inner_lr: z.ZodDefault<z.ZodNumber>;
  first_order: z.ZodDefault<z.ZodBoolean>;
  max_kl: z.ZodDefault<z.ZodNumber>;
  cg_iters: z.ZodDefault<z.ZodInt>;
  cg_damping: z.ZodDefault<z.ZodNumber>;
  backtrack_iters: z.ZodDefault<z.ZodInt>;
  backtrack_coeff: z.ZodDefault<z.ZodNumber>;
  hvp_step: z.ZodDefault<z.ZodNumber>;
  fd_step: z.ZodDefault<z.ZodNumber>;
  init_log_std: z.ZodDefault<z.ZodNumber>;
  eval_later_lr: z.ZodDefault<z.ZodNumber>;
  eval_trajectories: z.ZodOptional<z.ZodInt>;
  kl_hessian: z.ZodOptional<
    z.ZodEnum<{ exact: "exact"; float32_finite_difference: "float32_finite_difference" }>
  >;
}, z.core.$strict> = z.strictObject({
  meta_batch: z.int().min(1).max(10000).default(20).describe("tasks per meta-batch (paper: 20)"),
  trajectories: z.int().min(1).max(100000).default(20)
    .describe("K, trajectories per task and stage (paper: 20)"),
  inner_steps: z.int().min(1).max(100).default(1)
    .describe("inner policy-gradient steps during meta-training (paper: 1)"),
  inner_lr: z.number().positive().max(100).default(0.1).describe("α, inner step size (paper: 0.1)"),
  first_order: z.boolean().default(false)
    .describe("first-order MAML: the meta-gradient without the inner steps' Hessian terms"),
  max_kl: z.number().positive().max(10).default(0.01)
    .describe("trust region of the meta-update: mean KL bound δ (paper: 0.01)"),
  cg_iters: z.int().min(1).max(1000).default(10).describe(
    "conjugate-gradient iterations (rllab: 10)",
  ),
  cg_damping: z.number().min(0).default(1e-5).describe(
    "damping added to the Fisher matrix (rllab: 1e-5)",
  ),
  backtrack_iters: z.int().min(1).max(100).default(15).describe(
    "line-search evaluations (rllab: 15)",
  ),
  backtrack_coeff: z.number().gt(0).lt(1).default(0.8).describe(
    "line-search shrink factor (rllab: 0.8)",
  ),
  hvp_step: z.number().positive().default(1e-2)
    .describe("norm of the perturbation for the finite-difference Hessian–vector products"),
  fd_step: z.number().positive().default(1e-2)
    .describe("norm of the perturbation for the finite-difference J·v of the Fisher product"),
  init_log_std: z.number().min(-20).max(20).default(0)
    .describe("initial log standard deviation of the Gaussian policy (rllab: 0)"),
  eval_later_lr: z.number().positive().max(100).default(0.05)
    .describe(
      "step size of the evaluation's inner steps after the first (paper, App. A.2: α = 0.1 " +
        "for the first, 0.05 after)",
    ),
  eval_trajectories: z.int().min(1).max(100000).optional()
    .describe(
      "trajectories per stage at evaluation (K when absent; the paper's Table 4 says 40, and " +
        "its authors' test script samples 4000 timesteps per step)",
    ),
  kl_hessian: z.enum(["exact", "float32_finite_difference"]).optional()
    .describe(
      "the trust region's Hessian–vector products: exact (when absent) or as the authors' rllab " +
        "code takes them, central differences with a perturbation of 1e-8/‖θ‖ on float32 " +
        "parameters, which moves few of them",
    ),
});

/** MAML's `policy` block: an MLP on the observation (paper: two hidden layers of 100 ReLU). */
export const mamlPolicySchema: z.ZodObject<{
  mlp: z.ZodDefault<z.ZodArray<z.ZodInt>>;
  norm: z.ZodDefault<z.ZodEnum<{ weight: "weight"; layer: "layer"; none: "none" }>>;
}, z.core.$strict> = z.strictObject({
  mlp: z.array(z.int().min(1).max(4096)).min(1).max(8).default([100, 100])
    .describe("hidden layer sizes of the mean network (ReLU; paper: [100, 100])"),
  norm: z.enum(["weight", "layer", "none"]).default("none")
    .describe("weight normalisation, layer normalisation, or none (paper: none)"),
});

/** MAML's `sampling` block: the shared one with rllab's λ = 1; `batch_timesteps` unused. */
export const mamlSamplingSchema: z.ZodObject<{
  iterations: z.ZodInt;
  batch_timesteps: z.ZodOptional<z.ZodInt>;
  gamma: z.ZodDefault<z.ZodNumber>;
  gae_lambda: z.ZodDefault<z.ZodNumber>;
  normalize_advantages: z.ZodDefault<z.ZodBoolean>;
  chunk_trials: z.ZodDefault<z.ZodInt>;
}, z.core.$strict> = z.strictObject({
  iterations: z.int().min(1).max(1_000_000).describe("meta-iterations"),
  batch_timesteps: z.int().min(1).max(100_000_000).optional()
    .describe("not used by maml_trpo: a batch is meta_batch × K × (inner_steps + 1) trajectories"),
  gamma: z.number().min(0).max(1).default(0.99).describe("discount within an episode"),
  gae_lambda: z.number().min(0).max(1).default(1).describe("GAE λ (rllab, MAML: 1)"),
  normalize_advantages: z.boolean().default(true)
    .describe("standardise advantages per task and batch (rllab's center_adv)"),
  chunk_trials: z.int().min(1).default(1024)
    .describe("trials per forward/backward chunk: bounds memory"),
});

type _MamlConfigIsTheSchemaOutput = Assert<Same<MamlConfig, z.output<typeof mamlSchema>>>;

/** MAML's Gaussian policy for a family with continuous actions. */
export function mamlPolicy(
  family: TaskFamily,
  policy: { mlp: readonly number[]; norm: "weight" | "layer" | "none" },
  initLogStd: number,
): Policy {
  const d = family.actionDim;
  if (d === undefined) throw new Error("maml_trpo needs a task family with continuous actions");
  const net = mlpNetwork({
    inputDim: family.obsDim,
    hidden: policy.mlp,
    outputDim: d,
    norm: policy.norm,
  });
  return gaussianPolicy(net, initLogStd);
}

function meanStd(xs: ArrayLike<number>, mask?: Float32Array): { mean: number; std: number } {
  let n = 0, s = 0;
  for (let i = 0; i < xs.length; i++) if (!mask || mask[i] !== 0) (s += xs[i]!, n++);
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < xs.length; i++) if (!mask || mask[i] !== 0) v += (xs[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(v / n) };
}

/** What MAML-TRPO's loop is built from: its run, its settings and its policy. */
interface MamlSetup {
  /** The run: task family, episodes, seed. */
  c: LoopContext;
  /** The `maml` block. */
  maml: MamlConfig;
  /** The meta-update's settings. */
  cfg: MetaUpdateConfig;
  /** The Gaussian policy being meta-trained. */
  policy: Policy;
  /** The stages of the inner loop, as in training and evaluation. */
  adaptation: AdaptationConfig;
}

/** A task's batches of one meta-iteration, with the steps sampled for them. */
interface AdaptedTask extends TaskBatches {
  /** D′, with its trials' returns and its advantages before standardisation. */
  readonly post: ReturnType<typeof sampleStage>;
  /** Environment steps of all its stages. */
  readonly steps: number;
}

/**
 * The inner loop on the m-th task of iteration i's meta-batch: K trajectories of θ, then after
 * each of `inner_steps` policy-gradient steps K trajectories of the adapted policy.
 */
function adaptToTask(
  s: MamlSetup,
  params: Float32Array,
  task: unknown,
  i: number,
  m: number,
): AdaptedTask {
  const { c, cfg, policy } = s;
  const stage = (k: number, theta: Float32Array) =>
    sampleStage(
      c.family,
      policy,
      theta,
      task,
      s.adaptation,
      (purpose) => Rng.derive(c.seed, `train-${purpose}`, i, m, k),
    );
  const inner: PolicyBatch[] = [];
  let steps = 0;
  let theta = params;
  for (let k = 0; k < s.maml.inner_steps; k++) {
    const batch = stage(k, theta);
    steps += batch.steps;
    inner.push(batch);
    theta = innerStep(policy, theta, batch, cfg.inner_lr, cfg.chunk_trials);
  }
  const post = stage(s.maml.inner_steps, theta);
  return { inner, post, steps: steps + post.steps };
}

/** One meta-iteration: a meta-batch of tasks, the inner loop on each, one TRPO meta-update. */
function iterateMaml(s: MamlSetup, state: LearnerState): IterationLog {
  const { c } = s;
  const i = state.iteration;
  const taskRng = Rng.derive(c.seed, "train-tasks", i);
  const tasks = Array.from({ length: s.maml.meta_batch }, () => c.family.sampleTask(taskRng));
  const batches = tasks.map((task, m) => adaptToTask(s, state.policy, task, i, m));
  let steps = 0;
  const postReturns: number[] = [];
  const postAdvantages: number[] = [];
  for (const { post, steps: taskSteps } of batches) {
    steps += taskSteps;
    postReturns.push(...post.trialReturns);
    post.rawAdvantages.forEach((a, j) => post.mask[j] !== 0 && postAdvantages.push(a));
  }
  const update = mamlTrpoUpdate(s.policy, state.policy, batches, s.cfg);
  state.policy = update.params;
  state.iteration++;
  state.timesteps += steps;
  const returns = meanStd(postReturns);
  const advantages = meanStd(postAdvantages);
  return {
    iteration: state.iteration,
    timesteps: state.timesteps,
    returnMean: returns.mean,
    returnStd: returns.std,
    kl: update.stats.kl,
    entropy: update.stats.entropy,
    surrogateImprovement: update.stats.surrogateImprovement,
    valueLoss: 0,
    accepted: update.stats.accepted,
    explainedVariance: 0,
    advantageMean: advantages.mean,
    advantageStd: advantages.std,
    gradientNorm: update.stats.gradientNorm,
    diagnostics: lineSearchDiagnostics(update.stats),
  };
}

/** MAML-TRPO's training loop. */
function mamlLoop(c: LoopContext): TrainingLoop {
  const r = mamlAgentSchema.parse(c.config);
  const s: MamlSetup = {
    c,
    maml: r.maml,
    cfg: { ...r.maml, chunk_trials: r.sampling.chunk_trials },
    policy: mamlPolicy(c.family, r.policy, r.maml.init_log_std),
    adaptation: {
      trajectories: r.maml.trajectories,
      lr: r.maml.inner_lr,
      laterLr: r.maml.eval_later_lr,
      gamma: r.sampling.gamma,
      lambda: r.sampling.gae_lambda,
      normalize: r.sampling.normalize_advantages,
      chunkTrials: r.sampling.chunk_trials,
    },
  };
  return {
    init: (): LearnerState => ({
      iteration: 0,
      timesteps: 0,
      policy: policyInit(s.policy, Rng.derive(c.seed, "init-policy")),
      value: emptyValueState(),
    }),
    iterate: (state) => iterateMaml(s, state),
    evaluate(state, tasks, { seed }): TrialRewards {
      return adaptationReturns(
        c.family,
        s.policy,
        state.policy,
        tasks,
        c.episodes,
        { ...s.adaptation, trajectories: r.maml.eval_trajectories ?? r.maml.trajectories },
        (purpose, b, e) => Rng.derive(seed, `eval-${purpose}`, c.seed, b, e),
      );
    },
  };
}

const MAML_DESCRIPTION =
  "MAML-TRPO: a Gaussian MLP policy meta-trained so one policy-gradient step adapts it to a task";

/** The zod schema of a `maml_trpo` agent block. */
const mamlAgentSchema = z.strictObject({
  kind: z.literal("maml_trpo").describe(MAML_DESCRIPTION),
  policy: mamlPolicySchema.prefault({}),
  sampling: mamlSamplingSchema,
  maml: mamlSchema.prefault({}),
  value: valueFitSchema.prefault({})
    .describe("not used by maml_trpo (it fits a linear feature baseline per task)"),
});

/** MAML-TRPO: the registry's entry, a learner with its own loop. */
export const mamlTrpoLearner: OwnLoopLearner = {
  shape: "own-loop",
  kind: "maml_trpo",
  description: MAML_DESCRIPTION,
  schema: mamlAgentSchema,
  stallSettings: ["maml.max_kl", "maml.cg_damping", "maml.inner_lr"],
  actions: ["continuous"],
  // The meta-update's line search.
  diagnostics: LINE_SEARCH_DIAGNOSTICS,
  loop: mamlLoop,
  episodeTrajectories: (config) => mamlSchema.parse(config.maml).trajectories,
};
