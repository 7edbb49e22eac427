/**
 * PEARL's settings: the zod schemas of its `pearl` and `sampling` blocks (defaults: the authors'
 * `configs/default.py`; docs/protocol.md gives each setting's source) and the rules across their
 * fields, which `validate` reports with the field named.
 *
 * @module
 */
import { z } from "zod";

const layers = (d: number[], what: string) =>
  z.array(z.int().min(1).max(4096)).min(1).max(8).default(d).describe(what);
const lr = (what: string) =>
  z.number().positive().max(1).default(3e-4).describe(`${what} (PEARL: 3e-4)`);
const count = (d: number, max: number, what: string) =>
  z.int().min(0).max(max).default(d).describe(what);

/** The fields of the `pearl` block, before the rules across them. */
const pearlFields = z.strictObject({
  latent: z.int().min(1).max(256).default(5).describe("size of the latent context z (PEARL: 5)"),
  hidden: layers(
    [300, 300, 300],
    "hidden layers of the policy, Q and V networks (ReLU; PEARL: 3 × 300)",
  ),
  encoder_hidden: layers(
    [200, 200, 200],
    "hidden layers of the context encoder (ReLU; PEARL: 3 × 200)",
  ),
  train_tasks: z.int().min(1).max(100000).default(80)
    .describe(
      "training tasks drawn once from the family, each with its replay buffers (point robot: 80)",
    ),
  meta_batch: z.int().min(1).max(10000).default(16).describe("tasks per gradient step (PEARL: 16)"),
  batch: z.int().min(1).max(1_000_000).default(256)
    .describe("actor-critic transitions per task and gradient step (PEARL: 256)"),
  context_batch: z.int().min(1).max(1_000_000).default(64)
    .describe("context transitions per task, drawn from its encoder buffer (PEARL: 64)"),
  train_steps: count(
    2000,
    1_000_000,
    "gradient steps per iteration (PEARL: 2000; point robot: 1000)",
  ),
  initial_steps: z.int().min(1).max(10_000_000).default(2000)
    .describe(
      "steps collected on every training task before the first iteration, z from the prior (PEARL: 2000; point robot: 200)",
    ),
  tasks_per_iteration: count(
    5,
    100000,
    "training tasks whose data is collected each iteration (PEARL: 5)",
  ),
  steps_prior: count(
    400,
    10_000_000,
    "steps per such task with z from the prior (PEARL: 400; point robot: 200)",
  ),
  steps_posterior: count(
    0,
    10_000_000,
    "then steps with z from the posterior, added to both buffers (PEARL: 0)",
  ),
  extra_rl_steps: count(
    400,
    10_000_000,
    "then steps with z from the posterior for the actor-critic only (PEARL: 400; point robot: 200)",
  ),
  exploration_trajectories: count(
    1,
    100000,
    "evaluation: episodes with z from the prior before posterior sampling (PEARL: 1)",
  ),
  deterministic_eval: z.boolean().default(true).describe(
    "evaluation acts with tanh(μ) (the authors' code: true)",
  ),
  policy_lr: lr("policy learning rate"),
  q_lr: lr("Q networks' learning rate"),
  v_lr: lr("value network's learning rate"),
  context_lr: lr("context encoder's learning rate"),
  tau: z.number().gt(0).max(1).default(0.005).describe("soft target update rate (PEARL: 0.005)"),
  reward_scale: z.number().positive().max(1e6).default(5)
    .describe("rewards are multiplied by this in the Bellman target (PEARL: 5; point robot: 100)"),
  kl_weight: z.number().min(0).max(1e6).default(0.1).describe(
    "weight of the KL (information bottleneck) (PEARL: 0.1)",
  ),
  policy_mean_reg: z.number().min(0).default(1e-3).describe(
    "weight of mean(μ²) in the policy loss (1e-3)",
  ),
  policy_std_reg: z.number().min(0).default(1e-3).describe(
    "weight of mean(log σ²) in the policy loss (1e-3)",
  ),
  buffer_size: z.int().min(1).max(100_000_000).default(1_000_000)
    .describe("transitions a task's replay buffer holds (the authors: 1,000,000)"),
  dense_critic_reward: z.boolean().default(true)
    .describe(
      "the actor-critic learns from a sparse task's dense reward, as the authors' code does",
    ),
});

/** The zod schema of the `pearl` block, with the rules that span its fields. */
export const pearlSchema = pearlFields.superRefine((c, ctx) => {
  const issue = (path: string, message: string) =>
    ctx.addIssue({ code: "custom", path: [path], message });
  if (c.context_batch > c.buffer_size) {
    issue(
      "context_batch",
      `a context batch of ${c.context_batch} is larger than a buffer holds (buffer_size ${c.buffer_size})`,
    );
  }
  if (c.batch > c.buffer_size) {
    issue(
      "batch",
      `a batch of ${c.batch} is larger than a buffer holds (buffer_size ${c.buffer_size})`,
    );
  }
  if (c.tasks_per_iteration > 0 && c.steps_prior + c.steps_posterior === 0) {
    issue(
      "steps_prior",
      "steps_prior + steps_posterior must be at least 1: a task's encoder buffer is emptied before its collection",
    );
  }
});

/** The `pearl` block, defaults filled in. */
export type PearlConfig = z.output<typeof pearlFields>;

/** PEARL's `sampling` block: iterations and γ (an iteration's steps come from the `pearl` block). */
export const pearlSamplingSchema = z.strictObject({
  iterations: z.int().min(1).max(1_000_000).describe("iterations (collect, then gradient steps)"),
  gamma: z.number().min(0).lt(1).default(0.99).describe(
    "discount, below 1: the Bellman target bootstraps through the time limit (PEARL: 0.99; sparse point robot: 0.9)",
  ),
});
