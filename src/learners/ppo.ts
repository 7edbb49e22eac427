/**
 * The PPO learners: RL²-PPO (the RL² GRU trained by PPO instead of TRPO) and memoryless PPO
 * (an MLP on the observation, same budget and update). Both share the sampling, GAE and value
 * baseline of every learner; the update is `src/algos/ppo.ts`. Defaults of the `ppo` block are
 * CleanRL's `ppo.py` (clip 0.2, 4 epochs of 4 minibatches, Adam 2.5e-4, entropy 0.01,
 * gradient norm 0.5).
 *
 * @module
 */
import { z } from "zod";
import type { Assert, Same } from "../type_check.ts";
import { type PpoConfig, ppoUpdate } from "../algos/ppo.ts";
import type { OnPolicyLearner } from "./learner.ts";
import { defineLearner, type UpdateDefinition } from "./define.ts";

/** The zod schema of the `ppo` block of a PPO learner (RL²-PPO or memoryless PPO). */
export const ppoSchema: z.ZodObject<{
  clip: z.ZodDefault<z.ZodNumber>;
  epochs: z.ZodDefault<z.ZodInt>;
  minibatches: z.ZodDefault<z.ZodInt>;
  learning_rate: z.ZodDefault<z.ZodNumber>;
  entropy_coeff: z.ZodDefault<z.ZodNumber>;
  max_grad_norm: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict> = z.strictObject({
  clip: z.number().gt(0).lt(1).default(0.2)
    .describe("clip range ε of the probability ratio (CleanRL: 0.2)"),
  epochs: z.int().min(1).max(1000).default(4)
    .describe("passes over the batch per iteration (CleanRL: 4)"),
  minibatches: z.int().min(1).max(10000).default(4)
    .describe("minibatches of whole trials per epoch (CleanRL: 4)"),
  learning_rate: z.number().positive().max(1).default(2.5e-4)
    .describe("Adam step size (CleanRL: 2.5e-4)"),
  entropy_coeff: z.number().min(0).default(0.01)
    .describe("weight of the mean entropy added to the objective (CleanRL: 0.01)"),
  max_grad_norm: z.number().positive().default(0.5)
    .describe("maximum global norm of a minibatch's gradient (CleanRL: 0.5)"),
});

type _PpoConfigIsTheSchemaOutput = Assert<Same<PpoConfig, z.output<typeof ppoSchema>>>;

/** The PPO update's part of a learner: the `ppo` section and its epochs of minibatch steps. */
const PPO: UpdateDefinition<PpoConfig> = {
  section: "ppo",
  updateStream: "minibatch-order",
  stallSettings: ["learning_rate", "clip", "max_grad_norm"],
  actions: ["discrete"],
  schema: ppoSchema,
  // Old name → new name.
  renamed: { entropy_coef: "entropy_coeff" },
  update: (ppo, sampling) => ({ policy, params, batch, rng, optimizer }) => {
    const out = ppoUpdate(policy, params, batch, ppo, rng, sampling.chunk_trials, optimizer);
    const { clipFraction, approxKl } = out.stats;
    return { ...out, diagnostics: { clip_fraction: clipFraction, approx_kl: approxKl } };
  },
  // The share of steps whose ratio ended outside the clip range, and mean((r − 1) − log r).
  diagnostics: ["clip_fraction", "approx_kl"],
};

/** RL² trained by PPO: the paper's GRU policy and input, a PPO update instead of TRPO's. */
export const rl2PpoLearner: OnPolicyLearner = defineLearner({
  kind: "rl2_ppo",
  description: "RL²-PPO: a GRU policy whose memory spans the trial, trained by PPO",
  memory: "recurrent",
  ...PPO,
});

/** The memoryless PPO baseline: the same update on a policy without memory. */
export const memorylessPpoLearner: OnPolicyLearner = defineLearner({
  kind: "ppo",
  description: "memoryless baseline: an MLP on the observation, trained by PPO",
  memory: "memoryless",
  ...PPO,
});
